/**
 * When a tab's page has finished loading. The panel's refresh of the lead on screen (a fetch,
 * cache writes, a push to the tab) waits for it: the lookup is answered from the cache at once,
 * and the refresh must not compete with the CRM page's own load for the rep's CPU.
 */

/** What it needs of the browser: the tab's status and its changes (no `tabs` permission needed). */
export interface TabLoadBrowser {
  tabs: {
    get(tabId: number): Promise<{ status?: string }>;
    onUpdated: TabEvent<(tabId: number, change: { status?: string }) => void>;
    onRemoved: TabEvent<(tabId: number) => void>;
  };
}

interface TabEvent<T> {
  addListener(listener: T): void;
  removeListener(listener: T): void;
}

/** How long a refresh waits at most for a page that does not finish loading. */
export const PAGE_LOAD_WAIT_MS = 10_000;

/**
 * Resolves once the tab's status is `complete`, the tab is gone, or `atMostMs` passed (a page
 * that never finishes loading — a stalled image, a long poll — still gets its refresh).
 */
export function tabLoaded(browser: TabLoadBrowser, tabId: number, atMostMs: number = PAGE_LOAD_WAIT_MS): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      browser.tabs.onUpdated.removeListener(onUpdated);
      browser.tabs.onRemoved.removeListener(onRemoved);
      clearTimeout(timer);
      resolve();
    };
    const onUpdated = (id: number, change: { status?: string }) => { if (id === tabId && change.status === 'complete') done(); };
    const onRemoved = (id: number) => { if (id === tabId) done(); };
    // Listening first: a load that completes between the question and its answer is not missed.
    browser.tabs.onUpdated.addListener(onUpdated);
    browser.tabs.onRemoved.addListener(onRemoved);
    const timer = setTimeout(done, atMostMs);
    browser.tabs.get(tabId).then((tab) => { if (tab.status !== 'loading') done(); }, done);
  });
}
