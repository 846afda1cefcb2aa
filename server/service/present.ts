/** Contract shapes in the reader's language, from stored rows and model output. */
import type { Cooldown, LeadSummary, ScoreFactor, TimelineEvent } from '../../utils/api/contract';
import type { EventsTable, LeadsTable } from '../db/schema';
import type { CooldownOut, Factor } from '../scoring/model';
import { basePoints } from '../scoring/model';
import type { ScoringRules } from '../scoring/rules';
import { render, type Locale } from '../scoring/text';
import type { RefRow, StoredScore } from './rescore';

/** A lead's columns the summary shows, with its owner's name joined in. */
export type SummaryRow = Pick<LeadsTable, 'id' | 'name' | 'company' | 'email' | 'phone' | 'owner_id' | 'score' | 'updated_at'> & { owner_name: string | null };

/** A lead's refs in one order whichever query read them (code-unit order, not the database's collation). */
export function byRefOrder(a: RefRow, b: RefRow): number {
  const ka = [a.crm, a.object_type, a.record_id, a.host];
  const kb = [b.crm, b.object_type, b.record_id, b.host];
  for (let i = 0; i < ka.length; i++) {
    const x = ka[i] ?? '';
    const y = kb[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function toSummary(row: SummaryRow, refs: readonly RefRow[], followed: boolean, locale: Locale): LeadSummary {
  const s = row.score as StoredScore;
  return {
    id: row.id,
    name: row.name,
    ...(row.company !== null ? { company: row.company } : {}),
    ...(row.email !== null ? { email: row.email } : {}),
    ...(row.phone !== null ? { phone: row.phone } : {}),
    ...(row.owner_id !== null ? { owner: { id: row.owner_id, name: row.owner_name ?? row.owner_id } } : {}),
    score: s.score,
    scoreChange24h: s.scoreChange24h,
    band: s.band,
    ...(s.needDetectedAt ? { needDetectedAt: s.needDetectedAt } : {}),
    ...(s.needReason ? { needReason: render(s.needReason, locale) } : {}),
    ...(s.needSignal ? { needSignal: s.needSignal } : {}),
    stage: s.stage,
    ...(s.lastActivityAt ? { lastActivityAt: s.lastActivityAt } : {}),
    ...(s.cooldownUntil ? { cooldownUntil: s.cooldownUntil } : {}),
    crmRefs: (refs.length > 1 ? [...refs].sort(byRefOrder) : refs).map((r) => ({ crm: r.crm as LeadSummary['crmRefs'][number]['crm'], objectType: r.object_type, recordId: r.record_id, ...(r.url !== null ? { url: r.url } : {}), ...(r.host !== '' ? { host: r.host } : {}) })),
    updatedAt: new Date(row.updated_at).toISOString(),
    ...(followed ? { followed: true } : {}),
    waking: s.waking,
  };
}

/**
 * A lead's summary as the change feed stores it (leads.feed_view*, written with its seq): for
 * no reader in particular (`followed` is the reader's, added when served). The needReason is
 * the only text toSummary translates, so without one the English text serves every locale.
 */
export function feedViews(row: SummaryRow, refs: readonly RefRow[]): { en: string; ja: string | null } {
  const summary = toSummary(row, refs, false, 'en');
  const en = JSON.stringify(summary);
  const reason = (row.score as StoredScore).needReason;
  if (!reason) return { en, ja: null };
  // The Japanese text differs in the reason alone: spliced into the English text rather than
  // the summary built and printed again (every bump of a lead with a need stores both). Inside a
  // JSON string every quote is escaped, so `,"needReason":` occurs only as the key itself.
  const key = ',"needReason":';
  const at = en.indexOf(key) + key.length;
  const enReason = JSON.stringify(summary.needReason);
  return { en, ja: `${en.slice(0, at)}${JSON.stringify(render(reason, 'ja'))}${en.slice(at + enReason.length)}` };
}

/** A stored view as served to a reader who follows the lead (toSummary's `followed: true`). */
export const withFollowed = (view: string): string => `${view.slice(0, -1)},"followed":true}`;

export const toFactor = (f: Factor, locale: Locale): ScoreFactor => ({
  key: f.key, label: render(f.label, locale), points: f.points, kind: f.kind,
  ...(f.count !== undefined ? { count: f.count } : {}), ...(f.lastAt !== undefined ? { lastAt: f.lastAt } : {}),
});

export const toCooldown = (c: CooldownOut, locale: Locale): Cooldown => ({
  reason: c.reason, severity: c.severity, ...(c.until !== undefined ? { until: c.until } : {}), message: render(c.message, locale),
});

export type EventRow = Pick<EventsTable, 'id' | 'at' | 'type' | 'title' | 'detail' | 'url' | 'channel' | 'actor' | 'meta'>;

/** A title the server wrote (calls from the panel) is rendered per reader; a source's title is shown as sent. */
export function eventTitle(e: { type: string; title: string; meta: unknown }, locale: Locale): string {
  if (e.title !== '') return e.title;
  const meta = (e.meta ?? {}) as Record<string, unknown>;
  if (e.type === 'call' && typeof meta.outcome === 'string') {
    return render({ key: 'event.call', params: { outcome: meta.outcome, ...(typeof meta.lossReason === 'string' ? { lossReason: meta.lossReason } : {}) } }, locale);
  }
  return render({ key: 'event.generic', params: { type: e.type } }, locale);
}

export function toTimelineEvent(e: EventRow, rules: ScoringRules, locale: Locale): TimelineEvent {
  const meta = e.meta !== null && typeof e.meta === 'object' ? (e.meta as Record<string, unknown>) : undefined;
  const pts = basePoints({ id: e.id, at: e.at, type: e.type, title: e.title, ...(meta ? { meta } : {}) }, rules);
  return {
    id: e.id,
    at: new Date(e.at).toISOString(),
    type: e.type,
    title: eventTitle(e, locale),
    ...(e.detail !== null ? { detail: e.detail } : {}),
    ...(e.channel !== null ? { channel: e.channel } : {}),
    ...(pts > 0 ? { points: pts } : {}),
    ...(e.url !== null ? { url: e.url } : {}),
    ...(e.actor !== null ? { actor: e.actor } : {}),
    ...(meta ? { meta } : {}),
  };
}
