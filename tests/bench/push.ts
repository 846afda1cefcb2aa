/**
 * `npm run bench:push` — the push stream, measured in real Chromium against the real server,
 * one JSON object out:
 * - ingest → badge latency over 50 events with the stream up, and over a few events with the
 *   poll alone (the stream's upgrades refused by a front door), in the same run;
 * - HTTP requests of 100 idle reps over 10 minutes, push vs poll (the extension's own stream
 *   client and API client, run in Node against the same server, counted at the server);
 * - the service worker's JS heap with the socket up, at the start and after the idle period.
 * BENCH_PUSH_EVENTS, BENCH_POLL_EVENTS, BENCH_IDLE_MINUTES, BENCH_WORKER_MINUTES (default 30)
 * shorten or lengthen it.
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { connectThroughOptions, launchWithExtension } from '../../demo/browser';
import { createRecordSource } from '../../demo/site/sample-records';
import { startCrmSite } from '../../demo/site/server';
import { buildApp } from '../../server/app';
import { connect } from '../../server/db/connect';
import { createUser, ensureOrg } from '../../server/service/users';
import { streamPlugin } from '../../server/stream/plugin';
import { frontDoor } from '../e2e/front-door';
import { ScoringApiClient } from '../../utils/api/client';
import { LiveStream, type SocketLike } from '../../utils/sync/live-stream';
import { SAFETY_NET_POLL_SECONDS } from '../../utils/background/live';
import { percentile } from './stats';
/** The extension's default poll interval (utils/settings.ts; importing it would need a browser). */
const DEFAULT_POLL_SECONDS = 60;

const PUSH_EVENTS = Number(process.env.BENCH_PUSH_EVENTS ?? 50);
const POLL_EVENTS = Number(process.env.BENCH_POLL_EVENTS ?? 5);
const IDLE_MS = Number(process.env.BENCH_IDLE_MINUTES ?? 10) * 60_000;
/** The worker's heap is read again after this long idle with its socket up (≥ the idle count). */
const WORKER_MS = Math.max(IDLE_MS, Number(process.env.BENCH_WORKER_MINUTES ?? 30) * 60_000);
const IDLE_REPS = 100;
const DEVTOOLS_PORT = 9333 + Math.floor(Math.random() * 500);

const summary = (values: number[]) => ({ events: values.length, p50Ms: percentile(values, 50), p95Ms: percentile(values, 95), maxMs: percentile(values, 100) });

// --- the server, behind a front door that can refuse WebSocket upgrades --------------------
const handle = await connect({});
const now = Date.now();
await ensureOrg(handle.db, 'default', now);
const feed = await createUser(handle.db, 'default', { name: 'feed', email: 'feed@example.jp', role: 'ingest' }, now);
const rep = await createUser(handle.db, 'default', { name: '佐藤 健', email: 'sato@example.jp', role: 'rep', team: 'tokyo' }, now);
const requestsBy = new Map<string, number>();
const site = await startCrmSite({ port: 0, records: createRecordSource([]) });
const browser = await launchWithExtension({ hostRules: site.hostRules, headless: true, extraArgs: [`--remote-debugging-port=${DEVTOOLS_PORT}`] });
const app = await buildApp({ db: handle.db, logger: false, config: { corsOrigins: [`chrome-extension://${browser.extensionId}`], rescoreIntervalMs: 0, rateLimitPerMinute: 100_000 }, plugins: [streamPlugin()] });
app.addHook('onRequest', async (req) => {
  const who = req.headers['x-bench-client'];
  if (typeof who === 'string') requestsBy.set(who, (requestsBy.get(who) ?? 0) + 1);
});
await app.listen({ port: 0, host: '127.0.0.1' });
const target = (app.server.address() as AddressInfo).port;
const door = frontDoor(target);
await new Promise<void>((resolve) => door.server.listen(0, '127.0.0.1', resolve));
const apiUrl = `http://127.0.0.1:${(door.server.address() as AddressInfo).port}`;
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${feed.token}`, 'Content-Type': 'application/json', 'x-bench-client': 'feed' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
};

// Leads that one event turns hot: a department head at a 500-person company (profile points)
// with an inquiry behind them; the seminar attendance is the event timed.
const LEADS = PUSH_EVENTS + POLL_EVENTS;
await post('/v1/ingest/leads', { leads: Array.from({ length: LEADS }, (_, i) => ({ externalId: `B-${i}`, name: `リード ${i}`, jobTitle: '部長', employees: 500, ownerEmail: 'sato@example.jp' })) });
await post('/v1/ingest/events', { events: Array.from({ length: LEADS }, (_, i) => ({ id: `form-${i}`, lead: { externalId: `B-${i}` }, type: 'form_submit', at: new Date(now - 3_600_000).toISOString(), title: '資料請求' })) });

const badge = async () => Number((await browser.worker.evaluate(() => chrome.action.getBadgeText({}))) || 0);
async function badgeReaches(value: number, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if ((await badge()) >= value) return performance.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`badge did not reach ${value} in ${timeoutMs} ms`);
}
async function popupLine(): Promise<string> {
  const popup = await browser.context.newPage();
  await popup.goto(browser.extensionUrl('popup.html'));
  const text = (await popup.getByTestId('popup-status').textContent()) ?? '';
  await popup.close();
  return text;
}
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The worker's JS heap through the DevTools protocol (Playwright's worker handle has no CDP session). */
async function workerHeap(): Promise<{ usedBytes: number; totalBytes: number }> {
  const version = await (await fetch(`http://127.0.0.1:${DEVTOOLS_PORT}/json/version`)).json() as { webSocketDebuggerUrl: string };
  const ws = new WebSocket(version.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string) => new Promise<T>((resolve) => {
    pending.set(++id, resolve as (r: unknown) => void);
    ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
  });
  try {
    const { targetInfos } = await send<{ targetInfos: Array<{ targetId: string; type: string; url: string }> }>('Target.getTargets');
    const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${browser.extensionId}/`));
    if (!worker) throw new Error('no service worker target');
    const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId: worker.targetId, flatten: true });
    await send('HeapProfiler.collectGarbage', {}, sessionId);
    const heap = await send<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage', {}, sessionId);
    return { usedBytes: heap.usedSize, totalBytes: heap.totalSize };
  } finally {
    ws.close();
  }
}

const result: Record<string, unknown> = { machine: { cores: (await import('node:os')).cpus().length } };
try {
  await (await connectThroughOptions(browser, apiUrl, rep.token)).close();
  await until(async () => /^Live/.test(await popupLine()), 30_000, 'the stream to go live');

  // 1. Push: each event turns one more lead hot; time from the ingest call's answer to the badge.
  const push: number[] = [];
  for (let i = 0; i < PUSH_EVENTS; i++) {
    const before = await badge();
    await post('/v1/ingest/events', { events: [{ id: `seminar-${randomBytes(6).toString('hex')}`, lead: { externalId: `B-${i}` }, type: 'seminar_attended', at: new Date().toISOString(), title: 'ウェビナー' }] });
    push.push(await badgeReaches(before + 1, 30_000));
  }
  result.ingestToBadgePush = { ...summary(push), budgetP95Ms: 2000, goalP95Ms: 1000 };

  // 2. The poll alone, at the rep's default interval, in the same run.
  door.blockUpgrades();
  await until(async () => !/^Live/.test(await popupLine()), 30_000, 'the stream to drop');
  const poll: number[] = [];
  for (let i = PUSH_EVENTS; i < LEADS; i++) {
    const before = await badge();
    await post('/v1/ingest/events', { events: [{ id: `seminar-${randomBytes(6).toString('hex')}`, lead: { externalId: `B-${i}` }, type: 'seminar_attended', at: new Date().toISOString(), title: 'ウェビナー' }] });
    poll.push(await badgeReaches(before + 1, (DEFAULT_POLL_SECONDS + 30) * 1000));
  }
  result.ingestToBadgePollOnly = { ...summary(poll), pollSeconds: DEFAULT_POLL_SECONDS };
  door.allowUpgrades();
  await until(async () => /^Live/.test(await popupLine()), 120_000, 'the stream to come back');

  // 3. Idle: 100 reps polling vs 100 reps with the stream, same server, same 10 minutes; and the
  // worker's heap with its socket up over the same period.
  const heapStart = await workerHeap();
  const reps = await Promise.all(Array.from({ length: IDLE_REPS * 2 }, (_, i) =>
    createUser(handle.db, 'default', { name: `rep${i}`, email: `rep${i}@example.jp`, role: 'rep', team: 'tokyo' }, Date.now())));
  const stops: Array<() => void> = [];
  const client = (token: string, label: string) => new ScoringApiClient({ baseUrl: apiUrl, token, fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-bench-client': label } }) });
  reps.forEach(({ token }, i) => {
    const label = i < IDLE_REPS ? 'poll' : 'push';
    const api = client(token, label);
    let etag: string | undefined;
    let cursor: string | undefined;
    const syncOnce = async () => {
      const page = await api.changes({ cursor, etag, limit: 500 });
      if (page.ok && !('notModified' in page.value)) ({ cursor, etag } = page.value);
    };
    let timer: NodeJS.Timeout;
    const every = (seconds: () => number) => {
      const tick = () => { timer = setTimeout(() => void syncOnce().finally(tick), seconds() * 1000); };
      void syncOnce().finally(tick);
    };
    if (label === 'poll') {
      every(() => DEFAULT_POLL_SECONDS);
      stops.push(() => clearTimeout(timer));
      return;
    }
    const stream = new LiveStream({
      ticket: async () => {
        const t = await api.streamTicket();
        return t.ok ? { ok: true, url: t.value.url } : { ok: false };
      },
      openSocket: (url) => new WebSocket(url, { headers: { 'x-bench-client': 'push' } }) as unknown as SocketLike,
      onChanged: () => void syncOnce(),
      onState: () => undefined,
      random: Math.random,
    });
    stream.start();
    every(() => SAFETY_NET_POLL_SECONDS);
    stops.push(() => { clearTimeout(timer); stream.stop(); });
  });
  requestsBy.clear();
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const counted = { poll: requestsBy.get('poll') ?? 0, push: requestsBy.get('push') ?? 0 };
  stops.forEach((stop) => stop());
  await new Promise((resolve) => setTimeout(resolve, WORKER_MS - IDLE_MS));
  const heapEnd = await workerHeap();
  result.idleRequests = {
    reps: IDLE_REPS, minutes: IDLE_MS / 60_000, ...counted,
    // In the browser each poll also costs a CORS preflight; the Node clients here have none.
    note: 'HTTP requests at the server; the stream adds one ticket POST and one upgrade per connection, keepalives are WebSocket messages',
  };
  result.workerHeapWithSocket = { minutes: WORKER_MS / 60_000, live: /^Live/.test(await popupLine()), start: heapStart, end: heapEnd, growthBytes: heapEnd.usedBytes - heapStart.usedBytes };
} finally {
  console.log(JSON.stringify(result, null, 2));
  await browser.close();
  door.server.close();
  await app.close();
  await handle.close();
  await site.close();
}
