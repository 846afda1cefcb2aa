/**
 * `npx tsx tests/bench/badge.ts` — the badge section of `npm run bench` alone (tests/bench/browser/
 * cache-bench.ts in a plain headless Chromium page, no extension, no server), for comparing a
 * change back to back on a shared machine. Each case keeps 40 samples after 5 warm-up runs.
 * BENCH_BADGE_REPEAT (default 1) runs it that many times in the same page; BENCH_BADGE_MIX=heavy
 * or reference runs one mix only; BENCH_CPU_PROFILE=file.cpuprofile records Chromium's CPU
 * profile of the page meanwhile and prints the functions with the most self time. The load
 * average at the start and the end is printed with the numbers.
 */
import { loadavg } from 'node:os';
import { launchHeadless } from '../../demo/browser';
import { serveCacheBenchPage, withCpuProfile } from './cache-bench-page';

const repeat = Number(process.env.BENCH_BADGE_REPEAT ?? 1);
const mix = process.env.BENCH_BADGE_MIX ?? 'both';
if (!['both', 'heavy', 'reference'].includes(mix)) throw new Error(`BENCH_BADGE_MIX: heavy, reference or both, not ${mix}`);
const server = await serveCacheBenchPage();
const browser = await launchHeadless();
const load = () => loadavg().map((n) => Math.round(n * 100) / 100);
const result: Record<string, unknown> = { loadAverageAtStart: load() };
try {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => 'leadlensBench' in window);
  const mixes = { referenceMix: [0.03, 0.12], heavyMix: [0.1, 0.25] } as const;
  const chosen = (Object.keys(mixes) as (keyof typeof mixes)[]).filter((name) => mix === 'both' || name === `${mix}Mix`);
  const runs = [];
  const profiles: Record<string, string[] | undefined> = {};
  for (let i = 0; i < repeat; i++) {
    const run: Record<string, unknown> = {};
    for (const name of chosen) {
      await page.evaluate(([hot, mine]) => window.leadlensBench.badgeCache(100_000, hot, mine), mixes[name]);
      // Only the recounts are profiled, not the writing of the 100k leads before them.
      const file = process.env.BENCH_CPU_PROFILE?.replace(/(\.cpuprofile)?$/, `-${name}-${i}.cpuprofile`);
      const { result: measured, top } = await withCpuProfile(page, file, () => page.evaluate(() => window.leadlensBench.badgeMeasure()));
      run[name] = measured;
      if (top) profiles[`${name}-${i}`] = top;
    }
    runs.push(run);
  }
  result.badgeCount100k = runs;
  if (process.env.BENCH_CPU_PROFILE) result.cpuProfileSelfTime = profiles;
} finally {
  await browser.close();
  server.close();
}
result.loadAverageAtEnd = load();
console.log(JSON.stringify(result, null, 2));
