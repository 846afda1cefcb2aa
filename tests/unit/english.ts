// Rendering tests read the English labels: chrome.i18n answers from the English catalogue, with
// the product's own substitution rules (utils/i18n.ts substitute).
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import en from '../../public/_locales/en/messages.json';
import { substitute } from '../../utils/i18n';

const catalogue = en as Record<string, { message: string } | undefined>;

/** Call in beforeEach: the fake browser's i18n speaks English until the spy is restored. */
export function useEnglishCatalogue(): void {
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((key: string, subs?: string | string[]) =>
    substitute(catalogue[key]?.message ?? '', subs)) as typeof fakeBrowser.i18n.getMessage);
}
