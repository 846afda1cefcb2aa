/**
 * A local page that runs tests/bench/browser/cache-bench.ts (bundled here) in a real Chromium:
 * the cache and badge benches of `npm run bench`, `tests/bench/badge.ts` and `tests/bench/ingest.ts`
 * open it. `withCpuProfile` records Chromium's own CPU profile of the page meanwhile.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';

export async function serveCacheBenchPage(): Promise<{ origin: string; close(): void }> {
  const bundle = await build({ entryPoints: [join(import.meta.dirname, 'browser/cache-bench.ts')], bundle: true, write: false, format: 'iife', target: 'chrome120' });
  const script = bundle.outputFiles[0]?.text ?? '';
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>bench</title><script src="/bench.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] }

/**
 * Runs `work` under Chromium's sampling profiler (CDP Profiler, 100 µs) when `file` is given:
 * writes the .cpuprofile (DevTools opens it) and returns the functions with the most self time.
 */
export async function withCpuProfile<T>(page: Page, file: string | undefined, work: () => Promise<T>): Promise<{ result: T; top?: string[] }> {
  if (!file) return { result: await work() };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const result = await work();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  await cdp.detach();
  writeFileSync(file, JSON.stringify(profile));
  const total = (profile.endTime - profile.startTime) / 1000;
  const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
  const self = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\//, '')}:${lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (node.hitCount ?? 0));
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([name, n]) => `${((n / hits) * total).toFixed(1)} ms ${name}`);
  return { result, top };
}
