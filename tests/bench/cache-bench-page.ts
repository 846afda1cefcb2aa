/**
 * A local page that runs tests/bench/browser/cache-bench.ts (bundled here) in a real Chromium:
 * the cache and badge benches of `npm run bench` and `tests/bench/badge.ts` open it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';

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
