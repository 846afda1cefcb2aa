/**
 * `npx tsx tests/bench/ingest.ts` — the ingest ratio of `npm run bench` alone: the LeadLens server
 * with 10,000 leads for the rep (no extension build needed), the bench page in a plain headless
 * Chromium, the engine's ingest of the fetched snapshot against a raw IndexedDB put of the same
 * rows in alternating pairs (BENCH_INGEST_PAIRS, default 9, after one warm-up pair), the ratio of
 * the medians. BENCH_CPU_PROFILE=file.cpuprofile records Chromium's CPU profile of the page meanwhile.
 */
import { loadavg } from 'node:os';
import { launchHeadless } from '../../demo/browser';
import { startDemoStack } from '../../demo/stack';
import { serveCacheBenchPage, withCpuProfile } from './cache-bench-page';

const pairs = Number(process.env.BENCH_INGEST_PAIRS ?? 9);
const load = () => loadavg().map((n) => Math.round(n * 100) / 100);
const server = await serveCacheBenchPage();
const api = await startDemoStack({ extraRepLeads: 9_900, corsOrigins: [server.origin], server: { rescoreIntervalMs: 0, rateLimitPerMinute: 100_000 } });
const browser = await launchHeadless();
const result: Record<string, unknown> = { loadAverageAtStart: load() };
try {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => 'leadlensBench' in window);
  const { result: ingest, top } = await withCpuProfile(page, process.env.BENCH_CPU_PROFILE, () =>
    page.evaluate(([url, token, n]) => window.leadlensBench.ingest(url, token, n), [api.api.url, api.token, pairs] as const));
  result.ingest10k = ingest;
  if (top) result.cpuProfileSelfTime = top;
} finally {
  await browser.close();
  server.close();
  await api.close();
}
result.loadAverageAtEnd = load();
console.log(JSON.stringify(result, null, 2));
