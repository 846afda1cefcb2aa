/**
 * `npx tsx tests/bench/changes-stages.ts`: where one `GET /v1/leads/changes` page of 500 spends
 * its time, per engine, in process (Fastify's inject, no socket), for an admin and a rep walking
 * the feed. Loads the bench's data set (BENCH_LEADS / BENCH_EVENTS, default 20k / 400k), then
 * per page reports in ms: the whole request, each statement (Kysely's query log: the driver's
 * row decoding is inside it), the JS between statements (named after the statement that
 * follows), and the JS after the last one split into the service (parse + contract objects) and
 * Fastify's send (JSON.stringify and the write), timed apart on the same body. Then prints the
 * page query's plan (EXPLAIN ANALYZE) for both readers.
 * On the embedded engine also the process's CPU time per request (requestCpuMs), which a loaded
 * machine moves less than wall time (it counts Node's GC and compiler threads too: it can exceed
 * wall time). The first page of a walk (a snapshot, no cursor) and the later ones apart
 * (firstPageMs, laterPagesMs); the page statement's parse and plan alone (`explain` without
 * analyze, pageStatementPlanMs) next to the statement run whole (pageStatementMs), both outside
 * the request, interleaved; and the reader's idle poll at the feed's end (a 304, idlePollMs).
 * BENCH_RUNS pages per reader (default 40). BENCH_ENGINES as in server.ts.
 * BENCH_STAGES_DATA_DIR=<dir> keeps the PGlite data between runs (loaded once), to iterate.
 * BENCH_STAGES_INGEST=<n> first ingests n batches of 1,000 events over random leads through the
 * route, as server.ts does before it pages (default 0): the statistics then no longer cover the
 * newest seqs, which is where the rep's follows range once lost its plan. With a kept data dir
 * the batches add up run after run.
 * BENCH_STAGES_PROFILE=<dir> writes a CPU profile of the pages (<engine>-changes.cpuprofile).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql, type LogEvent } from 'kysely';
import { buildApp } from '../../server/app';
import { connect, type Engine } from '../../server/db/connect';
import { changes } from '../../server/service/leads';
import { ChangeNotifier } from '../../server/service/notifier';
import { sessionOf } from '../../server/service/users';
import { hashToken } from '../../server/auth/tokens';
import { createUser } from '../../server/service/users';
import { loadBenchData, ORG } from './server-data';
import { dropPgSchema } from '../pg-schema';
import { summary } from './stats';
import { startCpuProfile } from './cpu-profile';

const LEADS = Number(process.env.BENCH_LEADS ?? 20_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 400_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const PG_URL = process.env.LEADLENS_BENCH_DATABASE_URL ?? process.env.LEADLENS_TEST_DATABASE_URL;
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',').filter((e): e is Engine => e === 'pglite' || (e === 'postgres' && !!PG_URL));
const KEEP_DIR = process.env.BENCH_STAGES_DATA_DIR;
const INGEST_BATCHES = Number(process.env.BENCH_STAGES_INGEST ?? 0);
if (!Number.isInteger(INGEST_BATCHES) || INGEST_BATCHES < 0) throw new Error(`BENCH_STAGES_INGEST must be a whole number ≥ 0 (got ${process.env.BENCH_STAGES_INGEST})`);

interface Logged { end: number; ms: number; label: string; sql: string; parameters: readonly unknown[] }
const labelOf = (sqlText: string): string => sqlText.replace(/\s+/g, ' ').replace(/\$\d+/g, '?').trim().slice(0, 60);
const round = (x: number): number => Math.round(x * 100) / 100;

async function stages(engine: Engine): Promise<Record<string, unknown>> {
  const kept = engine === 'pglite' && KEEP_DIR !== undefined;
  const dataDir = engine === 'pglite' ? KEEP_DIR ?? mkdtempSync(join(tmpdir(), 'leadlens-changes-')) : undefined;
  const loaded = kept && existsSync(join(dataDir ?? '', 'PG_VERSION'));
  const schema = `changes_${Date.now().toString(36)}`;
  let recording = false;
  const logged: Logged[] = [];
  const log = (e: LogEvent): void => {
    if (recording) logged.push({ end: performance.now(), ms: e.queryDurationMillis, label: labelOf(e.query.sql), sql: e.query.sql, parameters: e.query.parameters });
  };
  const handle = await connect(engine === 'pglite' ? { dataDir, log } : { databaseUrl: PG_URL, schema, log, poolSize: 1 });
  try {
    const notifier = new ChangeNotifier();
    if (!loaded) {
      await loadBenchData(handle, notifier, LEADS, EVENTS);
      await createUser(handle.db, ORG, { name: 'Admin', email: 'admin@bench.test', role: 'admin' }, Date.now(), 'a'.repeat(43));
      await createUser(handle.db, ORG, { name: 'Rep', email: 'rep-stages@bench.test', role: 'rep', team: 'east' }, Date.now(), 'r'.repeat(43));
      // The stage rep owns the leads rep 0 owns, so its feed is a tenth of the org's.
      const rep0 = await handle.db.selectFrom('users').select('id').where('email', '=', 'rep0@bench.test').executeTakeFirstOrThrow();
      const me = await handle.db.selectFrom('users').select('id').where('email', '=', 'rep-stages@bench.test').executeTakeFirstOrThrow();
      await handle.db.updateTable('leads').set({ owner_id: me.id }).where('owner_id', '=', rep0.id).execute();
      await sql`analyze`.execute(handle.db);
    }
    const app = await buildApp({ db: handle.db, logger: false, config: { rescoreIntervalMs: 0, ingestRateLimitPerMinute: 1e9, rateLimitPerMinute: 1e9 } });
    const deps = app.leadlens.deps;
    if (INGEST_BATCHES > 0) {
      const run = Date.now().toString(36);
      const ingest = (await createUser(handle.db, ORG, { name: 'Ingest', email: `ingest-${run}@bench.test`, role: 'ingest' }, Date.now())).token;
      for (let b = 0; b < INGEST_BATCHES; b++) {
        const events = Array.from({ length: 1000 }, (_, i) => ({
          id: `stages-${run}-${b}-${i}`, lead: { externalId: `L${Math.floor(Math.random() * LEADS)}` }, type: i % 10 === 0 ? 'form_submit' : 'email_click', at: new Date().toISOString(), channel: 'web',
        }));
        const res = await app.inject({ method: 'POST', url: '/v1/ingest/events', headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' }, payload: { events } });
        if (res.statusCode !== 202) throw new Error(`ingest answered ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    const out: Record<string, unknown> = {};
    const profiler = await startCpuProfile();
    const plans: Record<string, string> = {};
    for (const [who, token] of [['admin', 'a'.repeat(43)], ['rep', 'r'.repeat(43)]] as const) {
      const totals = new Map<string, number>();
      const add = (k: string, ms: number): void => {
        totals.set(k, (totals.get(k) ?? 0) + ms);
      };
      const whole: number[] = [];
      const first: number[] = [];
      const later: number[] = [];
      const pageStatements: Logged[] = [];
      // This process's CPU per request (the embedded engine runs in it): less moved by a loaded machine than wall time.
      const cpuMs: number[] = [];
      let cursor = '';
      let pageSql: Logged | undefined;
      // Two warm-up pages, then RUNS measured ones.
      for (let i = -2; i < RUNS; i++) {
        logged.length = 0;
        recording = i >= 0;
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const res = await app.inject({ method: 'GET', url: `/v1/leads/changes?limit=500${cursor ? `&cursor=${cursor}` : ''}`, headers: { authorization: `Bearer ${token}` } });
        const t1 = performance.now();
        const cpu = process.cpuUsage(c0);
        recording = false;
        if (res.statusCode !== 200) throw new Error(`changes answered ${res.statusCode} ${res.body.slice(0, 200)}`);
        const body = res.json<{ cursor: string; hasMore: boolean; leads: unknown[] }>();
        if (i >= 0) {
          whole.push(t1 - t0);
          (cursor ? later : first).push(t1 - t0);
          cpuMs.push((cpu.user + cpu.system) / 1000);
          let prev = t0;
          for (const q of logged) {
            add(`js before: ${q.label}`, Math.max(0, q.end - q.ms - prev));
            add(`sql: ${q.label}`, q.ms);
            prev = q.end;
          }
          add('js after the last statement', t1 - prev);
          pageSql = logged[logged.length - 1];
          if (pageSql) pageStatements.push(pageSql);
          add('bytes', res.rawPayload.length);
          // The same page again through the service alone, then its serialisation, timed apart.
          const s = await sessionOf(deps.db, hashToken(token));
          if (!s) throw new Error('no session');
          const page = await changes(deps, s.user, { ...(cursor ? { cursor } : {}), limit: 500 }, 'en', s.feed);
          if (page.status !== 200) throw new Error('not 200');
          const t2 = performance.now();
          const text = JSON.stringify(page.body);
          add('apart: JSON.stringify of the body', performance.now() - t2);
          if (text.length === 0) throw new Error('empty');
        }
        cursor = body.hasMore ? body.cursor : '';
      }
      // The page statements again, outside the request: planned only, then run whole.
      const planMs: number[] = [];
      const runMs: number[] = [];
      for (const q of pageStatements) {
        let t = performance.now();
        await handle.db.executeQuery(CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]));
        planMs.push(performance.now() - t);
        t = performance.now();
        await handle.db.executeQuery(CompiledQuery.raw(q.sql, [...q.parameters]));
        runMs.push(performance.now() - t);
      }
      // The idle poll: the feed's end with the answer's ETag, nothing new.
      let end = '';
      for (;;) {
        const r = await app.inject({ method: 'GET', url: `/v1/leads/changes?limit=1000${end ? `&cursor=${end}` : ''}`, headers: { authorization: `Bearer ${token}` } });
        const b = r.json<{ cursor: string; hasMore: boolean }>();
        end = b.cursor;
        if (!b.hasMore) break;
      }
      const atEnd = await app.inject({ method: 'GET', url: `/v1/leads/changes?cursor=${end}`, headers: { authorization: `Bearer ${token}` } });
      const idle: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const r = await app.inject({ method: 'GET', url: `/v1/leads/changes?cursor=${end}`, headers: { authorization: `Bearer ${token}`, 'if-none-match': String(atEnd.headers.etag) } });
        idle.push(performance.now() - t);
        if (r.statusCode !== 304) throw new Error(`idle poll answered ${r.statusCode}, not 304`);
      }
      if (pageSql) {
        const explained = await handle.db.executeQuery(CompiledQuery.raw(`explain (analyze, buffers) ${pageSql.sql}`, [...pageSql.parameters]));
        plans[who] = (explained.rows as Record<string, string>[]).map((r) => Object.values(r)[0]).join('\n');
      }
      out[who] = {
        requestMs: summary(whole),
        ...(engine === 'pglite' ? { requestCpuMs: summary(cpuMs) } : {}),
        firstPageMs: summary(first),
        laterPagesMs: summary(later),
        pageStatementMs: summary(runMs),
        pageStatementPlanMs: summary(planMs),
        idlePollMs: summary(idle),
        perPageMs: Object.fromEntries([...totals].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v / RUNS)])),
      };
    }
    await profiler.stop(`${engine}-changes`);
    await app.close();
    if (process.env.BENCH_STAGES_PLANS !== '0') for (const [who, plan] of Object.entries(plans)) console.error(`--- ${engine} ${who} page plan\n${plan}`);
    return out;
  } finally {
    await handle.close();
    if (dataDir && !kept) rmSync(dataDir, { recursive: true, force: true });
    if (engine === 'postgres') await dropPgSchema(PG_URL, schema);
  }
}

const result: Record<string, unknown> = {};
for (const engine of ENGINES) result[engine] = await stages(engine);
console.log(JSON.stringify(result, null, 2));
