/**
 * `npx tsx tests/bench/server-scoring.ts`: the Node CPU of one ingest batch's scoring step alone
 * (no database, no HTTP), what server/service/rescore.ts does per touched lead in incremental
 * mode: read the stored running state, fold the new events in, summarise, fingerprint, write the
 * state back as text, and build the feed summary a bump stores. The leads look like the server benches' (tests/bench/server-data.ts:
 * BENCH_LEADS, default 20,000, with 20 background events each over 90 days and a kintone ref);
 * each batch gives one live event to each of BENCH_BATCH_LEADS (default 1,000) random leads, so
 * tails hold the live events of earlier batches as they do there. BENCH_BATCHES (default 60);
 * prints the median CPU ms per batch of each step and in all (GC included where it falls), and
 * the mean stored state size. A quiet
 * number for the scoring code, which the database benches blur (the machine is shared).
 */
import { addEvents, buildState, summaryFromState, type ScoreState, type SummaryOut } from '../../server/scoring/incremental';
import { decodeState, encodeState } from '../../server/scoring/state-codec';
import type { LeadEvent, LeadProfile } from '../../server/scoring/model';
import { DEFAULT_RULES } from '../../server/scoring/rules';
import { fingerprintOf, storedFromState, type LeadRow, type StoredScore } from '../../server/service/rescore';
import { feedViews } from '../../server/service/present';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 60);
const LEADS = Number(process.env.BENCH_LEADS ?? 20_000);
const PER_BATCH = Number(process.env.BENCH_BATCH_LEADS ?? 1000);
const DAY = 86_400_000;
const TYPES = ['email_open', 'email_click', 'web_visit', 'download', 'seminar_registered', 'key_page'];

let clock = Date.parse('2026-11-20T03:00:00Z');
const leads = Array.from({ length: LEADS }, (_, l) => {
  const row: LeadRow = {
    id: `ld_${l}`, name: `Lead ${l}`, company: `Company ${l % 5000}`, email: `lead${l}@bench.test`, phone: null, owner_id: `usr_${l % 10}`,
    team: 'east', job_title: null, employees: (l * 37) % 3000, created_at: clock - 100 * DAY, fingerprint: 'bulk',
  };
  const profile: LeadProfile = { employees: (l * 37) % 3000, createdAt: clock - 100 * DAY };
  const history: LeadEvent[] = Array.from({ length: 20 }, (_, k) => {
    const g = l + k * 20_000;
    return { id: `bg-${g}`, at: clock - ((g * 7919) % 7_776_000) * 1000, type: TYPES[g % 6] ?? 'email_open', title: `Background ${g}`, channel: 'web' };
  });
  return { row, profile, refs: [{ lead_id: row.id, crm: 'kintone', object_type: '12', record_id: String(l), host: 'bench.cybozu.com', url: null }], text: encodeState(buildState(history, clock, DEFAULT_RULES, profile)) };
});

let n = 0;
const liveEvent = (): LeadEvent => {
  const i = n++;
  return { id: `live-${i}`, at: clock, type: i % 10 === 0 ? 'form_submit' : 'email_click', title: `Live ${i}`, channel: 'web' };
};

const steps = { decode: [] as number[], fold: [] as number[], summary: [] as number[], fingerprint: [] as number[], views: [] as number[], encode: [] as number[], all: [] as number[] };
let viewBytes = 0;
let bytes = 0;
let states = 0;
/** CPU ms (user + system) of fn: less blurred than wall time when other processes share the cores. */
function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}
for (let b = 0; b < BATCHES + 5; b++) {
  // Batches a few seconds apart, like a steady feed.
  clock += 3_000;
  const touched = Array.from({ length: PER_BATCH }, () => leads[Math.floor(Math.random() * LEADS)]).filter((l) => l !== undefined);
  const events = touched.map(() => [liveEvent()]);
  // A profile object per lead and batch, as rescore.ts builds it from the lead's row.
  const profiles = touched.map((l): LeadProfile => ({ ...(l.row.employees !== null ? { employees: l.row.employees } : {}), createdAt: l.row.created_at }));
  // Step by step over the whole batch (each step's CPU measured apart), as the pipeline does per chunk.
  let decoded: ScoreState[] = [];
  let folded: ScoreState[] = [];
  let summaries: SummaryOut[] = [];
  let scores: StoredScore[] = [];
  const t = {
    decode: cpuMs(() => {
      decoded = touched.map((l) => {
        const state = decodeState(l.text);
        if (!state) throw new Error('state did not read back');
        return state;
      });
    }),
    fold: cpuMs(() => {
      folded = decoded.map((state, i) => {
        const next = addEvents(state, events[i] ?? [], clock, DEFAULT_RULES, profiles[i] ?? {});
        if (!next) throw new Error('fold refused');
        return next;
      });
    }),
    summary: cpuMs(() => {
      summaries = folded.map((state, i) => {
        const s = summaryFromState(state, clock, DEFAULT_RULES, profiles[i] ?? {});
        if (!s) throw new Error('summary refused');
        return s;
      });
    }),
    fingerprint: cpuMs(() => {
      scores = summaries.map((s, i) => {
        const score = storedFromState(s);
        const lead = touched[i];
        if (lead) lead.row.fingerprint = fingerprintOf(lead.row, lead.refs, score);
        return score;
      });
    }),
    // Every lead of a batch moves (its score changes), so each stores its feed summary.
    views: cpuMs(() => {
      scores.forEach((score, i) => {
        const lead = touched[i];
        if (lead) viewBytes += feedViews({ ...lead.row, score, updated_at: clock, owner_name: 'Bench Rep' }, lead.refs).en.length;
      });
    }),
    encode: cpuMs(() => {
      folded.forEach((state, i) => {
        const lead = touched[i];
        if (lead) lead.text = encodeState(state);
      });
    }),
  };
  // The first batches warm the JIT up.
  if (b < 5) continue;
  for (const lead of touched) {
    bytes += lead.text.length;
    states += 1;
  }
  for (const k of Object.keys(t) as (keyof typeof t)[]) steps[k].push(t[k]);
  steps.all.push(Object.values(t).reduce((a, v) => a + v, 0));
}
const median = (v: number[]): number => Math.round(([...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN) * 10) / 10;
console.log(JSON.stringify({
  batches: BATCHES, leads: LEADS, leadsPerBatch: PER_BATCH,
  cpuMsPerBatch: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, median(v)])),
  stateBytes: Math.round(bytes / states),
  viewBytes: Math.round(viewBytes / states),
}, null, 2));
