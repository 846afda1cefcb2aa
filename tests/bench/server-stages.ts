/**
 * `npx tsx tests/bench/server-stages.ts`: where one ingest batch's time goes, per engine, in
 * process (no HTTP, no second process), so a loaded machine blurs it less than the end-to-end
 * bench. Loads the bench's data set (BENCH_LEADS / BENCH_EVENTS, default 20k / 400k), then runs
 * BENCH_BATCHES (default 20) batches of 1,000 new events through ingestEvents and reports, in ms
 * per batch: each statement (Kysely's query log, by the statement's first words) and the time
 * between statements (JS: validation, scoring, encoding; plus begin/commit, which Kysely does not
 * log), named after the statement that follows it. BENCH_ENGINES as in server.ts.
 * CPU time per batch is reported too, being less sensitive to a loaded machine than wall time:
 * this process's, and on PostgreSQL the one backend's (the pool has one connection; read from
 * /proc, so only when the server runs on this machine), and on PostgreSQL the backend's CPU split
 * per statement (`backendCpuMsPerBatch`).
 * BENCH_STAGES_PROFILE=<dir> writes a CPU profile of the batches alone (<engine>.cpuprofile).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type LogEvent } from 'kysely';
import { connect, type Engine } from '../../server/db/connect';
import { ingestEvents } from '../../server/service/ingest';
import { ChangeNotifier } from '../../server/service/notifier';
import { loadBenchData, ORG } from './server-data';
import { dropPgSchema } from '../pg-schema';
import { startCpuProfile } from './cpu-profile';

const LEADS = Number(process.env.BENCH_LEADS ?? 20_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 400_000);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 20);
const PG_URL = process.env.LEADLENS_BENCH_DATABASE_URL ?? process.env.LEADLENS_TEST_DATABASE_URL;
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',').filter((e): e is Engine => e === 'pglite' || (e === 'postgres' && !!PG_URL));

interface Logged { end: number; ms: number; label: string; backendNs: number | undefined }

/** A statement's name: its first words, literals and placeholders left out. */
const labelOf = (sqlText: string): string => sqlText.replace(/\s+/g, ' ').replace(/\$\d+/g, '?').trim().slice(0, 70);

async function stages(engine: Engine): Promise<Record<string, unknown>> {
  const dataDir = engine === 'pglite' ? mkdtempSync(join(tmpdir(), 'leadlens-stages-')) : undefined;
  const schema = `stages_${Date.now().toString(36)}`;
  let recording = false;
  const logged: Logged[] = [];
  // Set once the backend's pid is known (PostgreSQL only).
  let backendNs: () => number | undefined = () => undefined;
  const log = (e: LogEvent): void => {
    if (recording) logged.push({ end: performance.now(), ms: e.queryDurationMillis, label: labelOf(e.query.sql), backendNs: backendNs() });
  };
  const handle = await connect(engine === 'pglite' ? { dataDir, log } : { databaseUrl: PG_URL, schema, log, poolSize: 1 });
  try {
    const notifier = new ChangeNotifier();
    const t = performance.now();
    await loadBenchData(handle, notifier, LEADS, EVENTS);
    const loadSeconds = Math.round((performance.now() - t) / 100) / 10;
    const deps = { db: handle.db, clock: Date.now, notifier };
    const totals = new Map<string, number>();
    const add = (k: string, ms: number): void => {
      totals.set(k, (totals.get(k) ?? 0) + ms);
    };
    const batchMs: number[] = [];
    let n = 0;
    const backend = engine === 'postgres' ? (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db)).rows[0]?.pid : undefined;
    /** The backend's user + system CPU in ms (clock ticks of 10 ms), undefined when /proc cannot tell. */
    const backendCpu = (): number | undefined => {
      try {
        const fields = readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        return (Number(fields[11]) + Number(fields[12])) * 10;
      } catch {
        return undefined;
      }
    };
    // The backend's time on a CPU in ns (/proc/<pid>/schedstat): fine enough to split per statement.
    // node-postgres sends one statement at a time, so the backend's CPU between two statements'
    // answers is the later one's (a queued statement starts only when the previous one answered).
    if (backend !== undefined) {
      backendNs = () => {
        try {
          return Number(readFileSync(`/proc/${backend}/schedstat`, 'utf8').split(' ')[0]);
        } catch {
          return undefined;
        }
      };
    }
    const backendTotals = new Map<string, number>();
    const cpu0 = process.cpuUsage();
    const db0 = backend !== undefined ? backendCpu() : undefined;
    const profiler = await startCpuProfile();
    for (let b = 0; b < BATCHES; b++) {
      const events = Array.from({ length: 1000 }, () => {
        const i = n++;
        const lead = Math.floor(Math.random() * LEADS);
        return { id: `live-${i}`, lead: { externalId: `L${lead}` }, type: i % 10 === 0 ? 'form_submit' : 'email_click', at: new Date().toISOString(), title: `Live ${i}`, channel: 'web' };
      });
      logged.length = 0;
      recording = true;
      const ns0 = backendNs();
      const t0 = performance.now();
      const r = await ingestEvents(deps, { orgId: ORG }, events);
      const t1 = performance.now();
      recording = false;
      if (r.accepted !== 1000) throw new Error(`ingest accepted ${r.accepted}: ${JSON.stringify(r.rejected.slice(0, 3))}`);
      batchMs.push(t1 - t0);
      let prev = t0;
      let prevNs = ns0;
      for (const q of logged) {
        add(`js before: ${q.label}`, Math.max(0, q.end - q.ms - prev));
        add(`sql: ${q.label}`, q.ms);
        prev = q.end;
        if (q.backendNs !== undefined && prevNs !== undefined) backendTotals.set(q.label, (backendTotals.get(q.label) ?? 0) + (q.backendNs - prevNs) / 1e6);
        prevNs = q.backendNs;
      }
      add('js after the last statement (commit included)', t1 - prev);
    }
    const cpu = process.cpuUsage(cpu0);
    const db1 = backend !== undefined ? backendCpu() : undefined;
    await profiler.stop(engine);
    const perBatch = Object.fromEntries([...totals].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round((v / BATCHES) * 10) / 10]));
    const sorted = [...batchMs].sort((a, b) => a - b);
    return {
      leads: LEADS, events: EVENTS, loadSeconds, batches: BATCHES,
      batchMs: { mean: Math.round(batchMs.reduce((a, b) => a + b, 0) / BATCHES), p50: Math.round(sorted[Math.floor(BATCHES / 2)] ?? NaN), min: Math.round(sorted[0] ?? NaN) },
      cpuMsPerBatch: {
        node: Math.round((cpu.user + cpu.system) / 1000 / BATCHES),
        ...(db0 !== undefined && db1 !== undefined ? { postgresBackend: Math.round((db1 - db0) / BATCHES) } : {}),
      },
      perBatchMs: perBatch,
      ...(backendTotals.size > 0 ? { backendCpuMsPerBatch: Object.fromEntries([...backendTotals].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round((v / BATCHES) * 10) / 10])) } : {}),
    };
  } finally {
    await handle.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (engine === 'postgres') await dropPgSchema(PG_URL, schema);
  }
}

const out: Record<string, unknown> = {};
for (const engine of ENGINES) out[engine] = await stages(engine);
console.log(JSON.stringify(out, null, 2));
