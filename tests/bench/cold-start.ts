/**
 * The first panel after a browser start: a connected extension with a warm cache, the browser
 * closed and launched again on the same profile (so the service worker starts cold), then a CRM
 * record page opened. Timed from the page's navigation start and from its DOMContentLoaded to
 * the panel's `leadlens:panel-visible` mark for that lead. Part of `npm run bench` (run.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { connectThroughOptions, launchWithExtension, type ExtensionBrowser } from '../../demo/browser';
import type { DemoStack } from '../../demo/stack';
import { summary } from './stats';

export interface ColdStartRun {
  fromNavigationStartMs: number;
  afterDomContentLoadedMs: number;
  /** From the launch call to the worker being up (what launchWithExtension waits for). */
  launchMs: number;
}

/** Waits for the panel of `leadId`; the mark's detail names the lead it marks. */
async function panelMark(page: Page, leadId: string): Promise<{ mark: number; domContentLoaded: number }> {
  await page.waitForFunction(
    (id) => performance.getEntriesByName('leadlens:panel-visible').some((entry) => (entry as PerformanceMark).detail === id),
    leadId, { polling: 'raf', timeout: 30_000 },
  );
  return page.evaluate((id) => {
    const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    const mark = performance.getEntriesByName('leadlens:panel-visible').find((entry) => (entry as PerformanceMark).detail === id);
    return { mark: mark?.startTime ?? NaN, domContentLoaded: nav?.domContentLoadedEventEnd ?? NaN };
  }, leadId);
}

/** The cache's sync state as the worker stored it (IndexedDB 'leadlens', read from the worker itself). */
function syncedOnce(browser: ExtensionBrowser): Promise<boolean> {
  return browser.worker.evaluate(() => new Promise<boolean>((resolve) => {
    const open = indexedDB.open('leadlens');
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('syncState')) { db.close(); resolve(false); return; }
      const get = db.transaction('syncState').objectStore('syncState').get('main');
      get.onsuccess = () => { db.close(); resolve((get.result as { status?: string; snapshotComplete?: boolean } | undefined)?.status === 'ok' && get.result.snapshotComplete === true); };
      get.onerror = () => { db.close(); resolve(false); };
    };
  }));
}

/**
 * `runs` browser starts on one profile. The record opened is a featured hot lead of the rep,
 * already in the cache (and its detail too, from the warm-up visit).
 */
export async function coldStartRuns(stack: DemoStack, runs: number): Promise<ColdStartRun[]> {
  const profile = mkdtempSync(join(tmpdir(), 'leadlens-cold-'));
  const leadId = stack.featured.hotNow;
  const url = stack.recordUrl(leadId);
  try {
    // Warm-up: connect, let the first sync finish, open the record once (its detail is cached).
    const first = await launchWithExtension({ hostRules: stack.site.hostRules, headless: true, userDataDir: profile });
    try {
      (await connectThroughOptions(first, stack.api.url, stack.token)).close();
      const deadline = Date.now() + 60_000;
      while (!(await syncedOnce(first))) {
        if (Date.now() > deadline) throw new Error('the first sync did not finish within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 100)); // polling a state, not waiting a fixed time for it
      }
      const page = await first.context.newPage();
      await page.goto(url);
      await panelMark(page, leadId);
    } finally {
      await first.close();
    }

    const results: ColdStartRun[] = [];
    for (let i = 0; i < runs; i++) {
      const launched = performance.now();
      const browser = await launchWithExtension({ hostRules: stack.site.hostRules, headless: true, userDataDir: profile });
      const launchMs = performance.now() - launched;
      try {
        const page = await browser.context.newPage();
        await page.goto(url);
        const t = await panelMark(page, leadId);
        results.push({ fromNavigationStartMs: t.mark, afterDomContentLoadedMs: t.mark - t.domContentLoaded, launchMs });
      } finally {
        await browser.close();
      }
    }
    return results;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** What run.ts prints: p50/p95/max of each measure over `runs` browser starts. */
export async function coldStartBenchmark(stack: DemoStack, runs: number) {
  const results = await coldStartRuns(stack, runs);
  return {
    note: 'browser closed and launched again on the same profile (worker cold, cache warm), then a record page opened',
    runs: results.length,
    fromNavigationStart: summary(results.map((r) => r.fromNavigationStartMs)),
    afterDomContentLoaded: summary(results.map((r) => r.afterDomContentLoadedMs)),
    launchToWorker: summary(results.map((r) => r.launchMs)),
    budgetMs: 1000,
  };
}
