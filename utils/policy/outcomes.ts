/**
 * What a logged call means for the lead's need (the call loop: signal → call → outcome → next).
 * - No answer, busy, a gatekeeper: nobody was reached. The need stays open and the next try is
 *   due `retryMinutes` after the attempt; the lead stays on the to-do list.
 * - Connected, meeting set: reached. The need is done; the lead leaves the to-do list.
 * - Lost: reached, and the loss blocks calls team-wide (cooldowns.ts, recently_lost).
 * - Complaint: reached, and the lead is do-not-call (cooldowns.ts, do_not_call).
 * A call whose outcome we do not know (a CRM's own call event) counts as reached: we cannot
 * tell, and asking the rep to call twice is worse than missing a retry.
 * Pure: the clock and the calls come in.
 */
import type { ActivityRequest, TimelineEvent } from '../api/contract';
import { isCall, metaString } from './events';
import { HOUR_MS } from './message';

export type CallOutcome = ActivityRequest['outcome'];
export type OutcomeEffect = 'retry' | 'reached' | 'lost' | 'do_not_call';

export const OUTCOME_EFFECTS: Readonly<Record<CallOutcome, OutcomeEffect>> = {
  connected: 'reached',
  meeting_set: 'reached',
  no_answer: 'retry',
  busy: 'retry',
  gatekeeper: 'retry',
  lost: 'lost',
  complaint: 'do_not_call',
};

/** Outcomes the form asks to confirm: they block calls for everyone on the team. */
export const CONFIRMED_OUTCOMES: ReadonlySet<CallOutcome> = new Set(['lost', 'complaint']);

/** An attempt that reached nobody (the need stays open). Unknown outcomes are not attempts. */
export function isUnreachedOutcome(outcome: string | undefined): boolean {
  return outcome !== undefined && Object.prototype.hasOwnProperty.call(OUTCOME_EFFECTS, outcome) && OUTCOME_EFFECTS[outcome as CallOutcome] === 'retry';
}

/** A call event that reached the lead (or whose outcome is unknown). */
export const isReachingCall = (e: TimelineEvent): boolean => isCall(e) && !isUnreachedOutcome(metaString(e, 'outcome'));

/** A call as the to-do rules read it: from the timeline, or from the outbox before the server has it. */
export interface CallRecord {
  at: number;
  outcome?: string;
}

export type NeedProgress =
  | { state: 'none' }
  /** Nobody has called since the need. */
  | { state: 'untried' }
  /** Called, nobody reached: try again at nextTryAt (ms; may be past: "now"). */
  | { state: 'retry'; attempts: number; lastAttemptAt: number; lastOutcome: string; nextTryAt: number }
  /** Reached at `at` (connected, meeting set, lost, complaint, or an unknown outcome). */
  | { state: 'reached'; at: number; outcome?: string };

/** The need that started at needDetectedAt, given the calls made (any order), at `now`. */
export function needProgress(needDetectedAt: string | undefined, calls: readonly CallRecord[], retryMinutes: number, now: number): NeedProgress {
  const start = needDetectedAt === undefined ? NaN : Date.parse(needDetectedAt);
  if (Number.isNaN(start)) return { state: 'none' };
  const since = calls.filter((c) => Number.isFinite(c.at) && c.at >= start && c.at <= now).sort((a, b) => a.at - b.at);
  const reached = since.find((c) => !isUnreachedOutcome(c.outcome));
  if (reached) return { state: 'reached', at: reached.at, ...(reached.outcome ? { outcome: reached.outcome } : {}) };
  const last = since.at(-1);
  if (!last) return { state: 'untried' };
  const cadence = Math.max(0, Number.isFinite(retryMinutes) ? retryMinutes : 0) * 60_000;
  return { state: 'retry', attempts: since.length, lastAttemptAt: last.at, lastOutcome: last.outcome ?? 'no_answer', nextTryAt: last.at + Math.min(cadence, 24 * HOUR_MS) };
}

/** The calls in a timeline, as CallRecords. */
export function callsOf(timeline: readonly TimelineEvent[] | undefined): CallRecord[] {
  const out: CallRecord[] = [];
  for (const e of timeline ?? []) {
    if (!isCall(e)) continue;
    const outcome = metaString(e, 'outcome');
    out.push({ at: Date.parse(e.at), ...(outcome ? { outcome } : {}) });
  }
  return out;
}
