/**
 * Every decision the panel shows, in one call, for whoever builds the panel's state (the
 * background or the content script): the cooldowns, the next action, the call window, and the
 * instant at which any of them may change, so a single timer or alarm can refresh them. Between
 * two changes the texts stay current on their own: they carry instants ("since", "until") that
 * the panel renders against its minute ticker.
 */
import type { LeadDetail, LeadSummary, TimelineEvent } from '../api/contract';
import { callWindow, nextBoundary, type CallWindowState } from './call-window';
import { evaluateCooldowns, nextCooldownChange, type EvaluatedCooldown } from './cooldowns';
import { DAY_MS, toMs } from './message';
import { nextAction, SIGNAL_LOOKBACK_DAYS, type NextAction } from './next-action';
import type { TeamPolicy } from './team-policy';

/** A LeadDetail, or the panel's copy of one (its timeline may hold calls still being sent). */
export type DetailInput = Omit<LeadDetail, 'timeline'> & { timeline: readonly TimelineEvent[] };

export interface PanelDecisions {
  cooldowns: EvaluatedCooldown[];
  /** Only with the detail: without the timeline the signals behind it are unknown. */
  nextAction?: NextAction;
  window: CallWindowState;
  /** The next instant (ms) at which any of the above may change. */
  nextChange?: number;
}

export function panelDecisions(
  lead: LeadSummary,
  detail: DetailInput | undefined,
  policy: TeamPolicy,
  now: Date | number,
  currentUserName?: string,
): PanelDecisions {
  const nowMs = toMs(now);
  const source = detail ?? lead;
  const cooldowns = evaluateCooldowns(source, policy, nowMs, currentUserName);
  const window = callWindow(source.needDetectedAt, policy.callWindowMinutes, nowMs);
  let nextChange = Math.min(
    nextCooldownChange(source, policy, nowMs) ?? Infinity,
    nextBoundary(source.needDetectedAt, policy.callWindowMinutes, nowMs) ?? Infinity,
  );
  // A signal stops counting as recent SIGNAL_LOOKBACK_DAYS after it happened.
  for (const e of detail?.timeline ?? []) {
    const expires = Date.parse(e.at) + SIGNAL_LOOKBACK_DAYS * DAY_MS;
    if (expires > nowMs && expires < nextChange) nextChange = expires;
  }
  return {
    cooldowns,
    ...(detail ? { nextAction: nextAction(detail, cooldowns, window, nowMs) } : {}),
    window,
    ...(nextChange === Infinity ? {} : { nextChange }),
  };
}
