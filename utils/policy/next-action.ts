/**
 * What to do next: one suggestion, named as an action (an alert that says "check the
 * post-seminar survey" gets acted on; "attended a seminar" does not). Pure: the clock is passed in.
 *
 * Precedence, first match wins:
 *  1. a do_not_call block            → do_not_call        "Do not call (complaint on record)"
 *  2. any other block                → recycle            "Don't call; recycle to nurture instead"
 *  3. tried, nobody reached, the next try not due yet
 *                                    → retry              "Try again at 10:30 (no answer at 10:00)"
 *  4. the newest recent signal of: seminar attended → check_survey "Check the post-seminar survey: <seminar>";
 *     video watched ≥ 80 % → call_about_video "Call about <title>";
 *     inquiry form → call_back_inquiry "Call back about the inquiry: <form>"
 *  5. call window open (or paused)   → call_now           "Call now — <remaining> left"
 *  6. waking sleeper                 → re_engage          "Send a re-engagement mail"
 *  7. recent_call warn               → wait               "Wait; you called recently"
 *  8. contact_cap warn               → wait_contact_cap   "Wait; the contact limit is reached"
 *  9. otherwise                      → nurture            "Keep nurturing"
 * "Recently" is SIGNAL_LOOKBACK_DAYS. The newest signal is the one that made the lead hot: an
 * older seminar never hides a newer inquiry. A signal answered by a call that reached the lead
 * (./outcomes.ts: not no answer / busy / gatekeeper) at or after it is done. When a call is
 * suggested (4–5) outside business hours, `notBefore` says when the next opening is.
 */
import type { Cooldown, LeadDetail, TimelineEvent } from '../api/contract';
import type { MessageKey } from '../i18n';
import type { CallWindowState } from './call-window';
import { isInquiry, metaNumber, pastEvents, type TimedEvent } from './events';
import { DAY_MS, labelOf, toMs, type MessageParam } from './message';
import { callsOf, isReachingCall, needProgress, type CallOutcome } from './outcomes';

export const SIGNAL_LOOKBACK_DAYS = 7;
/** An on-demand video watched to 80 % is a hot signal. */
export const VIDEO_HOT_PERCENT = 80;

export const NEXT_ACTION_KINDS = [
  'do_not_call', 'recycle', 'retry', 'check_survey', 'call_about_video', 'call_back_inquiry', 'call_now', 're_engage', 'wait', 'wait_contact_cap', 'nurture',
] as const;
export type NextActionKind = (typeof NEXT_ACTION_KINDS)[number];

export const NEXT_ACTION_MESSAGES: Readonly<Record<NextActionKind, MessageKey>> = {
  do_not_call: 'nextActionDoNotCall',
  recycle: 'nextActionRecycle',
  retry: 'nextActionRetry',
  check_survey: 'nextActionCheckSurvey',
  call_about_video: 'nextActionCallAboutVideo',
  call_back_inquiry: 'nextActionCallBackInquiry',
  call_now: 'nextActionCallNow',
  re_engage: 'nextActionReEngage',
  wait: 'nextActionWait',
  wait_contact_cap: 'nextActionWaitContactCap',
  nurture: 'nextActionNurture',
};

export interface NextAction {
  kind: NextActionKind;
  /** NEXT_ACTION_MESSAGES[kind], carried so the panel needs no table. */
  messageKey: MessageKey;
  params: MessageParam[];
  /** The event behind a signal action (3–5). */
  eventId?: string;
  /** A call suggested outside business hours: the next opening (ISO); a retry: when it is due. */
  notBefore?: string;
}

export interface NextActionInput {
  timeline?: readonly TimelineEvent[];
  waking?: LeadDetail['waking'];
  needDetectedAt?: string;
}

/** Outcome labels, for "(no answer at 10:00)". */
export const RETRY_OUTCOME_LABELS: Readonly<Record<Extract<CallOutcome, 'no_answer' | 'busy' | 'gatekeeper'>, MessageKey>> = {
  no_answer: 'callOutcomeNoAnswer', busy: 'callOutcomeBusy', gatekeeper: 'callOutcomeGatekeeper',
};

/** Default cadence of retries when the caller has no team policy at hand. */
export const DEFAULT_RETRY_MINUTES = 30;

/** Evaluated or API cooldowns alike: only reason, severity and until are read. */
export type CooldownLike = Pick<Cooldown, 'reason' | 'severity'> & { until?: string };

const CALL_KINDS: ReadonlySet<NextActionKind> = new Set(['call_about_video', 'call_back_inquiry', 'call_now']);

export function nextAction(
  detail: NextActionInput,
  cooldowns: readonly CooldownLike[],
  window: CallWindowState,
  now: Date | number,
  retryMinutes: number = DEFAULT_RETRY_MINUTES,
): NextAction {
  const nowMs = toMs(now);
  const inForce = cooldowns.filter((c) => c.until === undefined || !(Date.parse(c.until) <= nowMs));
  const chosen = choose(detail, inForce, window, nowMs, retryMinutes);
  const action: NextAction = { ...chosen, messageKey: NEXT_ACTION_MESSAGES[chosen.kind] };
  if (!CALL_KINDS.has(action.kind)) return action;
  const quiet = inForce.find((c) => c.reason === 'quiet_hours');
  const resumes = quiet?.until ?? (window.state === 'paused' ? window.resumesAt : undefined);
  return resumes ? { ...action, notBefore: resumes } : action;
}

/** What made the lead hot, as a signal action. */
function signalAction(e: TimedEvent): Omit<NextAction, 'messageKey'> | undefined {
  const { event } = e;
  if (event.type === 'seminar_attended') return { kind: 'check_survey', params: [event.title], eventId: event.id };
  if (event.type === 'video_watched' && (metaNumber(event, 'watchedPercent') ?? 0) >= VIDEO_HOT_PERCENT) {
    return { kind: 'call_about_video', params: [event.title], eventId: event.id };
  }
  if (isInquiry(event)) return { kind: 'call_back_inquiry', params: [event.title], eventId: event.id };
  return undefined;
}

function choose(detail: NextActionInput, cooldowns: readonly CooldownLike[], window: CallWindowState, now: number, retryMinutes: number): Omit<NextAction, 'messageKey'> {
  const blocks = cooldowns.filter((c) => c.severity === 'block');
  if (blocks.some((c) => c.reason === 'do_not_call')) return { kind: 'do_not_call', params: [] };
  if (blocks.length > 0) return { kind: 'recycle', params: [] };

  const events = pastEvents(detail.timeline, now);
  const lastReachAt = events.reduce((last, e) => (isReachingCall(e.event) ? e.at : last), -Infinity);
  const needAt = detail.needDetectedAt ?? (window.state === 'none' ? undefined : window.detectedAt);
  const progress = needProgress(needAt, callsOf(detail.timeline), retryMinutes, now);
  if (progress.state === 'retry' && now < progress.nextTryAt && window.state !== 'missed') {
    const outcome = labelOf(RETRY_OUTCOME_LABELS, progress.lastOutcome) ?? 'callOutcomeNoAnswer';
    const due = new Date(progress.nextTryAt).toISOString();
    return { kind: 'retry', params: [{ time: due }, { message: outcome }, { time: new Date(progress.lastAttemptAt).toISOString() }], notBefore: due };
  }

  // The newest signal within the lookback, unless a call reached the lead after it.
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (!e || now - e.at > SIGNAL_LOOKBACK_DAYS * DAY_MS || lastReachAt >= e.at) break;
    const action = signalAction(e);
    if (action) return action;
  }

  if ((window.state === 'open' || window.state === 'paused') && lastReachAt < Date.parse(window.detectedAt)) {
    // Business time left: ticking while open (true until the next opening or closing, when the
    // decisions are made again), standing still while paused.
    const left = window.state === 'open' ? { until: new Date(now + window.remainingMs).toISOString() } : { duration: window.remainingMs };
    return { kind: 'call_now', params: [left] };
  }
  if (detail.waking) return { kind: 're_engage', params: [] };
  if (cooldowns.some((c) => c.reason === 'recent_call')) return { kind: 'wait', params: [] };
  if (cooldowns.some((c) => c.reason === 'contact_cap')) return { kind: 'wait_contact_cap', params: [] };
  return { kind: 'nurture', params: [] };
}
