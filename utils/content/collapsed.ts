/**
 * What the content script reads of the rep's settings: the panel's collapsed state and the
 * language choice. Plain storage calls rather than WXT's storage items or the zod schemas:
 * this runs in the content script, whose size is budgeted.
 */
import { browser } from 'wxt/browser';

const KEY = 'panelCollapsed';

export async function loadCollapsed(): Promise<boolean> {
  const stored = await browser.storage.local.get(KEY);
  return stored[KEY] === true;
}

export function saveCollapsed(collapsed: boolean): Promise<void> {
  return browser.storage.local.set({ [KEY]: collapsed });
}

/** preferences.language as stored by the settings page; anything unexpected means 'auto'. */
export async function readLanguage(): Promise<'auto' | 'ja' | 'en'> {
  try {
    const stored = (await browser.storage.sync.get('preferences')).preferences as { language?: unknown } | undefined;
    return stored?.language === 'ja' || stored?.language === 'en' ? stored.language : 'auto';
  } catch {
    return 'auto';
  }
}
