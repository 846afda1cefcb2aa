/**
 * The stored feed summaries (leads.feed_view*) across server versions.
 *
 * A stored summary is text printed by the server that wrote it. When a newer server prints a
 * summary differently (a field added, a need reason worded anew in either language), the leads
 * it has not re-scored since would go on serving the old text while their detail and lookup,
 * built at read time, show the new one — for a cold lead whose score no longer moves, for good.
 * So the server names the format it prints (a hash of feedViews over sample leads that touch
 * every translated text a summary holds) and, at start, retires every stored summary written in
 * another format: the feed builds those leads from their columns until the re-score (the next
 * one that touches them, the scheduled one at the latest) stores them again (service/rescore.ts).
 */
import { hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { DEFAULT_RULES } from '../scoring/rules';
import { NAMED_EVENT_TYPES, type Text } from '../scoring/text';
import { feedViews, type SummaryRow } from './present';
import { lockOrg, type RefRow, type StoredScore } from './rescore';

const FORMAT_KEY = 'feed_view_format';

/** Every need reason a summary can carry, in each of its forms (the only text feedViews translates). */
function sampleReasons(): Text[] {
  const types = [...new Set([...NAMED_EVENT_TYPES, ...Object.keys(DEFAULT_RULES.points)]), 'a_type_this_server_does_not_know'];
  return [
    ...types.map((type): Text => ({ key: 'need.score', params: { score: 72, type, title: 'T' } })),
    { key: 'need.score_penalty_expired', params: { score: 72 } },
    { key: 'need.form_submit', params: { title: 'T' } },
    { key: 'need.seminar_attended', params: { title: 'T' } },
    { key: 'need.video_watched', params: { percent: 80, title: 'T' } },
  ];
}

let format: string | undefined;

/** The format this server prints stored summaries in. */
export function feedViewFormat(): string {
  if (format !== undefined) return format;
  const refs: RefRow[] = [
    { lead_id: 'ld_1', crm: 'salesforce', object_type: 'Lead', record_id: '00Q1', host: 'acme.my.salesforce.com', url: 'https://acme.lightning.force.com/x' },
    { lead_id: 'ld_1', crm: 'kintone', object_type: '12', record_id: '7', host: '', url: null },
  ];
  const score = (needReason?: Text): StoredScore => ({
    score: 72, scoreChange24h: -3, band: 'hot', stage: 'lead', waking: true, lastActivityAt: '2026-01-01T00:00:00.000Z', cooldownUntil: '2026-01-02T00:00:00.000Z',
    ...(needReason ? { needDetectedAt: '2026-01-01T00:00:00.000Z', needReason, needSignal: 's' } : {}),
  });
  const row = (s: StoredScore, full: boolean): SummaryRow => ({
    id: 'ld_1', name: 'N', company: full ? 'C' : null, email: full ? 'e@example.jp' : null, phone: full ? '03' : null,
    owner_id: full ? 'usr_1' : null, owner_name: full ? 'O' : null, score: s, updated_at: 0,
  });
  const views = [row(score(), false), row(score(), true), ...sampleReasons().map((r) => row(score(r), true))].map((r) => feedViews(r, refs));
  format = hash('sha256', JSON.stringify(views), 'base64url').slice(0, 22);
  return format;
}

/**
 * At start: when the stored summaries were written in another format than `current`, marks
 * them all stale (feed_view_seq null) and records the format. Returns how many were retired.
 * One organisation at a time under its lock, as every writer of lead rows takes it first
 * (service/rescore.ts, lockOrg): a running server's re-score on the same PostgreSQL then waits
 * for it or it for the re-score, never both for each other.
 */
export async function retireOutdatedFeedViews(db: Kysely<Database>, current = feedViewFormat()): Promise<number> {
  const stored = await db.selectFrom('server_meta').select('value').where('key', '=', FORMAT_KEY).executeTakeFirst();
  if (stored?.value === current) return 0;
  let retired = 0;
  for (const { id } of await db.selectFrom('orgs').select('id').orderBy('id').execute()) {
    retired += await db.transaction().execute(async (tx) => {
      await lockOrg(tx, id);
      const r = await tx.updateTable('leads').set({ feed_view_seq: null }).where('org_id', '=', id).where('feed_view_seq', 'is not', null).executeTakeFirst();
      return Number(r.numUpdatedRows);
    });
  }
  await db.insertInto('server_meta').values({ key: FORMAT_KEY, value: current })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: current })).execute();
  return retired;
}
