/**
 * When not to call: the team policy evaluated locally over the timeline, merged with the
 * API's own cooldowns, so the warnings hold offline and when the server lags behind a call
 * just logged (a lead flagged again days after a lost deal is how complaints start).
 * Pure: the clock is passed in, no chrome.*; the panel formats the messages.
 */
import type { ActivityRequest, Cooldown, LeadSummary, TimelineEvent } from '../api/contract';
import type { MessageKey } from '../i18n';
import { isBusinessOpen, nextBusinessChange, nextBusinessOpening, type BusinessCalendar } from './business-hours';
import { mergeCooldowns, untilMs, type EvaluatedCooldown, type LocalCooldown } from './cooldown-merge';
import { isCall, isComplaint, isLoss, metaString, pastEvents, type TimedEvent } from './events';
import { DAY_MS, HOUR_MS, labelOf, toMs } from './message';
import { isReachingCall } from './outcomes';
import type { TeamPolicy } from './team-policy';

export { DEFAULT_TEAM_POLICY, type TeamPolicy } from './team-policy';
export {
  COOLDOWN_LABELS, KNOWN_COOLDOWN_REASONS, mergeCooldowns,
  type CooldownSeverity, type EvaluatedCooldown, type KnownCooldownReason, type LocalCooldown,
} from './cooldown-merge';

export const LOSS_REASON_LABELS: Readonly<Record<NonNullable<ActivityRequest['lossReason']>, MessageKey>> = {
  price: 'lossReasonPrice', timing: 'lossReasonTiming', competitor: 'lossReasonCompetitor', no_need: 'lossReasonNoNeed', other: 'lossReasonOther',
};

/** What evaluateCooldowns reads: a LeadDetail, or a LeadSummary with whatever timeline is cached. */
export interface CooldownInput {
  timeline?: readonly TimelineEvent[];
  cooldowns?: readonly Cooldown[];
  cooldownUntil?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const sameName = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.trim() !== '' && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The team's calendar without public holidays (those come from ./calendar.ts, which callers pass in). */
export const calendarOf = (policy: Pick<TeamPolicy, 'businessHours' | 'closedDates'>): BusinessCalendar => ({ ...policy.businessHours, closedDates: policy.closedDates });

/** The team policy over the timeline (oldest first), at `now`. */
function localCooldowns(events: readonly TimedEvent[], policy: TeamPolicy, now: number, currentUserName: string | undefined, calendar: BusinessCalendar): LocalCooldown[] {
  const out: LocalCooldown[] = [];

  let complaint: TimedEvent | undefined;
  let loss: TimedEvent | undefined;
  let lastCall: TimedEvent | undefined;
  const capCalls: TimedEvent[] = []; // newest first
  for (const e of events) {
    if (isComplaint(e.event)) complaint = e;
    // A win after a loss ends the loss (as the server's model does: server/scoring/model.ts).
    if (isLoss(e.event)) loss = e;
    else if (e.event.type === 'deal_won') loss = undefined;
    if (isCall(e.event)) {
      // No answer, busy, a gatekeeper: nobody was disturbed, the chase goes on (outcomes.ts).
      if (isReachingCall(e.event)) lastCall = e;
      if (now - e.at < policy.contactCapDays * DAY_MS) capCalls.unshift(e);
    }
  }

  if (complaint) {
    out.push({ reason: 'do_not_call', severity: 'block', messageKey: 'cooldownDoNotCallMsg', params: [{ time: complaint.event.at }], since: complaint.event.at });
  }

  if (loss && now - loss.at < policy.lostCooldownDays * DAY_MS) {
    const lossReason = metaString(loss.event, 'lossReason');
    const lossLabel = labelOf(LOSS_REASON_LABELS, lossReason);
    const ago = { since: loss.event.at };
    out.push({
      reason: 'recently_lost',
      severity: 'block',
      until: iso(loss.at + policy.lostCooldownDays * DAY_MS),
      ...(lossReason
        ? { messageKey: 'cooldownRecentlyLostReasonMsg', params: [ago, lossLabel ? { message: lossLabel } : lossReason] }
        : { messageKey: 'cooldownRecentlyLostMsg', params: [ago] }),
      since: loss.event.at,
    });
  }

  if (lastCall && now - lastCall.at < policy.recentCallHours * HOUR_MS) {
    const { actor } = lastCall.event;
    const mine = sameName(actor, currentUserName);
    const ago = { since: lastCall.event.at };
    const outcome = metaString(lastCall.event, 'outcome');
    out.push({
      reason: 'recent_call',
      severity: 'warn',
      until: iso(lastCall.at + policy.recentCallHours * HOUR_MS),
      ...(mine ? { messageKey: 'cooldownRecentCallMineMsg', params: [ago] }
        : actor ? { messageKey: 'cooldownRecentCallByMsg', params: [actor, ago] }
        : { messageKey: 'cooldownRecentCallMsg', params: [ago] }),
      ...(actor ? { actor, byCurrentUser: mine } : {}),
      ...(outcome ? { outcome } : {}),
      since: lastCall.event.at,
    });
  }

  // The cap lifts when the cap-th most recent call leaves the window.
  const capCall = policy.contactCapCalls > 0 ? capCalls[policy.contactCapCalls - 1] : undefined;
  if (capCall) {
    out.push({
      reason: 'contact_cap',
      severity: 'warn',
      until: iso(capCall.at + policy.contactCapDays * DAY_MS),
      messageKey: 'cooldownContactCapMsg',
      params: [capCalls.length, policy.contactCapDays],
    });
  }

  const hours = calendar;
  if (!isBusinessOpen(now, hours)) {
    const opening = nextBusinessOpening(now, hours);
    out.push({
      reason: 'quiet_hours',
      severity: 'warn',
      ...(opening !== undefined ? { until: iso(opening) } : {}),
      messageKey: 'cooldownQuietHoursMsg',
      params: [hours.start, hours.end],
    });
  }
  return out;
}

/**
 * The cooldowns in force at `now`: the team policy over the timeline merged with the API's
 * cooldowns (see mergeCooldowns). The result stays true until nextCooldownChange(): messages
 * carry instants, not durations, so "2 h ago" is rendered from the panel's clock.
 */
export function evaluateCooldowns(
  lead: CooldownInput,
  policy: TeamPolicy,
  now: Date | number,
  currentUserName?: string,
  calendar: BusinessCalendar = calendarOf(policy),
): EvaluatedCooldown[] {
  const nowMs = toMs(now);
  return mergeCooldowns(localCooldowns(pastEvents(lead.timeline, nowMs), policy, nowMs, currentUserName, calendar), lead.cooldowns ?? [], lead.cooldownUntil, nowMs);
}

/** Callable now = no block in force, judged from the summary alone (an index, no detail fetch). */
export function isCallableNow(summary: Pick<LeadSummary, 'cooldownUntil'>, now: Date | number): boolean {
  return !(summary.cooldownUntil !== undefined && untilMs(summary.cooldownUntil) > toMs(now));
}

/** The next instant after `now` at which evaluateCooldowns() may answer differently (for a timer or an alarm). */
export function nextCooldownChange(lead: CooldownInput, policy: TeamPolicy, now: Date | number, calendar: BusinessCalendar = calendarOf(policy)): number | undefined {
  const nowMs = toMs(now);
  let next = nextBusinessChange(nowMs, calendar) ?? Infinity;
  for (const c of evaluateCooldowns(lead, policy, nowMs, undefined, calendar)) {
    const until = untilMs(c.until);
    if (until > nowMs && until < next) next = until;
  }
  return next === Infinity ? undefined : next;
}
