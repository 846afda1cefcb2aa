// The notification and preference texts exist in both catalogues with the same substitutions:
// a Japanese message that forgets $2 would silently drop the deadline from an alert.
import { describe, expect, it } from 'vitest';
import en from '../../public/_locales/en/messages.json';
import ja from '../../public/_locales/ja/messages.json';

const enMessages: Record<string, { message: string }> = en;
const jaMessages: Record<string, { message: string }> = ja;
const placeholders = (message: string) => [...new Set(message.match(/\$\d/g) ?? [])].sort();
const OWN = /^(notify|pref|rate)[A-Z]/;

describe('notification and preference messages', () => {
  const keys = Object.keys(enMessages).filter((k) => OWN.test(k));

  it('are there', () => {
    expect(keys.length).toBeGreaterThan(50);
  });

  it.each(keys)('%s: same placeholders in en and ja, no blank text', (key) => {
    const english = enMessages[key]?.message ?? '';
    const japanese = jaMessages[key]?.message;
    expect(japanese, `add ${key} to public/_locales/ja/messages.json`).toBeDefined();
    expect(english.trim()).not.toBe('');
    expect(placeholders(japanese ?? '')).toEqual(placeholders(english));
  });

  it('has no Japanese-only key', () => {
    expect(Object.keys(jaMessages).filter((k) => OWN.test(k) && !(k in enMessages))).toEqual([]);
  });
});
