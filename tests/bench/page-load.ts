/**
 * Does the panel hold the CRM page back? The same record pages of the look-alike CRMs loaded in
 * two browsers side by side, one with the connected extension and one without, interleaved (the
 * order flips each round so machine drift hits both alike): the page's load event and its
 * largest contentful paint, and the ratio of medians (and of p95s) from the same run. Budget 1.05×.
 */
import type { Page } from 'playwright-core';
import { launchWithoutExtension, type ExtensionBrowser } from '../../demo/browser';
import type { DemoStack } from '../../demo/stack';

type Summary = (values: number[]) => { runs: number; p50: number; p95: number; max: number };

interface LoadSample {
  loadMs: number;
  lcpMs: number;
  /** What the final LCP candidate was: the page's own element, or 'none' for one inside our closed shadow root. */
  lcpElement: string;
  lcpSize: number;
  /** The page's own largest paint: the last candidate that is not inside our panel. */
  pageLcpMs: number;
}

/** Navigates and reads the page's own timings once everything it (and the panel, if any) paints is painted. */
async function loadOnce(page: Page, url: string, panelLeadId: string | undefined): Promise<LoadSample> {
  // From a blank page: kintone's records differ in the hash only, which would not load anything.
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'load' });
  if (panelLeadId !== undefined) {
    // The panel's paint may become the LCP candidate: read LCP only once it is on screen.
    await page.waitForFunction((id) => performance.getEntriesByName('leadlens:panel-visible').some((entry) => (entry as PerformanceMark).detail === id), panelLeadId, { polling: 'raf', timeout: 15_000 });
  }
  return page.evaluate(async () => {
    // Two frames: whatever was laid out by now has been painted and reported.
    await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
    const entries = await new Promise<PerformanceEntryList>((resolve) => {
      const observer = new PerformanceObserver((list) => {
        observer.disconnect();
        resolve(list.getEntries());
      });
      observer.observe({ type: 'largest-contentful-paint', buffered: true });
    });
    const last = entries[entries.length - 1] as (PerformanceEntry & { element?: Element | null; size?: number }) | undefined;
    const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    const element = last?.element;
    return {
      loadMs: nav?.loadEventStart ?? NaN,
      lcpMs: last?.startTime ?? NaN,
      lcpSize: last?.size ?? NaN,
      // The panel's elements sit in a closed shadow root: their entries name no element.
      pageLcpMs: (entries as (PerformanceEntry & { element?: Element | null })[]).filter((entry) => entry.element).at(-1)?.startTime ?? NaN,
      lcpElement: element ? `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ')[0]}` : ''}` : 'none',
    };
  });
}

function hasRecord(stack: DemoStack, leadId: string, crm: 'salesforce' | 'kintone'): boolean {
  try {
    stack.recordUrl(leadId, crm);
    return true;
  } catch {
    return false;
  }
}

const ratio = (withExtension: number, without: number) => Math.round((withExtension / without) * 1000) / 1000;

/**
 * `withExtension`: the benchmark's browser, already connected and synced. A second, plain Chromium
 * of the same kind (its own profile on disk, the same switches) is launched here for the pages without it.
 */
export async function pageLoadBenchmarks(withExtension: ExtensionBrowser, stack: DemoStack, runs: number, summary: Summary) {
  // The same kind of browser (a profile on disk, the same switches) without the extension: an
  // in-memory context of a plain launch differed from the extension's browser by more than the
  // budget with no extension code running at all.
  const plain = await launchWithoutExtension({ hostRules: stack.site.hostRules, headless: true });
  const withPage = await withExtension.context.newPage();
  const withoutPage = await plain.context.newPage();
  const result: Record<string, unknown> = { note: 'Same pages, two browsers (with the connected extension / without), interleaved; ratio = with ÷ without, budget 1.05×', budgetRatio: 1.05 };
  try {
    for (const crm of ['salesforce', 'kintone'] as const) {
      // Two leads with a record in this CRM, the featured ones first.
      const ids = [stack.featured.hotNow, stack.featured.almostHot, ...stack.ids()].filter((id) => hasRecord(stack, id, crm)).slice(0, 2);
      const urls = ids.map((id) => stack.recordUrl(id, crm));
      // One load each to warm both browsers' caches (certificates, fonts, the worker).
      await loadOnce(withPage, urls[0] ?? '', ids[0]);
      await loadOnce(withoutPage, urls[0] ?? '', undefined);
      const samples = { with: [] as LoadSample[], without: [] as LoadSample[] };
      for (let i = 0; i < runs; i++) {
        const url = urls[i % urls.length] ?? '';
        const leadId = ids[i % ids.length];
        const measureWith = async () => samples.with.push(await loadOnce(withPage, url, leadId));
        const measureWithout = async () => samples.without.push(await loadOnce(withoutPage, url, undefined));
        if (i % 2 === 0) { await measureWith(); await measureWithout(); } else { await measureWithout(); await measureWith(); }
      }
      const load = { with: summary(samples.with.map((s) => s.loadMs)), without: summary(samples.without.map((s) => s.loadMs)) };
      const lcp = { with: summary(samples.with.map((s) => s.lcpMs)), without: summary(samples.without.map((s) => s.lcpMs)) };
      const pageLcp = { with: summary(samples.with.map((s) => s.pageLcpMs)), without: summary(samples.without.map((s) => s.pageLcpMs)) };
      const elements = (list: LoadSample[]) => list.reduce<Record<string, number>>((counts, s) => {
        const key = `${s.lcpElement} (${s.lcpSize} px²)`;
        return { ...counts, [key]: (counts[key] ?? 0) + 1 };
      }, {});
      result[crm] = {
        loadEventMs: { ...load, ratioP50: ratio(load.with.p50, load.without.p50), ratioP95: ratio(load.with.p95, load.without.p95) },
        largestContentfulPaintMs: { ...lcp, ratioP50: ratio(lcp.with.p50, lcp.without.p50), ratioP95: ratio(lcp.with.p95, lcp.without.p95) },
        pageOwnLcpMs: { note: 'the largest paint of the page’s own elements (the panel’s left out)', ...pageLcp, ratioP50: ratio(pageLcp.with.p50, pageLcp.without.p50), ratioP95: ratio(pageLcp.with.p95, pageLcp.without.p95) },
        lcpElement: { with: elements(samples.with), without: elements(samples.without) },
      };
    }
  } finally {
    await withPage.close();
    await plain.close();
  }
  return result;
}
