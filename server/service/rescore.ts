/**
 * Re-scoring inside a write transaction: load the leads, their refs and events, run the pure
 * model, and give a new feed seq only to leads whose visible summary changed (fingerprint of
 * what the extension stores). Seqs come from the organisation row, whose lock holds until
 * commit, so feed positions commit in order and a reader never skips one.
 *
 * Incremental mode (the caller passes the new events, possibly none): a lead with a usable
 * running state (lead_states) is scored from it and the new events alone, without
 * reading its history; any other lead takes the full path, which also writes a fresh state.
 */
import { hash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, LeadsTable } from '../db/schema';
import { addEvents, buildState, summaryFromState, type ScoreState, type SummaryOut } from '../scoring/incremental';
import { decodeState, encodeState } from '../scoring/state-codec';
import { iso, scoreLead, type LeadEvent, type LeadProfile, type LeadScore } from '../scoring/model';
import type { Text } from '../scoring/text';
import { feedViews } from './present';
import { loadRuleBook, type RuleBook } from './rules-store';

/** The locale-neutral summary part of a score, as stored in leads.score (fixed key order). */
export interface StoredScore {
  score: number;
  scoreChange24h: number;
  band: LeadScore['band'];
  needDetectedAt?: string;
  needReason?: Text;
  needSignal?: string;
  stage: LeadScore['stage'];
  waking: boolean;
  lastActivityAt?: string;
  cooldownUntil?: string;
}

export function storedScore(s: LeadScore): StoredScore {
  return {
    score: s.score,
    scoreChange24h: s.scoreChange24h,
    band: s.band,
    ...(s.needDetectedAt ? { needDetectedAt: s.needDetectedAt } : {}),
    ...(s.needReason ? { needReason: s.needReason } : {}),
    ...(s.needSignal ? { needSignal: s.needSignal } : {}),
    stage: s.stage,
    waking: s.waking,
    ...(s.lastActivityAt ? { lastActivityAt: s.lastActivityAt } : {}),
    ...(s.cooldownUntil ? { cooldownUntil: s.cooldownUntil } : {}),
  };
}

/** The same summary from the incremental path, in storedScore's key order (the fingerprint hashes it). */
export function storedFromState(s: SummaryOut): StoredScore {
  return {
    score: s.score,
    scoreChange24h: s.scoreChange24h,
    band: s.band,
    ...(s.need ? { needDetectedAt: iso(s.need.at), needReason: s.need.reason, needSignal: s.need.signal } : {}),
    stage: s.stage,
    waking: s.waking,
    ...(s.lastActivityAt ? { lastActivityAt: s.lastActivityAt } : {}),
    ...(s.cooldownUntil ? { cooldownUntil: s.cooldownUntil } : {}),
  };
}

/** The columns re-scoring reads of a lead. */
const leadColumns = ['l.id', 'l.name', 'l.company', 'l.email', 'l.phone', 'l.owner_id', 'l.team', 'l.job_title', 'l.employees', 'l.created_at', 'l.fingerprint'] as const;
export type LeadRow = Pick<LeadsTable, 'id' | 'name' | 'company' | 'email' | 'phone' | 'owner_id' | 'team' | 'job_title' | 'employees' | 'created_at' | 'fingerprint'>;

export interface RefRow {
  lead_id: string;
  crm: string;
  object_type: string;
  record_id: string;
  host: string;
  url: string | null;
}

export function fingerprintOf(lead: LeadRow, refs: readonly RefRow[], score: StoredScore): string {
  const visible = [
    lead.name, lead.company, lead.email, lead.phone, lead.owner_id, lead.team,
    refs.map((r) => [r.crm, r.object_type, r.record_id, r.host, r.url]).sort(),
    score,
  ];
  // One-shot hash: the same digest as createHash().update().digest() without a Hash object per
  // lead (about 5 of the 7 µs it cost per lead, on every lead of every batch).
  return hash('sha256', JSON.stringify(visible), 'base64url').slice(0, 22);
}

export const eventFromRow = (r: { id: string; at: number; type: string; title: string; channel: string | null; meta: unknown }): LeadEvent => ({
  id: r.id,
  at: r.at,
  type: r.type,
  title: r.title,
  ...(r.channel !== null ? { channel: r.channel } : {}),
  ...(r.meta !== null && typeof r.meta === 'object' ? { meta: r.meta as Record<string, unknown> } : {}),
});

export async function eventsOf(db: Kysely<Database>, orgId: string, leadIds: readonly string[]): Promise<Map<string, LeadEvent[]>> {
  const out = new Map<string, LeadEvent[]>();
  if (leadIds.length === 0) return out;
  const rows = await db.selectFrom('events').select(['lead_id', 'id', 'at', 'type', 'title', 'channel', 'meta'])
    .where('org_id', '=', orgId).where('lead_id', 'in', leadIds).execute();
  for (const r of rows) {
    const list = out.get(r.lead_id);
    if (list) list.push(eventFromRow(r));
    else out.set(r.lead_id, [eventFromRow(r)]);
  }
  return out;
}

export async function refsOf(db: Kysely<Database>, orgId: string, leadIds: readonly string[]): Promise<Map<string, RefRow[]>> {
  const out = new Map<string, RefRow[]>();
  if (leadIds.length === 0) return out;
  const rows = await db.selectFrom('lead_refs').select(['lead_id', 'crm', 'object_type', 'record_id', 'host', 'url'])
    .where('org_id', '=', orgId).where('lead_id', 'in', leadIds).orderBy('crm').orderBy('object_type').orderBy('record_id').execute();
  for (const r of rows) {
    const list = out.get(r.lead_id);
    if (list) list.push(r);
    else out.set(r.lead_id, [r]);
  }
  return out;
}

const profileOf = (lead: LeadRow): LeadProfile => ({
  ...(lead.job_title !== null ? { jobTitle: lead.job_title } : {}),
  ...(lead.employees !== null ? { employees: lead.employees } : {}),
  createdAt: lead.created_at,
});

/**
 * Takes the organisation row's lock until commit and returns the organisation's feed position
 * (seq) under it. A re-score reads each lead's running state and writes it back: two
 * transactions for one lead that both read before either commits would each fold only their own
 * events, and the later commit would drop the other's (PostgreSQL runs ingest batches side by
 * side; PGlite runs one transaction at a time). So every re-score takes this lock before reading,
 * and a transaction that writes lead rows first takes it before those writes: the order is always
 * organisation, then leads, and no two writers deadlock. The seq read here cannot move until
 * commit, so a re-score numbers its bumps from it.
 */
export async function lockOrg(tx: Transaction<Database>, orgId: string): Promise<number> {
  const row = await tx.selectFrom('orgs').select('seq').where('id', '=', orgId).forUpdate().executeTakeFirstOrThrow();
  return row.seq;
}

/** Leads per read and per write statement: the unit of the pipeline in rescoreLeads. */
const CHUNK = 250;

type Fresh = ReadonlyMap<string, readonly LeadEvent[]>;

/** Keeps a rejection from going unhandled while the pipeline awaits something else first. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * Re-scores `leadIds` at `now`; returns the ids whose visible summary changed (now bumped) and
 * the organisation's seq after the bump. Runs in the caller's transaction. `fresh` (incremental
 * mode) holds the events just stored per lead; every event of a lead not in it must already be
 * in that lead's state, which holds as long as every event insert re-scores in its transaction.
 *
 * A pipeline of CHUNK-lead steps: every read is queued at once, and each chunk's write is queued
 * as soon as the chunk is scored, so the database reads and writes one chunk while JS scores the
 * next (on PostgreSQL the server's process works on the other core; the transaction's statements
 * still run one at a time, in the order queued). Bumps are numbered from the seq read under the
 * organisation's lock, and the organisation's seq is moved once at the end.
 */
export async function rescoreLeads(
  tx: Transaction<Database>, orgId: string, leadIds: readonly string[], now: number, book?: RuleBook,
  fresh?: Fresh,
): Promise<{ changed: string[]; seq: number | undefined }> {
  const ids = [...new Set(leadIds)];
  if (ids.length === 0) return { changed: [], seq: undefined };
  const pending: Promise<unknown>[] = [];
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.push(quiet(p));
    return p;
  };
  const locked = track(lockOrg(tx, orgId));
  const rulesRead = book ? Promise.resolve(book) : track(loadRuleBook(tx, orgId));
  const reads = [];
  for (let i = 0; i < ids.length; i += CHUNK) reads.push(track(readLeads(tx, orgId, ids.slice(i, i + CHUNK), fresh !== undefined)));
  try {
    const seq0 = await locked;
    const rules = await rulesRead;
    let next = seq0 + 1;
    const changed: string[] = [];
    for (const read of reads) {
      const writes = await scoreChunk(tx, orgId, await read, now, rules, fresh, track);
      const payload = writes.map((w) => {
        if (w.bump) changed.push(w.id);
        return { id: w.id, seq: w.bump ? next++ : null, fingerprint: w.fingerprint, score: w.score, state: w.state ? encodeState(w.state) : null, views: w.views };
      });
      if (payload.length > 0) track(writeChunk(tx, orgId, now, payload));
    }
    if (changed.length > 0) {
      const top = await track(tx.updateTable('orgs').set({ seq: next - 1 }).where('id', '=', orgId).returning('seq').executeTakeFirstOrThrow());
      await Promise.all(pending);
      return { changed, seq: top.seq };
    }
    await Promise.all(pending);
    return { changed: [], seq: undefined };
  } catch (e) {
    // The transaction is lost: let its queued statements settle before it rolls back. `pending`
    // is in the order the statements were queued, so its first failure is the cause; the
    // statements after it failed only because the transaction was already aborted (the one
    // awaited above, e, may be one of those).
    const settled = await Promise.allSettled(pending);
    const first = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    throw first ? first.reason : e;
  }
}

type ReadRow = LeadRow & Pick<LeadsTable, 'seq' | 'updated_at' | 'feed_view_seq'> & {
  refs: [string, string, string, string, string | null][]; score_state: string | null; owner_name: string | null;
};

/**
 * The leads with their refs in one statement (as JSON: on the embedded engine a row per ref
 * cost more to decode than the lookups); the running states only when they can be used.
 */
async function readLeads(tx: Transaction<Database>, orgId: string, ids: readonly string[], withState: boolean): Promise<ReadRow[]> {
  const q = tx.selectFrom('leads as l').select(leadColumns).select(['l.seq', 'l.updated_at', 'l.feed_view_seq'])
    .select(sql<[string, string, string, string, string | null][]>`(select coalesce(json_agg(json_build_array(r.crm, r.object_type, r.record_id, r.host, r.url)), '[]')
      from lead_refs r where r.org_id = l.org_id and r.lead_id = l.id)`.as('refs'))
    // The owner's name goes into the feed view a bump stores.
    .select(sql<string | null>`(select u.name from users u where u.org_id = l.org_id and u.id = l.owner_id)`.as('owner_name'))
    .where('l.org_id', '=', orgId).where('l.id', 'in', ids);
  // A subquery, not a join: with a join the planner hashed the whole lead_states table (a scan
  // of every lead's state per batch) instead of looking up the ones it needs.
  return withState
    ? q.select(sql<string | null>`(select s.state from lead_states s where s.org_id = l.org_id and s.lead_id = l.id)`.as('score_state')).execute()
    : q.select(sql<string | null>`null`.as('score_state')).execute();
}

interface Write { id: string; bump: boolean; fingerprint: string; score: StoredScore; state: ScoreState | undefined; views: { en: string; ja: string | null } | undefined }

/**
 * A lead whose summary did not move but whose stored one is missing or stale (written before
 * stored summaries, by a server that printed them differently, or left behind by a change
 * that did not re-score: service/feed-views.ts, ingestLeads) has it stored again, for its
 * current seq and time: the feed then serves it without building it per request.
 */
const needsView = (lead: ReadRow): boolean => lead.feed_view_seq === null || Number(lead.feed_view_seq) !== Number(lead.seq);

/** Scores one chunk: from the running state where it can answer, else from the full history (read here). */
async function scoreChunk(
  tx: Transaction<Database>, orgId: string, leads: readonly ReadRow[], now: number, rules: RuleBook, fresh: Fresh | undefined,
  track: <T>(p: Promise<T>) => Promise<T>,
): Promise<Write[]> {
  const writes: Write[] = [];
  const settle = (lead: ReadRow, score: StoredScore, state: ScoreState | undefined): void => {
    const refs = lead.refs.map(([crm, object_type, record_id, host, url]): RefRow => ({ lead_id: lead.id, crm, object_type, record_id, host, url }));
    const fingerprint = fingerprintOf(lead, refs, score);
    const bump = fingerprint !== lead.fingerprint;
    // A bump stores the summary the feed serves, as of this write (updated_at = now); an
    // unmoved lead's equal fingerprint means its stored score is this one, at its stored time.
    const views = bump ? feedViews({ ...lead, score, updated_at: now }, refs) : needsView(lead) ? feedViews({ ...lead, score }, refs) : undefined;
    if (bump || state || views) writes.push({ id: lead.id, bump, fingerprint, score, state, views });
  };
  const full: ReadRow[] = [];
  for (const lead of leads) {
    const state = fresh ? decodeState(lead.score_state) : undefined;
    if (!fresh || !state) {
      full.push(lead);
      continue;
    }
    const profile = profileOf(lead);
    const teamRules = rules.forTeam(lead.team);
    const added = fresh.get(lead.id) ?? [];
    const next = added.length > 0 ? addEvents(state, added, now, teamRules, profile) : state;
    const summary = next ? summaryFromState(next, now, teamRules, profile) : undefined;
    if (!summary) full.push(lead);
    // Without new events the state is unchanged: nothing to write unless the summary moved.
    else settle(lead, storedFromState(summary), added.length > 0 ? next : undefined);
  }
  if (full.length > 0) {
    const events = await track(eventsOf(tx, orgId, full.map((l) => l.id)));
    for (const lead of full) {
      const profile = profileOf(lead);
      const teamRules = rules.forTeam(lead.team);
      const history = events.get(lead.id) ?? [];
      settle(lead, storedScore(scoreLead(profile, history, now, teamRules)), buildState(history, now, teamRules, profile));
    }
  }
  return writes;
}

/** Joins texts with the record separator, which JSON text never holds raw (JSON.stringify escapes it). */
const RS = '\x1e';
function joined(texts: readonly string[]): string {
  const bad = texts.findIndex((t) => t.includes(RS));
  if (bad >= 0) throw new Error(`rescore: value ${bad} of a chunk holds the record separator (U+001E)`);
  return texts.join(RS);
}

/**
 * One statement per chunk: the running states that advanced, and the feed rows of the leads
 * whose summary moved (seq not null). A lead whose summary did not move keeps its row (seq,
 * score and times) untouched; only its running state advances, in lead_states. The states
 * (~370 bytes each, most of what is sent) travel as one text split on the record separator: inside a
 * JSON parameter each was escaped here and parsed as jsonb there, which cost the database 90 ms
 * (PostgreSQL) and 190 ms (PGlite) per 1,000 states against 32 and 100 ms split (loaded
 * machine); a text[] costs the embedded engine its array-literal escaping.
 * A bump rewrites the lead row and all its index entries (its seq is in most of them, so the
 * update is never HOT). Moving seq and the scope columns into a narrow table of their own, the
 * wide row then updated HOT, did not make this statement cheaper on PostgreSQL (46-50 -> 50-56
 * ms of backend CPU per 1,000 leads): the narrow row's own key and seq entries are most of the
 * cost, and they move along.
 */
async function writeChunk(
  tx: Transaction<Database>, orgId: string, now: number,
  rows: readonly { id: string; seq: number | null; fingerprint: string; score: StoredScore; state: string | null; views: { en: string; ja: string | null } | undefined }[],
): Promise<void> {
  const states = rows.filter((r) => r.state !== null);
  const bumped = rows.filter((r) => r.seq !== null);
  const feed = JSON.stringify(bumped.map((r) => ({ id: r.id, seq: r.seq, fingerprint: r.fingerprint, score: r.score })));
  // The feed views travel as texts split on the record separator, like the states (an empty
  // Japanese text = none); escaped inside the JSON parameter they would cost what states did.
  await sql`
    with states as (
      insert into lead_states (org_id, lead_id, state)
      select ${orgId}, v.id, v.state
      from unnest(string_to_array(${joined(states.map((r) => r.id))}::text, chr(30)), string_to_array(${joined(states.map((r) => r.state ?? ''))}::text, chr(30))) as v(id, state)
      on conflict (org_id, lead_id) do update set state = excluded.state
    )
    update leads as l set seq = v.seq, fingerprint = v.fingerprint, score = v.score, scored_at = ${now}, updated_at = ${now},
      feed_view = w.en, feed_view_ja = nullif(w.ja, ''), feed_view_seq = v.seq
    from jsonb_to_recordset(${feed}::jsonb) as v(id text, seq bigint, fingerprint text, score jsonb)
    join ${viewsTable(bumped)} on w.id = v.id
    where l.org_id = ${orgId} and l.id = v.id`.execute(tx);
  // Summaries stored again for leads that did not move (needsView): rare, so a statement of their own.
  const restored = rows.filter((r) => r.seq === null && r.views !== undefined);
  if (restored.length === 0) return;
  await sql`
    update leads as l set feed_view = w.en, feed_view_ja = nullif(w.ja, ''), feed_view_seq = l.seq
    from ${viewsTable(restored)}
    where l.org_id = ${orgId} and l.id = w.id`.execute(tx);
}

/** The rows' feed summaries as a table w(id, en, ja) (an empty Japanese text = none). */
const viewsTable = (rows: readonly { id: string; views: { en: string; ja: string | null } | undefined }[]) => sql`
  unnest(string_to_array(${joined(rows.map((r) => r.id))}::text, chr(30)), string_to_array(${joined(rows.map((r) => r.views?.en ?? ''))}::text, chr(30)),
    string_to_array(${joined(rows.map((r) => r.views?.ja ?? ''))}::text, chr(30))) as w(id, en, ja)`;
