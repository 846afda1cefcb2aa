// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { en, format, ja } from '../../server/dashboard/web/messages';
import { initialLocale } from '../../server/dashboard/web/i18n';
import extJa from '../../public/_locales/ja/messages.json';

// Product and format names that stay as they are in Japanese text.
const ALLOWED = new Set(['LeadLens', 'API', 'CRM', 'CSV', 'URL', 'CC', 'SMS', 'LINE', 'YYYY', 'MM', 'DD', 'pt']);

describe('dashboard catalogues', () => {
  it('every Japanese message is Japanese', () => {
    const english = Object.entries(ja).flatMap(([key, text]) =>
      (text.match(/[A-Za-z]+/g) ?? []).filter((w) => !ALLOWED.has(w)).map((w) => `${key}: ${w}`));
    expect(english).toEqual([]);
  });

  it('both catalogues use the same placeholders', () => {
    const holes = (s: string) => [...new Set(s.match(/\$\d/g) ?? [])].sort();
    for (const key of Object.keys(ja) as (keyof typeof ja)[]) expect(holes(en[key]), key).toEqual(holes(ja[key]));
  });

  it('the token instructions name the extension\'s own Japanese labels', () => {
    for (const label of [extJa.optionsApiUrl.message, extJa.optionsApiToken.message, extJa.optionsTestConnection.message, extJa.optionsSave.message]) {
      expect(ja.tokenHowTo).toContain(`「${label}」`);
    }
  });

  it('fills placeholders in order', () => {
    expect(format(ja.previewResult, [12, 3, 1])).toBe('このルールなら、いま 12 件がホットです（3 件増、1 件減）。');
    expect(format(en.previewResult, [12, 3, 1])).toBe('With these rules, 12 leads would be hot now (3 more, 1 fewer).');
  });

  it.each<[string | null, string[], string]>([
    [null, ['ja-JP', 'en-US'], 'ja'],
    [null, ['en-GB'], 'en'],
    [null, ['fr-FR', 'en'], 'en'],
    [null, ['fr-FR'], 'ja'],
    ['en', ['ja-JP'], 'en'],
    ['xx', ['en-US'], 'en'],
  ])('initial locale (stored %s, browser %o) → %s', (stored, langs, expected) => {
    expect(initialLocale(stored, langs)).toBe(expected);
  });
});
