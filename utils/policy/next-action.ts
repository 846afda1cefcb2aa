/**
 * What to do next: one suggestion, named as an action (an alert that says "check the
 * post-seminar survey" gets acted on; "attended a seminar" does not). Pure: the clock is passed in.
 *
 * Precedence, first match wins:
 *  1. a do_not_call block            → do_not_call        "Do not call (complaint on record)"
 *  2. any other block                → recycle            "Don't call; recycle to nurture instead"
 *  3. seminar attended recently      → check_survey       "Check the post-seminar survey: <seminar>"
 *  4. video watched ≥ 80 % recently  → call_about_video   "Call about <title>"
 *  5. inquiry form recently          → call_back_inquiry  "Call back about the inquiry: <form>"
 *  6. call window open               → call_now           "Call now — <remaining> left"
 *  7. waking sleeper                 → re_engage          "Send a re-engagement mail"
 *  8. recent_call / contact_cap warn → wait               "Wait; you called recently"
 *  9. otherwise                      → nurture            "Keep nurturing"
 * "Recently" is SIGNAL_LOOKBACK_DAYS. A signal (3–6) already answered by a call logged at or
 * after it is done, so it no longer suggests calling: the next rule decides. When a call is
 * suggested (4–6) outside business hours, `notBefore` says when the next opening is.
 */
import type { Cooldown, LeadDetail, TimelineEvent } from '../api/contract';
import type { MessageKey } from '../i18n';
import type { CallWindowState } from './call-window';
import { isCall, isInquiry, metaNumber, pastEvents, type TimedEvent } from './events';
import { DAY_MS, toMs, type MessageParam } from './message';

export const SIGNAL_LOOKBACK_DAYS = 7;
/** An on-demand video watched to 80 % is a hot signal. */
export const VIDEO_HOT_PERCENT = 80;

export const NEXT_ACTION_KINDS = [
  'do_not_call', 'recycle', 'check_survey', 'call_about_video', 'call_back_inquiry', 'call_now', 're_engage', 'wait', 'nurture',
] as const;
export type NextActionKind = (typeof NEXT_ACTION_KINDS)[number];

export const NEXT_ACTION_MESSAGES: Readonly<Record<NextActionKind, MessageKey>> = {
  do_not_call: 'nextActionDoNotCall',
  recycle: 'nextActionRecycle',
  check_survey: 'nextActionCheckSurvey',
  call_about_video: 'nextActionCallAboutVideo',
  call_back_inquiry: 'nextActionCallBackInquiry',
  call_now: 'nextActionCallNow',
  re_engage: 'nextActionReEngage',
  wait: 'nextActionWait',
  nurture: 'nextActionNurture',
};

export interface NextAction {
  kind: NextActionKind;
  /** NEXT_ACTION_MESSAGES[kind], carried so the panel needs no table. */
  messageKey: MessageKey;
  params: MessageParam[];
  /** The event behind a signal action (3–5). */
  eventId?: string;
  /** A call suggested outside business hours: the next opening (ISO). */
  notBefore?: string;
}

export interface NextActionInput {
  timeline?: readonly TimelineEvent[];
  waking?: LeadDetail['waking'];
}

/** Evaluated or API cooldowns alike: only reason, severity and until are read. */
export type CooldownLike = Pick<Cooldown, 'reason' | 'severity'> & { until?: string };

const CALL_KINDS: ReadonlySet<NextActionKind> = new Set(['call_about_video', 'call_back_inquiry', 'call_now']);

export function nextAction(
  detail: NextActionInput,
  cooldowns: readonly CooldownLike[],
  window: CallWindowState,
  now: Date | number,
): NextAction {
  const nowMs = toMs(now);
  const inForce = cooldowns.filter((c) => c.until === undefined || !(Date.parse(c.until) <= nowMs));
  const chosen = choose(detail, inForce, window, nowMs);
  const action: NextAction = { ...chosen, messageKey: NEXT_ACTION_MESSAGES[chosen.kind] };
  const quiet = inForce.find((c) => c.reason === 'quiet_hours');
  return CALL_KINDS.has(action.kind) && quiet?.until ? { ...action, notBefore: quiet.until } : action;
}

function choose(detail: NextActionInput, cooldowns: readonly CooldownLike[], window: CallWindowState, now: number): Omit<NextAction, 'messageKey'> {
  const blocks = cooldowns.filter((c) => c.severity === 'block');
  if (blocks.some((c) => c.reason === 'do_not_call')) return { kind: 'do_not_call', params: [] };
  if (blocks.length > 0) return { kind: 'recycle', params: [] };

  const events = pastEvents(detail.timeline, now);
  const lastCallAt = events.reduce((last, e) => (isCall(e.event) ? e.at : last), -Infinity);
  // Latest matching event within the lookback that no call has answered yet.
  const signal = (match: (e: TimelineEvent) => boolean): TimedEvent | undefined => {
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i];
      if (!e || now - e.at > SIGNAL_LOOKBACK_DAYS * DAY_MS) return undefined;
      if (match(e.event)) return lastCallAt >= e.at ? undefined : e;
    }
    return undefined;
  };

  const seminar = signal((e) => e.type === 'seminar_attended');
  if (seminar) return { kind: 'check_survey', params: [seminar.event.title], eventId: seminar.event.id };
  const video = signal((e) => e.type === 'video_watched' && (metaNumber(e, 'watchedPercent') ?? 0) >= VIDEO_HOT_PERCENT);
  if (video) return { kind: 'call_about_video', params: [video.event.title], eventId: video.event.id };
  const inquiry = signal(isInquiry);
  if (inquiry) return { kind: 'call_back_inquiry', params: [inquiry.event.title], eventId: inquiry.event.id };

  if (window.state === 'open' && lastCallAt < Date.parse(window.detectedAt)) {
    return { kind: 'call_now', params: [{ until: window.endsAt }] };
  }
  if (detail.waking) return { kind: 're_engage', params: [] };
  if (cooldowns.some((c) => c.reason === 'recent_call' || c.reason === 'contact_cap')) return { kind: 'wait', params: [] };
  return { kind: 'nurture', params: [] };
}
