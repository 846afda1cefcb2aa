import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import en from '../../public/_locales/en/messages.json';
import ja from '../../public/_locales/ja/messages.json';
import { applyLanguage, catalogueToLoad, localeLanguage, substitute, t, uiLanguage, type Language } from '../../utils/i18n';

afterEach(async () => {
  vi.restoreAllMocks();
  await applyLanguage('auto', async () => { throw new Error('no catalogue in this test'); });
});

type Catalogue = Record<string, { message: string } | undefined>;

/** A browser whose UI locale is `locale` and whose chrome.i18n serves `served`'s catalogue. */
function browserServing(locale: string, served: Catalogue): void {
  vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue(locale);
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((key: string, subs?: string | string[]) =>
    substitute(served[key]?.message ?? '', subs)) as typeof fakeBrowser.i18n.getMessage);
}

const catalogues: Record<'ja' | 'en', Catalogue> = { ja, en };
const loader = (loaded: string[]) => async (language: 'ja' | 'en') => {
  loaded.push(language);
  return catalogues[language];
};

describe('i18n', () => {
  it.each([
    ['$1 left', '5 min', '5 min left'],
    ['$1 of $2', ['3', '4'], '3 of 4'],
    ['costs $$5', undefined, 'costs $5'],
    ['missing $2', ['a'], 'missing '],
  ] as const)('substitutes %s', (message, subs, expected) => {
    expect(substitute(message, subs as string | string[] | undefined)).toBe(expected);
  });

  it.each([
    ['ja', 'ja'], ['ja-JP', 'ja'], ['JA', 'ja'], ['en-US', 'en'], ['en', 'en'], ['fr', 'en'], ['', 'en'],
  ] as const)('locale %j asks for %s', (locale, expected) => {
    expect(localeLanguage(locale)).toBe(expected);
  });

  // [chosen, browser locale, catalogue chrome.i18n serves, catalogue to load]
  it.each([
    ['auto', 'ja', 'ja', undefined],
    ['auto', 'en-US', 'en', undefined],
    // Debian's Chromium: the UI locale says ja, only the en-US pack exists, English is served.
    ['auto', 'ja', 'en', 'ja'],
    ['auto', 'ja-JP', 'en', 'ja'],
    // A French browser falls back to the default (Japanese) catalogue; English is the better guess.
    ['auto', 'fr', 'ja', 'en'],
    ['ja', 'en-US', 'en', 'ja'],
    ['ja', 'ja', 'ja', undefined],
    ['ja', 'ja', 'en', 'ja'],
    ['en', 'ja', 'ja', 'en'],
    ['en', 'ja', 'en', undefined],
    // Cannot tell what is served: load what is wanted.
    ['auto', 'ja', undefined, 'ja'],
    ['en', 'en-US', undefined, 'en'],
  ] as const)('chosen %s, locale %s, serving %s → loads %s', (chosen, locale, served, expected) => {
    expect(catalogueToLoad(chosen as Language, locale, served)).toBe(expected);
  });

  it("speaks the rep's chosen language, and the browser's again on auto", async () => {
    browserServing('en-US', en);
    const loaded: string[] = [];
    await applyLanguage('ja', loader(loaded));
    expect(loaded).toEqual(['ja']);
    expect(uiLanguage()).toBe('ja');
    expect(t('popupTimeLeft', '5分')).toBe('残り 5分');
    await applyLanguage('auto', loader(loaded));
    expect(loaded).toEqual(['ja']);
    expect(uiLanguage()).toBe('en');
    expect(t('popupTimeLeft', '5 min')).toBe('5 min left');
  });

  it('names the language being loaded before its catalogue arrives (the background asks the server for it)', async () => {
    browserServing('en-US', en);
    let arrive: (catalogue: Catalogue) => void = () => undefined;
    const applying = applyLanguage('ja', () => new Promise<Catalogue>((resolve) => { arrive = resolve; }));
    expect(uiLanguage()).toBe('ja');
    arrive(ja);
    await applying;
    expect(uiLanguage()).toBe('ja');
    expect(t('popupTimeLeft', '5分')).toBe('残り 5分');
  });

  it('on auto, speaks Japanese in the service worker of a Chromium started --lang ja without the Japanese UI pack', async () => {
    // There getUILanguage() names the pack loaded; navigator.language the language asked for.
    browserServing('en-US', en);
    const language = vi.spyOn(navigator, 'language', 'get').mockReturnValue('ja');
    await applyLanguage('auto', loader([]));
    expect(uiLanguage()).toBe('ja');
    language.mockReturnValue('en-GB');
    await applyLanguage('auto', loader([]));
    expect(uiLanguage()).toBe('en');
  });

  it('speaks Japanese on a Japanese browser that serves the English catalogue (en-US UI pack only)', async () => {
    browserServing('ja', en);
    for (const chosen of ['auto', 'ja'] as const) {
      const loaded: string[] = [];
      await applyLanguage(chosen, loader(loaded));
      expect(loaded).toEqual(['ja']);
      expect(uiLanguage()).toBe('ja');
      expect(t('popupTimeLeft', '5分')).toBe('残り 5分');
    }
  });

  it('loads nothing when chrome.i18n already serves the wanted catalogue', async () => {
    browserServing('ja', ja);
    const loaded: string[] = [];
    await applyLanguage('auto', loader(loaded));
    await applyLanguage('ja', loader(loaded));
    expect(loaded).toEqual([]);
    expect(uiLanguage()).toBe('ja');
    expect(t('popupTimeLeft', '5分')).toBe('残り 5分');
  });

  it('keeps the served catalogue, and says its language, when the wanted one cannot be loaded', async () => {
    browserServing('ja', en);
    await applyLanguage('ja', async () => { throw new Error('offline'); });
    expect(t('popupTimeLeft', '5 min')).toBe('5 min left');
    // Durations and dates follow the strings actually shown, not the locale's wish.
    expect(uiLanguage()).toBe('en');
  });
});
