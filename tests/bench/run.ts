/**
 * `npm run bench` — measures what DESIGN.md budgets, in real Chromium against the reference
 * API, and prints one JSON object. Numbers, not pass/fail: they go into the notes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { connectThroughOptions, EXTENSION_DIR, launchWithExtension } from '../../demo/browser';
import { DEMO_TOKEN, startDemoStack } from '../../demo/stack';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? NaN) * 10) / 10;
}
const summary = (values: number[]) => ({ runs: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: percentile(values, 100) });

const contentScript = readFileSync(join(EXTENSION_DIR, 'content-scripts/crm.js'));
const contentCss = readFileSync(join(EXTENSION_DIR, 'content-scripts/crm.css'));

const stack = await startDemoStack({ api: { rescoreMs: 0 } });
const browser = await launchWithExtension({ hostRules: stack.site.hostRules, headless: true });
const result: Record<string, unknown> = {
  contentScript: {
    jsBytes: contentScript.length,
    jsGzipBytes: gzipSync(contentScript, { level: 9 }).length,
    cssGzipBytes: gzipSync(contentCss, { level: 9 }).length,
    budgetGzipBytes: 25 * 1024,
  },
};

try {
  (await connectThroughOptions(browser, stack.api.url, DEMO_TOKEN)).close();
  const page = await browser.context.newPage();
  const featured = stack.api.featured;
  const urls = [featured.hotNow, featured.almostHot].map((id) => stack.recordUrl(id));

  // Full page load: from the end of DOMContentLoaded (content scripts start at document_idle,
  // just after it) to the panel showing the lead, and from navigation start.
  const afterLoad: number[] = [];
  const fromNavigation: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(urls[i % urls.length] ?? '');
    const t = await waitForMark(page);
    afterLoad.push(t.mark - t.domContentLoaded);
    fromNavigation.push(t.mark);
  }

  // Lightning-style soft navigation: from the click on another record to the panel showing it.
  const softNavigation: number[] = [];
  await page.goto(urls[0] ?? '');
  await waitForMark(page);
  for (let i = 0; i < RUNS; i++) {
    const target = stack.api.store.profile(i % 2 === 0 ? featured.almostHot : featured.hotNow)?.name ?? '';
    // Clicked inside the page so the start time is the click itself, not a Playwright round trip.
    const startedAt = await page.evaluate((name) => {
      performance.clearMarks('leadlens:panel-visible');
      const link = [...document.querySelectorAll<HTMLAnchorElement>('.related-records a')].find((a) => a.textContent === name);
      if (!link) throw new Error(`no related record named ${name}`);
      const t0 = performance.now();
      link.click();
      return t0;
    }, target);
    const t = await waitForMark(page);
    softNavigation.push(t.mark - startedAt);
  }

  result.panelVisibleMs = {
    note: 'Each open asks the background, which looks the lead up through the local reference API (no IndexedDB cache yet).',
    fullLoadAfterDomContentLoaded: summary(afterLoad),
    fullLoadFromNavigationStart: summary(fromNavigation),
    softNavigationFromClick: summary(softNavigation),
    budgetP95: 50,
  };
} finally {
  await browser.close();
  await stack.close();
}

console.log(JSON.stringify(result, null, 2));

async function waitForMark(page: Page): Promise<{ mark: number; domContentLoaded: number }> {
  await page.waitForFunction(() => performance.getEntriesByName('leadlens:panel-visible').length > 0, undefined, { polling: 'raf', timeout: 15_000 });
  return page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    const [mark] = performance.getEntriesByName('leadlens:panel-visible');
    return { mark: mark?.startTime ?? NaN, domContentLoaded: nav?.domContentLoadedEventEnd ?? NaN };
  });
}
