// When the content script (started at document_start) lets the panel join the page: at once on a
// page loaded long ago, else after the load event or at the first idle moment after the DOM is
// parsed, whichever is first (utils/content/page-timing.ts).
import { describe, expect, it } from 'vitest';
import { domParsed, mountMoment, pageSettled } from '../../utils/content/page-timing';

describe('mountMoment', () => {
  it.each([
    ['complete', 'now'],
    ['interactive', 'load-or-idle'],
    ['loading', 'dom-then-load-or-idle'],
  ] as const)('%s → %s', (readyState, expected) => {
    expect(mountMoment(readyState)).toBe(expected);
  });
});

/** A page in a given state whose events and idle callbacks the test fires itself. */
function fakePage(readyState: DocumentReadyState, idleSupported = true) {
  const doc = new EventTarget() as EventTarget & { readyState: DocumentReadyState };
  doc.readyState = readyState;
  const win = new EventTarget() as EventTarget & { setTimeout(cb: () => void, ms: number): number; requestIdleCallback?: (cb: () => void) => number };
  const idle: (() => void)[] = [];
  const timers: (() => void)[] = [];
  win.setTimeout = (cb) => timers.push(cb);
  if (idleSupported) win.requestIdleCallback = (cb) => idle.push(cb);
  let settled = false;
  const promise = pageSettled(win as unknown as Window, doc as unknown as Document).then(() => { settled = true; });
  // Two turns of the microtask queue: long enough for any resolved promise in the chain.
  const flush = async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); };
  return { doc, win, idle, timers, promise, flush, settled: () => settled };
}

describe('pageSettled', () => {
  it('resolves at once on a complete page', async () => {
    const page = fakePage('complete');
    await page.promise;
    expect(page.settled()).toBe(true);
  });

  it('on a parsed page, resolves at the first idle moment', async () => {
    const page = fakePage('interactive');
    await page.flush();
    expect(page.settled()).toBe(false);
    expect(page.idle).toHaveLength(1);
    page.idle[0]?.();
    await page.promise;
    expect(page.settled()).toBe(true);
  });

  it('after the load event, one task later (the page’s own load handlers first)', async () => {
    const page = fakePage('interactive', false);
    page.win.dispatchEvent(new Event('load'));
    await page.flush();
    expect(page.settled()).toBe(false);
    expect(page.timers).toHaveLength(1);
    page.timers[0]?.();
    await page.promise;
    expect(page.settled()).toBe(true);
  });

  it('on a page still parsing, asks for idle time only once the DOM is parsed', async () => {
    const page = fakePage('loading');
    await page.flush();
    expect(page.idle).toHaveLength(0);
    page.doc.readyState = 'interactive';
    page.doc.dispatchEvent(new Event('DOMContentLoaded'));
    await page.flush();
    expect(page.idle).toHaveLength(1);
    expect(page.settled()).toBe(false);
    page.idle[0]?.();
    await page.promise;
    expect(page.settled()).toBe(true);
  });
});

describe('domParsed', () => {
  it('waits for DOMContentLoaded while the page is loading, not after', async () => {
    const doc = new EventTarget() as EventTarget & { readyState: DocumentReadyState };
    doc.readyState = 'loading';
    let parsed = false;
    const waiting = domParsed(doc as unknown as Document).then(() => { parsed = true; });
    await Promise.resolve();
    expect(parsed).toBe(false);
    doc.dispatchEvent(new Event('DOMContentLoaded'));
    await waiting;
    expect(parsed).toBe(true);
    doc.readyState = 'interactive';
    await expect(domParsed(doc as unknown as Document)).resolves.toBeUndefined();
  });
});
