// Rendering tests read the English labels: chrome.i18n answers from the English catalogue, with
// the product's own substitution rules (utils/i18n.ts substitute).
import { render } from 'preact';
import { afterEach, beforeEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import en from '../../public/_locales/en/messages.json';
import { substitute } from '../../utils/i18n';

const catalogue = en as Record<string, { message: string } | undefined>;

/** Call in beforeEach: the fake browser's i18n speaks English until the spy is restored. */
export function useEnglishCatalogue(): void {
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((key: string, subs?: string | string[]) =>
    substitute(catalogue[key]?.message ?? '', subs)) as typeof fakeBrowser.i18n.getMessage);
}

/**
 * For a file of rendering tests: English labels, and a fresh element in the document for each
 * test (a listener a test adds dies with it), handed to `use`; after each test the tree is
 * unmounted (effects cleaned up) and the element taken out. Call once at the top level.
 */
export function englishRenderRoot(use: (root: HTMLDivElement) => void): void {
  let root: HTMLDivElement | undefined;
  beforeEach(() => {
    useEnglishCatalogue();
    root = document.createElement('div');
    document.body.append(root);
    use(root);
  });
  afterEach(() => {
    if (!root) return;
    render(null, root);
    root.remove();
    root = undefined;
  });
}
