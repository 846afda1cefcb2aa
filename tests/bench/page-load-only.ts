/**
 * `npm run bench:page-load` — only the page-load comparison of `npm run bench` (with / floor /
 * without, tests/bench/page-load.ts): two minutes instead of the whole bench.
 */
import { connectThroughOptions, launchWithExtension } from '../../demo/browser';
import { startDemoStack } from '../../demo/stack';
import { pageLoadBenchmarks } from './page-load';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const stack = await startDemoStack();
const browser = await launchWithExtension({ hostRules: stack.site.hostRules, headless: true });
try {
  (await connectThroughOptions(browser, stack.api.url, stack.token)).close();
  console.log(JSON.stringify(await pageLoadBenchmarks(browser, stack, RUNS), null, 2));
} finally {
  await browser.close();
  await stack.close();
}
