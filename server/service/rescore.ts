/**
 * Re-scoring inside a write transaction: load the leads, their refs and events, run the pure
 * model, and give a new feed seq only to leads whose visible summary changed (fingerprint of
 * what the extension stores). Seqs come from the organisation row, whose lock holds until
 * commit, so feed positions commit in order and a reader never skips one.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, LeadsTable } from '../db/schema';
import { scoreLead, type LeadEvent, type LeadScore } from '../scoring/model';
import type { Text } from '../scoring/text';
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

/** The columns re-scoring reads of a lead. */
const leadColumns = ['id', 'name', 'company', 'email', 'phone', 'owner_id', 'team', 'job_title', 'employees', 'created_at', 'fingerprint'] as const;
export type LeadRow = Pick<LeadsTable, (typeof leadColumns)[number]>;

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
  return createHash('sha256').update(JSON.stringify(visible)).digest('base64url').slice(0, 22);
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

/**
 * Re-scores `leadIds` at `now`; returns the ids whose visible summary changed (now bumped) and
 * the organisation's seq after the bump. Runs in the caller's transaction.
 */
export async function rescoreLeads(tx: Transaction<Database>, orgId: string, leadIds: readonly string[], now: number, book?: RuleBook): Promise<{ changed: string[]; seq: number | undefined }> {
  const ids = [...new Set(leadIds)];
  if (ids.length === 0) return { changed: [], seq: undefined };
  const rules = book ?? (await loadRuleBook(tx, orgId));
  const [leads, events, refs] = await Promise.all([
    tx.selectFrom('leads').select(leadColumns).where('org_id', '=', orgId).where('id', 'in', ids).execute(),
    eventsOf(tx, orgId, ids),
    refsOf(tx, orgId, ids),
  ]);
  const updates: { id: string; fingerprint: string; score: StoredScore }[] = [];
  for (const lead of leads) {
    const model = scoreLead(
      { ...(lead.job_title !== null ? { jobTitle: lead.job_title } : {}), ...(lead.employees !== null ? { employees: lead.employees } : {}), createdAt: lead.created_at },
      events.get(lead.id) ?? [], now, rules.forTeam(lead.team),
    );
    const score = storedScore(model);
    const fingerprint = fingerprintOf(lead, refs.get(lead.id) ?? [], score);
    if (fingerprint !== lead.fingerprint) updates.push({ id: lead.id, fingerprint, score });
  }
  if (updates.length === 0) return { changed: [], seq: undefined };
  const top = await tx.updateTable('orgs').set((eb) => ({ seq: eb('seq', '+', updates.length) })).where('id', '=', orgId).returning('seq').executeTakeFirstOrThrow();
  const first = top.seq - updates.length + 1;
  const payload = JSON.stringify(updates.map((u, i) => ({ id: u.id, seq: first + i, fingerprint: u.fingerprint, score: u.score })));
  await sql`
    update leads as l set seq = v.seq, fingerprint = v.fingerprint, score = v.score, scored_at = ${now}, updated_at = ${now}
    from jsonb_to_recordset(${payload}::jsonb) as v(id text, seq bigint, fingerprint text, score jsonb)
    where l.org_id = ${orgId} and l.id = v.id`.execute(tx);
  return { changed: updates.map((u) => u.id), seq: top.seq };
}
