/**
 * `npx tsx tests/bench/badge.ts` — the badge section of `npm run bench` alone (tests/bench/browser/
 * cache-bench.ts in a plain headless Chromium page, no extension, no server), for comparing a
 * change back to back on a shared machine. BENCH_BADGE_REPEAT (default 1) runs it that many times
 * in the same page; the load average at the start and the end is printed with the numbers.
 */
import { loadavg } from 'node:os';
import { launchHeadless } from '../../demo/browser';
import { serveCacheBenchPage } from './cache-bench-page';

const repeat = Number(process.env.BENCH_BADGE_REPEAT ?? 1);
const server = await serveCacheBenchPage();
const browser = await launchHeadless();
const load = () => loadavg().map((n) => Math.round(n * 100) / 100);
const result: Record<string, unknown> = { loadAverageAtStart: load() };
try {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => 'leadlensBench' in window);
  const runs = [];
  for (let i = 0; i < repeat; i++) {
    runs.push({
      referenceMix: await page.evaluate(() => window.leadlensBench.badgeCount(100_000, 0.03, 0.12)),
      heavyMix: await page.evaluate(() => window.leadlensBench.badgeCount(100_000, 0.1, 0.25)),
    });
  }
  result.badgeCount100k = runs;
} finally {
  await browser.close();
  server.close();
}
result.loadAverageAtEnd = load();
console.log(JSON.stringify(result, null, 2));
