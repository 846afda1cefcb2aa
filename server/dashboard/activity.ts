/**
 * The rows every dashboard computation reads: needs (a lead turned hot, with the reason) and
 * call logs. The repository maps the server's tables onto these; the computations never see SQL.
 */
import type { ActivityRequest, CrmRef } from '../../utils/api/contract';

export type CallOutcome = ActivityRequest['outcome'];
export type LossReason = NonNullable<ActivityRequest['lossReason']>;

export interface NeedRow {
  leadId: string;
  leadName: string;
  company?: string;
  /** The owning rep's user id; undefined = the team's stock. */
  ownerId?: string;
  /** ISO 8601: when the lead turned hot or showed a high-intent event; the window starts here. */
  needDetectedAt: string;
  needReason?: string;
  /** Where the lead lives in the CRM: the alert mail links to it. */
  crmRefs?: CrmRef[];
}

export interface CallRow {
  id: string;
  leadId: string;
  leadName?: string;
  /** The rep who logged the call. */
  actorId: string;
  at: string;
  outcome: CallOutcome;
  lossReason?: LossReason;
  note?: string;
}

export const needKey = (need: Pick<NeedRow, 'leadId' | 'needDetectedAt'>): string =>
  `${need.leadId}@${new Date(need.needDetectedAt).toISOString()}`;

/** Epoch ms of an ISO string, or undefined when it is not a date. */
export function instant(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Calls grouped by lead, each list in time order, bad dates dropped. */
export function callsByLead(calls: readonly CallRow[]): Map<string, { call: CallRow; ms: number }[]> {
  const byLead = new Map<string, { call: CallRow; ms: number }[]>();
  for (const call of calls) {
    const ms = instant(call.at);
    if (ms === undefined) continue;
    const list = byLead.get(call.leadId) ?? [];
    list.push({ call, ms });
    byLead.set(call.leadId, list);
  }
  for (const list of byLead.values()) list.sort((a, b) => a.ms - b.ms);
  return byLead;
}

/** The first call on the lead at or after the need and before the lead's next need. */
export function firstCallAfter(
  calls: readonly { call: CallRow; ms: number }[] | undefined,
  needMs: number,
  nextNeedMs: number = Number.POSITIVE_INFINITY,
): { call: CallRow; ms: number } | undefined {
  return calls?.find((c) => c.ms >= needMs && c.ms < nextNeedMs);
}
