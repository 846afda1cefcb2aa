/**
 * Does the panel hold the CRM page back? The same record pages of the look-alike CRMs loaded in
 * browsers side by side — with the connected extension, without, and with an empty content script
 * (the floor any extension pays) — interleaved, the order rotating each round so machine drift
 * hits all alike: the page's load event and its largest contentful paint, and the ratio of
 * medians (and of p95s) from the same run. Budget 1.05×.
 */
import type { Page } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTENSION_DIR, launchWithoutExtension, type ExtensionBrowser } from '../../demo/browser';
import type { DemoStack } from '../../demo/stack';
import { summary } from './stats';


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
 * The floor: an extension that only has a content script on the same match patterns, run at the
 * same moment, and an empty one. Whatever Chromium charges a page for having any content script
 * at all shows in it; the gap between it and LeadLens is ours to win.
 */
function floorExtension(): { dir: string; remove(): void } {
  const built = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as { content_scripts: { matches: string[]; run_at?: string }[] };
  const dir = mkdtempSync(join(tmpdir(), 'leadlens-floor-extension-'));
  writeFileSync(join(dir, 'floor.js'), '');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    manifest_version: 3,
    name: 'Content script floor (benchmark control)',
    version: '1.0',
    content_scripts: built.content_scripts.map(({ matches, run_at }) => ({ matches, js: ['floor.js'], ...(run_at ? { run_at } : {}) })),
  }));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

type Contender = 'with' | 'floor' | 'without';
const CONTENDERS: readonly Contender[] = ['with', 'floor', 'without'];

/**
 * `withExtension`: the benchmark's browser, already connected and synced. Two more Chromiums of
 * the same kind (each its own profile on disk, the same switches) are launched here: one without
 * any extension, one with the floor extension.
 */
export async function pageLoadBenchmarks(withExtension: ExtensionBrowser, stack: DemoStack, runs: number) {
  // The same kind of browser (a profile on disk, the same switches) without the extension: an
  // in-memory context of a plain launch differed from the extension's browser by more than the
  // budget with no extension code running at all.
  const plain = await launchWithoutExtension({ hostRules: stack.site.hostRules, headless: true });
  const floor = floorExtension();
  const floorBrowser = await launchWithoutExtension({ hostRules: stack.site.hostRules, headless: true }, floor.dir);
  const pages: Record<Contender, Page> = {
    with: await withExtension.context.newPage(),
    floor: await floorBrowser.context.newPage(),
    without: await plain.context.newPage(),
  };
  const result: Record<string, unknown> = {
    note: 'Same pages, three browsers (with the connected extension / with an empty content script on the same matches ("floor") / without), interleaved in rotating order; ratio = with ÷ without, budget 1.05×',
    budgetRatio: 1.05,
  };
  try {
    for (const crm of ['salesforce', 'kintone'] as const) {
      // Two leads with a record in this CRM, the featured ones first.
      const ids = [stack.featured.hotNow, stack.featured.almostHot, ...stack.ids()].filter((id) => hasRecord(stack, id, crm)).slice(0, 2);
      const urls = ids.map((id) => stack.recordUrl(id, crm));
      // One load each to warm the browsers' caches (certificates, fonts, the worker).
      for (const who of CONTENDERS) await loadOnce(pages[who], urls[0] ?? '', who === 'with' ? ids[0] : undefined);
      const samples: Record<Contender, LoadSample[]> = { with: [], floor: [], without: [] };
      for (let i = 0; i < runs; i++) {
        const url = urls[i % urls.length] ?? '';
        const leadId = ids[i % ids.length];
        // Each browser goes first, second and third equally often: drift hits all alike.
        for (let k = 0; k < CONTENDERS.length; k++) {
          const who = CONTENDERS[(i + k) % CONTENDERS.length] as Contender;
          samples[who].push(await loadOnce(pages[who], url, who === 'with' ? leadId : undefined));
        }
      }
      const of = (pick: (s: LoadSample) => number) => {
        const by = { with: summary(samples.with.map(pick)), floor: summary(samples.floor.map(pick)), without: summary(samples.without.map(pick)) };
        return {
          ...by,
          ratioP50: ratio(by.with.p50, by.without.p50),
          ratioP95: ratio(by.with.p95, by.without.p95),
          floorRatioP50: ratio(by.floor.p50, by.without.p50),
          floorRatioP95: ratio(by.floor.p95, by.without.p95),
          overFloorP50: ratio(by.with.p50, by.floor.p50),
          overFloorP95: ratio(by.with.p95, by.floor.p95),
        };
      };
      const elements = (list: LoadSample[]) => list.reduce<Record<string, number>>((counts, s) => {
        const key = `${s.lcpElement} (${s.lcpSize} px²)`;
        return { ...counts, [key]: (counts[key] ?? 0) + 1 };
      }, {});
      result[crm] = {
        loadEventMs: of((s) => s.loadMs),
        largestContentfulPaintMs: of((s) => s.lcpMs),
        pageOwnLcpMs: { note: 'the largest paint of the page’s own elements (the panel’s left out)', ...of((s) => s.pageLcpMs) },
        lcpElement: { with: elements(samples.with), without: elements(samples.without) },
      };
    }
  } finally {
    for (const page of Object.values(pages)) await page.close();
    await plain.close();
    await floorBrowser.close();
    floor.remove();
  }
  return result;
}
