import { afterEach, describe, expect, it, vi } from 'vitest';
import { tabLoaded, type TabLoadBrowser } from '../../utils/background/tab-load';

/** A tab whose status the test sets, with the two events the browser would fire. */
function fakeTabs(status: string | undefined) {
  const updated = new Set<(tabId: number, change: { status?: string }) => void>();
  const removed = new Set<(tabId: number) => void>();
  const browser: TabLoadBrowser = {
    tabs: {
      get: async () => ({ status }),
      onUpdated: { addListener: (l) => updated.add(l), removeListener: (l) => updated.delete(l) },
      onRemoved: { addListener: (l) => removed.add(l), removeListener: (l) => removed.delete(l) },
    },
  };
  return {
    browser,
    update: (tabId: number, change: { status?: string }) => { for (const l of [...updated]) l(tabId, change); },
    remove: (tabId: number) => { for (const l of [...removed]) l(tabId); },
    listeners: () => updated.size + removed.size,
  };
}

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => { done = true; });
  // Enough turns for the status question and its answer.
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
};

afterEach(() => vi.useRealTimers());

describe('tabLoaded', () => {
  it('resolves at once for a page already loaded (an SPA moving inside itself)', async () => {
    const tabs = fakeTabs('complete');
    expect(await settled(tabLoaded(tabs.browser, 3))).toBe(true);
    expect(tabs.listeners()).toBe(0);
  });

  it("waits for that tab's own completion, not another tab's and not an earlier status", async () => {
    const tabs = fakeTabs('loading');
    const loaded = tabLoaded(tabs.browser, 3);
    expect(await settled(loaded)).toBe(false);
    tabs.update(4, { status: 'complete' });
    tabs.update(3, { status: 'loading' });
    expect(await settled(loaded)).toBe(false);
    tabs.update(3, { status: 'complete' });
    expect(await settled(loaded)).toBe(true);
    expect(tabs.listeners()).toBe(0);
  });

  it('gives up waiting when the tab closes or after the longest wait', async () => {
    const closing = fakeTabs('loading');
    const closed = tabLoaded(closing.browser, 3);
    closing.remove(3);
    expect(await settled(closed)).toBe(true);

    vi.useFakeTimers();
    const stalled = fakeTabs('loading');
    const waited = tabLoaded(stalled.browser, 3, 10_000);
    vi.advanceTimersByTime(9_999);
    expect(await settled(waited)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await settled(waited)).toBe(true);
    expect(stalled.listeners()).toBe(0);
  });

  it('does not wait on a tab the browser cannot find', async () => {
    const tabs = fakeTabs('loading');
    tabs.browser.tabs.get = () => Promise.reject(new Error('No tab with id: 3'));
    expect(await settled(tabLoaded(tabs.browser, 3))).toBe(true);
  });
});
