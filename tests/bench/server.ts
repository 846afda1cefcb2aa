/**
 * `npm run bench:server` (part of `npm run bench`): the server's budgets, printed as one JSON
 * object. Per engine (PGlite in a temporary data directory; PostgreSQL when
 * LEADLENS_BENCH_DATABASE_URL or LEADLENS_TEST_DATABASE_URL is set):
 *  - load BENCH_LEADS leads and BENCH_EVENTS background events in bulk (SQL generate_series:
 *    the load itself is not what is timed), then score every lead once as the server would have
 *    when those events came in (timed apart, `scoreBackgroundSeconds`), so the ingest below
 *    meets the steady state and not leads that were never scored; on the embedded engine, then
 *    vacuum and analyze it as the server's schedule would have (`vacuumAfterLoadSeconds`);
 *  - ingest throughput: BENCH_BATCHES batches of 1,000 new events over random leads, through
 *    POST /v1/ingest/events on a real socket (scored before the answer), BENCH_INGEST_CONCURRENCY
 *    (default 1) of them in flight at once;
 *  - GET /v1/leads/changes page of 500: p50/p95 for an admin (whole org) and a rep (own leads);
 *  - event → visible in /changes: POST one event, then GET the rep's /changes until it shows;
 *  - idle poll: the rep's /changes at the feed's end with the last ETag, nothing new (the most
 *    frequent request of all: every extension polls every N seconds), expected 304;
 *  - lookup (GET /v1/leads/lookup by the rep's kintone record) and detail (GET /v1/leads/{id}),
 *    each on a different lead of the rep, p50/p95;
 *  - peak RSS of the server on the embedded engine: the server runs in a process of its own
 *    (tests/bench/server-process.ts, forked once the data is loaded), so the number is the
 *    server's alone; the bulk load, the initial scoring and the load generator stay in this
 *    process (its own peak is reported apart, `benchProcessPeakRssMB`).
 * BENCH_SERVER_NODE_ARGS passes Node flags to the server process (e.g. `--cpu-prof --cpu-prof-dir=prof`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Engine } from '../../server/db/connect';
import { ChangeNotifier } from '../../server/service/notifier';
import { createUser } from '../../server/service/users';
import { loadBenchData, ORG, REPS } from './server-data';
import { vacuumEmbedded } from '../../server/service/maintenance';
import { dropPgSchema } from '../pg-schema';
import { summary } from './stats';

const LEADS = Number(process.env.BENCH_LEADS ?? 100_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000_000);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 20);
const INGEST_CONCURRENCY = Number(process.env.BENCH_INGEST_CONCURRENCY ?? 1);
if (!Number.isInteger(INGEST_CONCURRENCY) || INGEST_CONCURRENCY < 1) throw new Error(`BENCH_INGEST_CONCURRENCY must be a whole number ≥ 1 (got ${process.env.BENCH_INGEST_CONCURRENCY})`);
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const PG_URL = process.env.LEADLENS_BENCH_DATABASE_URL ?? process.env.LEADLENS_TEST_DATABASE_URL;
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',').filter((e): e is Engine => e === 'pglite' || (e === 'postgres' && !!PG_URL));


let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

/** The server in its own process on the loaded database: its URL, its peak RSS, and a way to stop it. */
async function startServer(env: Record<string, string>): Promise<{ url: string; peakRss(): Promise<number>; close(): Promise<void> }> {
  const child: ChildProcess = fork(new URL('./server-process.ts', import.meta.url), [], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = async <T>(type: string): Promise<T> => new Promise((resolve, reject) => {
    const onMessage = (m: { type?: string }): void => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null): void => reject(new Error(`the bench server exited (${code ?? 'signal'}) before answering ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { url } = await next<{ url: string }>('ready');
  return {
    url,
    peakRss: async () => {
      const answer = next<{ peakRssBytes: number }>('rss');
      child.send({ type: 'rss' });
      return (await answer).peakRssBytes;
    },
    close: async () => {
      child.send({ type: 'close' });
      await exited;
    },
  };
}

async function benchEngine(engine: Engine): Promise<Record<string, unknown>> {
  const dataDir = engine === 'pglite' ? mkdtempSync(join(tmpdir(), 'leadlens-bench-')) : undefined;
  const schema = `bench_${Date.now().toString(36)}`;
  const handle = await connect(engine === 'pglite' ? { dataDir } : { databaseUrl: PG_URL, schema });
  peakRss = process.memoryUsage().rss;
  const notifier = new ChangeNotifier();
  let closed = false;
  try {
    const { reps, loadLeadsMs, loadEventsMs, scoreMs } = await loadBenchData(handle, notifier, LEADS, EVENTS);
    const ingestToken = (await createUser(handle.db, ORG, { name: 'Ingest', email: 'ingest@bench.test', role: 'ingest' }, Date.now())).token;
    const adminToken = (await createUser(handle.db, ORG, { name: 'Admin', email: 'admin@bench.test', role: 'admin' }, Date.now())).token;
    const loaded = await handle.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', ORG).executeTakeFirstOrThrow();
    // A running server has vacuumed the embedded engine within a re-score interval of the load
    // (service/maintenance.ts); PostgreSQL's autovacuum does it by itself.
    const vacuumStart = performance.now();
    if (engine === 'pglite') await vacuumEmbedded(handle.db);
    const vacuumMs = Math.round(performance.now() - vacuumStart);
    // The embedded engine is one process's: this one lets go of the data directory first.
    await handle.close();
    closed = true;
    const server = await startServer(engine === 'pglite' ? { LEADLENS_BENCH_DATA_DIR: dataDir ?? '' } : { LEADLENS_BENCH_DATABASE_URL: PG_URL ?? '', LEADLENS_BENCH_SCHEMA: schema });
    const url = server.url;
    const post = async (path: string, token: string, body: unknown): Promise<Response> =>
      fetch(url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const get = async (path: string, token: string): Promise<Response> => fetch(url + path, { headers: { authorization: `Bearer ${token}` } });

    // Ingest throughput: BENCH_INGEST_CONCURRENCY senders (default 1) take the next batch as soon
    // as their previous one is answered, as concurrent webhooks would.
    let seq = 0;
    let accepted = 0;
    let nextBatch = 0;
    const batchMs: number[] = [];
    const sender = async (): Promise<void> => {
      while (nextBatch < BATCHES) {
        nextBatch += 1;
        const events = Array.from({ length: 1000 }, () => {
          const n = seq++;
          const lead = Math.floor(Math.random() * LEADS);
          return { id: `live-${n}`, lead: { externalId: `L${lead}` }, type: n % 10 === 0 ? 'form_submit' : 'email_click', at: new Date().toISOString(), title: `Live ${n}`, channel: 'web' };
        });
        const t = performance.now();
        const res = await post('/v1/ingest/events', ingestToken, { events });
        const body = (await res.json()) as { accepted: number };
        if (res.status !== 202 || body.accepted !== 1000) throw new Error(`ingest answered ${res.status} ${JSON.stringify(body)}`);
        accepted += body.accepted;
        batchMs.push(performance.now() - t);
      }
    };
    const ingestStart = performance.now();
    await Promise.all(Array.from({ length: INGEST_CONCURRENCY }, sender));
    const ingestMs = performance.now() - ingestStart;

    // /changes pages of 500: the admin walks the whole org, a rep their own leads.
    const pages = async (token: string): Promise<number[]> => {
      const times: number[] = [];
      let cursor = '';
      while (times.length < RUNS) {
        const t = performance.now();
        const res = await get(`/v1/leads/changes?limit=500${cursor ? `&cursor=${cursor}` : ''}`, token);
        const body = (await res.json()) as { cursor: string; hasMore: boolean; leads: unknown[] };
        times.push(performance.now() - t);
        cursor = body.hasMore ? body.cursor : '';
      }
      return times;
    };
    const adminPages = await pages(adminToken);
    const repPages = await pages(reps[0] ?? '');

    // Event → visible in the rep's /changes.
    const rep0 = reps[0] ?? '';
    let cursor = '';
    for (;;) {
      const body = (await (await get(`/v1/leads/changes?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, rep0)).json()) as { cursor: string; hasMore: boolean };
      cursor = body.cursor;
      if (!body.hasMore) break;
    }
    const visible: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const lead = (i * REPS) % LEADS; // owned by rep 0
      const t = performance.now();
      const res = await post('/v1/ingest/events', ingestToken, { events: [{ id: `vis-${i}`, lead: { externalId: `L${lead}` }, type: 'download', at: new Date().toISOString() }] });
      accepted += ((await res.json()) as { accepted: number }).accepted;
      for (;;) {
        const body = (await (await get(`/v1/leads/changes?cursor=${cursor}`, rep0)).json()) as { cursor: string; leads: { name: string }[] };
        cursor = body.cursor;
        if (body.leads.some((l) => l.name === `Lead ${lead}`)) break;
      }
      visible.push(performance.now() - t);
    }
    // Idle poll: the feed's end, the answer's ETag sent back; nothing moves in between.
    const atEnd = await get(`/v1/leads/changes?cursor=${cursor}`, rep0);
    await atEnd.arrayBuffer();
    const etag = atEnd.headers.get('etag') ?? '';
    const idle: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const res = await fetch(`${url}/v1/leads/changes?cursor=${cursor}`, { headers: { authorization: `Bearer ${rep0}`, 'if-none-match': etag } });
      await res.arrayBuffer();
      idle.push(performance.now() - t);
      if (res.status !== 304) throw new Error(`idle poll answered ${res.status}, not 304`);
    }
    // Lookup and detail: a different lead of rep 0 each time (the panel opens a record).
    const lookups: number[] = [];
    const details: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const lead = ((i + RUNS) * REPS) % LEADS;
      let t = performance.now();
      const found = await get(`/v1/leads/lookup?crm=kintone&objectType=12&recordId=${lead}&host=bench.cybozu.com`, rep0);
      const body = (await found.json()) as { lead?: { id: string } };
      lookups.push(performance.now() - t);
      if (found.status !== 200 || body.lead?.id !== `ld_${lead}`) throw new Error(`lookup answered ${found.status} ${JSON.stringify(body).slice(0, 200)}`);
      t = performance.now();
      const shown = await get(`/v1/leads/ld_${(lead + REPS) % LEADS}`, rep0);
      await shown.arrayBuffer();
      details.push(performance.now() - t);
      if (shown.status !== 200) throw new Error(`detail answered ${shown.status}`);
    }
    const serverPeakRss = await server.peakRss();
    await server.close();
    return {
      leads: LEADS,
      eventsLoaded: Number(loaded.n) + accepted,
      loadLeadsSeconds: Math.round(loadLeadsMs / 100) / 10,
      loadBackgroundEventsSeconds: Math.round(loadEventsMs / 100) / 10,
      scoreBackgroundSeconds: Math.round(scoreMs / 100) / 10,
      ...(engine === 'pglite' ? { vacuumAfterLoadSeconds: Math.round(vacuumMs / 100) / 10 } : {}),
      ingest: { batchSize: 1000, batches: BATCHES, concurrency: INGEST_CONCURRENCY, eventsPerSecond: Math.round((BATCHES * 1000) / (ingestMs / 1000)), batchMs: summary(batchMs) },
      changesPage500Ms: { admin: summary(adminPages), rep: summary(repPages) },
      eventToVisibleMs: summary(visible),
      idlePollMs: summary(idle),
      lookupMs: summary(lookups),
      detailMs: summary(details),
      ...(engine === 'pglite' ? { peakRssMB: mb(serverPeakRss), benchProcessPeakRssMB: mb(peakRss) } : {}),
    };
  } finally {
    if (!closed) await handle.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (engine === 'postgres') await dropPgSchema(PG_URL, schema);
  }
}

const result: Record<string, unknown> = {
  budgets: { ingestEventsPerSecond: { pglite: 5000, postgres: 10000 }, changesPage500P95Ms: 50, peakRssMB: 1024 },
};
for (const engine of ENGINES) result[engine] = await benchEngine(engine);
if (!ENGINES.includes('postgres')) result.postgres = 'skipped: set LEADLENS_BENCH_DATABASE_URL or LEADLENS_TEST_DATABASE_URL';
clearInterval(sampler);
console.log(JSON.stringify({ server: result }, null, 2));
