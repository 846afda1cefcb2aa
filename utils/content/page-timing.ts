/**
 * When the content script may touch the CRM page. It starts at document_start so that the
 * lookup travels to the background while the page is still being parsed; the panel itself
 * (elements, styles, the reserved margin) joins the page only once the page no longer needs the
 * main thread for its own load: after the load event, or at the first idle moment after its DOM
 * is parsed, whichever comes first. A page loaded long ago (an SPA's own navigation) gets it at once.
 */

export type MountMoment = 'now' | 'load-or-idle' | 'dom-then-load-or-idle';

/** The decision, from document.readyState alone. */
export function mountMoment(readyState: DocumentReadyState): MountMoment {
  if (readyState === 'complete') return 'now';
  return readyState === 'interactive' ? 'load-or-idle' : 'dom-then-load-or-idle';
}

type PageWindow = Pick<Window, 'addEventListener' | 'setTimeout'> & { requestIdleCallback?: Window['requestIdleCallback'] };

/** Resolves once the DOM is parsed (a selector rule reads the page then). */
export function domParsed(doc: Document): Promise<void> {
  if (doc.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => doc.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
}

/** Resolves at the moment mountMoment chooses. */
export function pageSettled(win: PageWindow, doc: Document): Promise<void> {
  const moment = mountMoment(doc.readyState);
  if (moment === 'now') return Promise.resolve();
  return new Promise((resolve) => {
    // A task after the load event: the page's own load handlers run first, and the event's
    // timing (loadEventEnd) is not stretched by our render.
    win.addEventListener('load', () => win.setTimeout(resolve, 0), { once: true });
    // Firefox and Chromium both have it; a browser without it simply waits for load.
    const idle = () => win.requestIdleCallback?.(() => resolve());
    if (moment === 'load-or-idle') idle();
    else void domParsed(doc).then(idle);
  });
}
