import { afterEach, describe, expect, it } from 'vitest';
import ja from '../../public/_locales/ja/messages.json';
import { applyLanguage, substitute, t, uiLanguage } from '../../utils/i18n';

afterEach(() => applyLanguage('auto'));

describe('i18n', () => {
  it.each([
    ['$1 left', '5 min', '5 min left'],
    ['$1 of $2', ['3', '4'], '3 of 4'],
    ['costs $$5', undefined, 'costs $5'],
    ['missing $2', ['a'], 'missing '],
  ] as const)('substitutes %s', (message, subs, expected) => {
    expect(substitute(message, subs as string | string[] | undefined)).toBe(expected);
  });

  it("speaks the rep's chosen language, and the browser's again on auto", async () => {
    await applyLanguage('ja', async () => ja);
    expect(uiLanguage()).toBe('ja');
    expect(t('popupTimeLeft', '5分')).toBe('残り 5分');
    await applyLanguage('auto');
    expect(t('popupTimeLeft', '5 min')).not.toBe('残り 5 min');
  });

  it('keeps the browser language when the catalogue cannot be loaded', async () => {
    await applyLanguage('ja', async () => { throw new Error('offline'); });
    expect(t('popupTimeLeft', '5分')).not.toBe('残り 5分');
  });
});
