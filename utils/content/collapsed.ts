/**
 * The panel's collapsed state, remembered across records and sessions. Plain storage.local
 * rather than WXT's storage items: this runs in the content script, whose size is budgeted.
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
