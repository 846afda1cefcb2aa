/**
 * Every decision the panel shows, in one call, for whoever builds the panel's state (the
 * background or the content script): the cooldowns, the next action, the call window, and the
 * instant at which any of them may change, so a single timer or alarm can refresh them. Between
 * two changes the texts stay current on their own: they carry instants ("since", "until") that
 * the panel renders against its minute ticker.
 */
import type { LeadDetail, LeadSummary, TimelineEvent } from '../api/contract';
import type { BusinessCalendar } from './business-hours';
import { callWindow, nextBoundary, type CallWindowState } from './call-window';
import { calendarOf, evaluateCooldowns, nextCooldownChange, type EvaluatedCooldown } from './cooldowns';
import { DAY_MS, toMs } from './message';
import { nextAction, SIGNAL_LOOKBACK_DAYS, type NextAction } from './next-action';
import { callsOf, needProgress, type NeedProgress } from './outcomes';
import type { TeamPolicy } from './team-policy';

/** A LeadDetail, or the panel's copy of one (its timeline may hold calls still being sent). */
export type DetailInput = Omit<LeadDetail, 'timeline'> & { timeline: readonly TimelineEvent[] };

export interface PanelDecisions {
  cooldowns: EvaluatedCooldown[];
  /** Only with the detail: without the timeline the signals behind it are unknown. */
  nextAction?: NextAction;
  window: CallWindowState;
  /** Whether the need was answered: untried, retry (next try at), reached. */
  progress: NeedProgress;
  /** The next instant (ms) at which any of the above may change. */
  nextChange?: number;
}

export function panelDecisions(
  lead: LeadSummary,
  detail: DetailInput | undefined,
  policy: TeamPolicy,
  now: Date | number,
  currentUserName?: string,
  calendar: BusinessCalendar = calendarOf(policy),
): PanelDecisions {
  const nowMs = toMs(now);
  const source = detail ?? lead;
  const cooldowns = evaluateCooldowns(source, policy, nowMs, currentUserName, calendar);
  const window = callWindow(source.needDetectedAt, policy.callWindowMinutes, nowMs, calendar);
  const progress = needProgress(source.needDetectedAt, callsOf(detail?.timeline), policy.retryMinutes, nowMs);
  let nextChange = Math.min(
    nextCooldownChange(source, policy, nowMs, calendar) ?? Infinity,
    nextBoundary(source.needDetectedAt, policy.callWindowMinutes, nowMs, calendar) ?? Infinity,
    progress.state === 'retry' && progress.nextTryAt > nowMs ? progress.nextTryAt : Infinity,
  );
  // A signal stops counting as recent SIGNAL_LOOKBACK_DAYS after it happened.
  for (const e of detail?.timeline ?? []) {
    const expires = Date.parse(e.at) + SIGNAL_LOOKBACK_DAYS * DAY_MS;
    if (expires > nowMs && expires < nextChange) nextChange = expires;
  }
  return {
    cooldowns,
    ...(detail ? { nextAction: nextAction(detail, cooldowns, window, nowMs, policy.retryMinutes) } : {}),
    window,
    progress,
    ...(nextChange === Infinity ? {} : { nextChange }),
  };
}
