/**
 * The reference scoring model, as pure functions.
 *
 * Every function takes the clock as an argument (`nowMs`), never reads Date.now(): the same
 * profile + events + instant always give the same answer, so the store can rescore on a timer,
 * tests can pin time, and "score as of 24 h ago" is just another call.
 *
 * The rules, and the sales facts behind them:
 *  - behaviour points plus a time axis (time since the deal was lost, call count): a lead
 *    flagged again days after a lost deal is how complaints start → recently_lost block;
 *  - calls inside two hours of the need signal convert several times better → needDetectedAt
 *    is the start of the call window;
 *  - stages Lead/Process/Sleep/Churn; a dormant lead that opens, clicks and visits again is
 *    "close to waking" → `waking`;
 *  - seminar attended / on-demand video watched to ≥ 80 % = hot signal;
 *  - interests inferred from what a lead opened and clicked.
 */
import type { Band, Cooldown, CrmRef, ScoreFactor, Stage, TimelineEvent } from '../../utils/api/contract';
import { isUnreachedOutcome } from '../../utils/policy/outcomes';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** What the model knows about a lead besides its events. */
export interface LeadProfile {
  id: string;
  name: string;
  company?: string;
  email?: string;
  owner?: { id: string; name: string };
  crmRefs: CrmRef[];
  /** Job title, e.g. "情報システム部 部長" or "VP Sales": drives the title-fit factor. */
  jobTitle?: string;
  /** Company head count: drives the company-size factor. */
  employees?: number;
  /** When the lead entered the system (epoch ms): a lead with no events sleeps 60 d after it. */
  createdAt?: number;
}

/** One touchpoint. `at` is epoch ms so the model does time math without parsing strings. */
export interface LeadEvent {
  id: string;
  at: number;
  type: string;
  title: string;
  detail?: string;
  channel?: string;
  url?: string;
  actor?: string;
  meta?: Record<string, unknown>;
}

/** Every number of the model; see SCORING_CONFIG for the values and why. */
export interface ScoringConfig {
  hotThreshold: number;
  warmThreshold: number;
  callWindowMinutes: number;
  halfLifeDays: number;
  points: Readonly<Record<string, number>>;
  videoHotPercent: number;
  videoWatchedHot: number;
  recentlyLostDays: number;
  recentlyLostPoints: number;
  callLookbackDays: number;
  extraCallPoints: number;
  recentCallHours: number;
  contactCapCalls: number;
  businessHours: { utcOffsetMinutes: number; openHour: number; closeHour: number; weekdays: readonly number[] };
  needLookbackDays: number;
  sleepAfterDays: number;
  churnAfterLostDays: number;
  openDealDays: number;
  wakingWindowDays: number;
  interestsTop: number;
  companySize: readonly { min: number; points: number; label: string }[];
  titleFit: readonly { pattern: RegExp; points: number; label: string }[];
}

/**
 * Every number of the model in one place, so tests and docs can reference them and a team
 * could tune them without touching the logic.
 */
export const SCORING_CONFIG: ScoringConfig = {
  hotThreshold: 70,
  warmThreshold: 40,
  /** The call window opened by a need signal (calls within two hours of it convert best). */
  callWindowMinutes: 120,
  /** Behaviour points halve every `halfLifeDays`: points * 0.5^(ageDays / halfLifeDays). */
  halfLifeDays: 7,
  /** Base points per behaviour type, before decay. Types not listed score 0. */
  points: {
    email_open: 1,
    email_click: 3,
    web_visit: 2,
    key_page: 6,
    download: 8,
    seminar_registered: 10,
    seminar_attended: 25,
    /** video_watched below `videoHotPercent`; at or above it `videoWatchedHot` applies. */
    video_watched: 5,
    form_submit: 30,
    survey_answered: 10,
    line_message: 3,
    sms: 2,
  },
  /** An on-demand video watched ≥ 80 % is a hot signal. */
  videoHotPercent: 80,
  videoWatchedHot: 20,
  /** A recently lost deal weighs strongly against calling again. */
  recentlyLostDays: 14,
  recentlyLostPoints: -40,
  /** Past call count is part of the time axis. */
  callLookbackDays: 30,
  /** Points per call in the lookback beyond the first (the first call is normal follow-up). */
  extraCallPoints: -8,
  /** Cooldowns. */
  recentCallHours: 48,
  contactCapCalls: 3,
  /** Business hours in Japan Standard Time (no DST, so a fixed offset is exact). */
  businessHours: { utcOffsetMinutes: 9 * 60, openHour: 9, closeHour: 19, weekdays: [1, 2, 3, 4, 5] },
  /** A need signal older than this is history, not a call window. */
  needLookbackDays: 30,
  /** Lifecycle. */
  sleepAfterDays: 60,
  churnAfterLostDays: 90,
  openDealDays: 90,
  wakingWindowDays: 7,
  interestsTop: 5,
  /** Profile fit (not decayed: who the lead is does not fade). */
  companySize: [
    { min: 1000, points: 10, label: 'Company size 1,000+' },
    { min: 300, points: 7, label: 'Company size 300–999' },
    { min: 100, points: 4, label: 'Company size 100–299' },
  ],
  titleFit: [
    { pattern: /代表|社長|取締役|役員|本部長|部長|CEO|CTO|CIO|CMO|COO|\bVP\b|Vice President|Director|Head of/i, points: 10, label: 'Decision maker' },
    { pattern: /課長|マネージャー|マネジャー|リーダー|室長|Manager|\bLead\b/i, points: 5, label: 'Manager' },
  ],
};

/**
 * summary.cooldownUntil for a do-not-call lead. A complaint has no natural end, but the
 * extension decides "callable now" from summary.cooldownUntil alone (an index, no detail
 * fetch), so a far-future date keeps complained leads out of the callable set. The Cooldown
 * itself carries no `until`, so the panel can say "do not call" rather than a date.
 */
export const DO_NOT_CALL_UNTIL = '9999-12-31T00:00:00.000Z';

/** Light touches: what a dormant lead does when it is "close to waking". */
const LIGHT_TOUCH = new Set(['email_open', 'email_click', 'web_visit', 'key_page']);

const BEHAVIOUR_LABELS: Readonly<Record<string, string>> = {
  email_open: 'Email opens',
  email_click: 'Email clicks',
  web_visit: 'Web visits',
  key_page: 'Key pages (pricing, case studies)',
  download: 'Downloads',
  seminar_registered: 'Seminar registrations',
  seminar_attended: 'Seminars attended',
  video_watched: 'Videos watched',
  form_submit: 'Inquiry forms',
  survey_answered: 'Survey answers',
  line_message: 'LINE messages',
  sms: 'SMS replies',
};

/** One event of a type, for reasons such as "Score reached 72 (hot) after Download: ...". */
const EVENT_LABELS: Readonly<Record<string, string>> = {
  email_open: 'Email open',
  email_click: 'Email click',
  web_visit: 'Web visit',
  key_page: 'Key page',
  download: 'Download',
  seminar_registered: 'Seminar registration',
  seminar_attended: 'Seminar',
  video_watched: 'Video',
  form_submit: 'Form',
  survey_answered: 'Survey answer',
  line_message: 'LINE message',
  sms: 'SMS',
};

// ---------------------------------------------------------------------------------------------
// Small predicates over events

const metaString = (e: LeadEvent, key: string): string | undefined => {
  const v = e.meta?.[key];
  return typeof v === 'string' ? v : undefined;
};

const metaNumber = (e: LeadEvent, key: string): number | undefined => {
  const v = e.meta?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

export const watchedPercent = (e: LeadEvent): number => metaNumber(e, 'watchedPercent') ?? 0;

/** A call logged with outcome "lost" is a loss just like a deal_lost event from the CRM. */
export const isLoss = (e: LeadEvent): boolean =>
  e.type === 'deal_lost' || (e.type === 'call' && metaString(e, 'outcome') === 'lost');

/** A complaint event, or a call whose outcome was a complaint. */
export const isComplaint = (e: LeadEvent): boolean =>
  e.type === 'complaint' || (e.type === 'call' && metaString(e, 'outcome') === 'complaint');

export const isCall = (e: LeadEvent): boolean => e.type === 'call';

const isOpenDealSignal = (e: LeadEvent): boolean =>
  e.type === 'meeting_set' || (e.type === 'call' && metaString(e, 'outcome') === 'meeting_set');

/**
 * High-intent events open a call window by themselves (an inquiry, a seminar attended, a
 * video watched to ≥ 80 %). A form_submit counts unless it says it is not an inquiry
 * (e.g. meta.form = 'newsletter'), because the inquiry form is the common case.
 */
export function highIntentReason(e: LeadEvent, config: ScoringConfig = SCORING_CONFIG): string | undefined {
  switch (e.type) {
    case 'seminar_attended':
      return `Attended seminar: ${e.title}`;
    case 'video_watched': {
      const pct = watchedPercent(e);
      return pct >= config.videoHotPercent ? `Watched ${Math.round(pct)}% of video: ${e.title}` : undefined;
    }
    case 'form_submit':
      return (metaString(e, 'form') ?? 'inquiry') === 'inquiry' ? `Inquiry form: ${e.title}` : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Points

/** Base points of one event before decay (0 for calls, losses and unknown types). */
export function basePoints(e: LeadEvent, config: ScoringConfig = SCORING_CONFIG): number {
  if (e.type === 'video_watched') {
    return watchedPercent(e) >= config.videoHotPercent ? config.videoWatchedHot : (config.points.video_watched ?? 0);
  }
  return config.points[e.type] ?? 0;
}

/** 0.5^(ageDays / halfLife); events "in the future" of asOf do not decay upwards. */
export function decayFactor(ageMs: number, config: ScoringConfig = SCORING_CONFIG): number {
  const ageDays = Math.max(0, ageMs) / DAY_MS;
  return Math.pow(0.5, ageDays / config.halfLifeDays);
}

export function decayedPoints(e: LeadEvent, asOf: number, config: ScoringConfig = SCORING_CONFIG): number {
  const base = basePoints(e, config);
  return base === 0 ? 0 : base * decayFactor(asOf - e.at, config);
}

export const profileFactors = (profile: LeadProfile, config: ScoringConfig = SCORING_CONFIG): ScoreFactor[] => {
  const factors: ScoreFactor[] = [];
  if (profile.employees !== undefined) {
    const size = config.companySize.find((s) => profile.employees !== undefined && profile.employees >= s.min);
    if (size) factors.push({ key: 'profile:company_size', label: size.label, points: size.points, kind: 'profile' });
  }
  if (profile.jobTitle) {
    const fit = config.titleFit.find((t) => t.pattern.test(profile.jobTitle ?? ''));
    if (fit) {
      factors.push({ key: 'profile:title', label: `${fit.label} (${profile.jobTitle})`, points: fit.points, kind: 'profile' });
    }
  }
  return factors;
};

/** Latest loss at or before asOf that no later win reversed. Events sorted ascending. */
function latestStandingLoss(events: readonly LeadEvent[], asOf: number): LeadEvent | undefined {
  let loss: LeadEvent | undefined;
  for (const e of events) {
    if (e.at > asOf) break;
    if (isLoss(e)) loss = e;
    else if (e.type === 'deal_won') loss = undefined;
  }
  return loss;
}

/** Calls inside the lookback window ending at asOf, newest first. */
function callsInWindow(events: readonly LeadEvent[], asOf: number, windowMs: number): LeadEvent[] {
  const calls: LeadEvent[] = [];
  for (const e of events) {
    if (e.at > asOf) break;
    if (isCall(e) && asOf - e.at < windowMs) calls.push(e);
  }
  return calls.reverse();
}

const daysAgo = (from: number, to: number): number => Math.floor((to - from) / DAY_MS);

/** The time axis (a lead lost last week must not be flagged as hot again): recently lost and call count, as negative factors. */
export function timingFactors(events: readonly LeadEvent[], asOf: number, config: ScoringConfig = SCORING_CONFIG): ScoreFactor[] {
  const factors: ScoreFactor[] = [];
  const loss = latestStandingLoss(events, asOf);
  if (loss && asOf - loss.at < config.recentlyLostDays * DAY_MS) {
    const d = daysAgo(loss.at, asOf);
    factors.push({
      key: 'timing:recently_lost',
      label: `Lost ${d === 0 ? 'today' : `${d} day${d === 1 ? '' : 's'} ago`}`,
      points: config.recentlyLostPoints,
      kind: 'timing',
      count: 1,
      lastAt: iso(loss.at),
    });
  }
  const calls = callsInWindow(events, asOf, config.callLookbackDays * DAY_MS);
  if (calls.length > 1) {
    factors.push({
      key: 'timing:calls_30d',
      label: `${calls.length} calls in ${config.callLookbackDays} days`,
      points: config.extraCallPoints * (calls.length - 1),
      kind: 'timing',
      count: calls.length,
      lastAt: iso(calls[0]?.at ?? asOf),
    });
  }
  return factors;
}

/** Behaviour factors: one per type, decayed points summed, with count and last time. */
export function behaviourFactors(events: readonly LeadEvent[], asOf: number, config: ScoringConfig = SCORING_CONFIG): ScoreFactor[] {
  const byType = new Map<string, { points: number; count: number; lastAt: number }>();
  for (const e of events) {
    if (e.at > asOf) break;
    if (basePoints(e, config) === 0) continue;
    const acc = byType.get(e.type) ?? { points: 0, count: 0, lastAt: e.at };
    acc.points += decayedPoints(e, asOf, config);
    acc.count += 1;
    acc.lastAt = Math.max(acc.lastAt, e.at);
    byType.set(e.type, acc);
  }
  // Types that decayed to nothing are history, not a reason: the timeline still shows them.
  return [...byType.entries()].filter(([, acc]) => acc.points >= 0.05).map(([type, acc]) => ({
    key: `behavior:${type}`,
    label: BEHAVIOUR_LABELS[type] ?? type,
    // One decimal: enough to explain decay, without noise in the panel.
    points: Math.round(acc.points * 10) / 10,
    kind: 'behavior' as const,
    count: acc.count,
    lastAt: iso(acc.lastAt),
  }));
}

/** Unrounded sum of every factor as of asOf: the single formula behind score and breakdown. */
export function rawPoints(profile: LeadProfile, events: readonly LeadEvent[], asOf: number, config: ScoringConfig = SCORING_CONFIG): number {
  let sum = 0;
  for (const e of events) {
    if (e.at > asOf) break;
    sum += decayedPoints(e, asOf, config);
  }
  for (const f of timingFactors(events, asOf, config)) sum += f.points;
  return sum + profilePoints(profile, config);
}

// The need search evaluates the score dozens of times per lead; the profile part never changes
// between those calls, so its regex work is done once per (profile, config).
const profileMemo = new WeakMap<LeadProfile, { config: ScoringConfig; points: number }>();

function profilePoints(profile: LeadProfile, config: ScoringConfig): number {
  const hit = profileMemo.get(profile);
  if (hit && hit.config === config) return hit.points;
  const points = profileFactors(profile, config).reduce((s, f) => s + f.points, 0);
  profileMemo.set(profile, { config, points });
  return points;
}

/**
 * The visible score: rounded and clamped to 0..100. The breakdown keeps the raw factors, so a
 * lead far above 100 or below 0 still explains itself; the clamp only keeps the number readable.
 */
export function scoreAt(profile: LeadProfile, events: readonly LeadEvent[], asOf: number, config: ScoringConfig = SCORING_CONFIG): number {
  return Math.min(100, Math.max(0, Math.round(rawPoints(profile, events, asOf, config))));
}

export function bandFor(score: number, config: ScoringConfig = SCORING_CONFIG): Band {
  if (score >= config.hotThreshold) return 'hot';
  if (score >= config.warmThreshold) return 'warm';
  return 'cold';
}

// ---------------------------------------------------------------------------------------------
// Need detection (start of the call window)

export interface Need {
  at: number;
  reason: string;
  /** What opened the window: the high-intent event's type, or 'score' for a threshold crossing. */
  signal: string;
}

/** Latest high-intent event in (from, asOf]. */
function latestHighIntent(events: readonly LeadEvent[], from: number, asOf: number, config: ScoringConfig): Need | undefined {
  let need: Need | undefined;
  for (const e of events) {
    if (e.at > asOf) break;
    if (e.at <= from) continue;
    const reason = highIntentReason(e, config);
    if (reason) need = { at: e.at, reason, signal: e.type };
  }
  return need;
}

/**
 * Latest moment in (from, asOf] at which the score went from below the hot threshold to at or
 * above it. Decay only lowers the score, so it can only jump up at an event or when a negative
 * timing factor expires (a loss leaving the 14-day window, a call leaving the 30-day window):
 * those instants are the only candidates, checked newest first.
 */
function latestHotCrossing(profile: LeadProfile, events: readonly LeadEvent[], from: number, asOf: number, config: ScoringConfig): Need | undefined {
  const candidates = new Map<number, LeadEvent | undefined>();
  const consider = (t: number, e?: LeadEvent): void => {
    if (t > from && t <= asOf && !candidates.get(t)) candidates.set(t, e);
  };
  for (const e of events) {
    if (e.at > asOf) break;
    if (basePoints(e, config) > 0) consider(e.at, e);
    if (isLoss(e)) consider(e.at + config.recentlyLostDays * DAY_MS);
    if (isCall(e)) consider(e.at + config.callLookbackDays * DAY_MS);
    if (e.type === 'deal_won') consider(e.at); // a win can cancel a loss penalty
  }
  const times = [...candidates.keys()].sort((a, b) => b - a);
  for (const t of times) {
    const after = scoreAt(profile, events, t, config);
    if (after < config.hotThreshold) continue;
    if (scoreAt(profile, events, t - 1, config) >= config.hotThreshold) continue;
    const trigger = candidates.get(t);
    const why = trigger ? `after ${EVENT_LABELS[trigger.type] ?? trigger.type}: ${trigger.title}` : 'as a penalty expired';
    return { at: t, reason: `Score reached ${after} (hot) ${why}`, signal: 'score' };
  }
  return undefined;
}

/**
 * needDetectedAt / needReason: the latest of (a) the last high-intent event and (b) the last
 * upward crossing of the hot threshold, within the lookback. On a tie the event wins because
 * "Attended seminar: X" tells the caller more than "score reached 74".
 */
export function detectNeed(profile: LeadProfile, events: readonly LeadEvent[], asOf: number, config: ScoringConfig = SCORING_CONFIG): Need | undefined {
  const from = asOf - config.needLookbackDays * DAY_MS;
  const intent = latestHighIntent(events, from, asOf, config);
  const crossing = latestHotCrossing(profile, events, from, asOf, config);
  if (!intent) return crossing;
  if (!crossing) return intent;
  return crossing.at > intent.at ? crossing : intent;
}

// ---------------------------------------------------------------------------------------------
// Business hours (JST) and cooldowns

const { floor } = Math;

/** Wall-clock parts of an instant in the business-hours zone. */
function localParts(ms: number, config: ScoringConfig): { weekday: number; minutes: number; dayStart: number } {
  const offsetMs = config.businessHours.utcOffsetMinutes * 60_000;
  const local = ms + offsetMs;
  const dayIndex = floor(local / DAY_MS);
  // 1970-01-01 was a Thursday (weekday 4).
  const weekday = (((dayIndex + 4) % 7) + 7) % 7;
  const minutes = floor((local - dayIndex * DAY_MS) / 60_000);
  return { weekday, minutes, dayStart: dayIndex * DAY_MS - offsetMs };
}

export function isBusinessHours(ms: number, config: ScoringConfig = SCORING_CONFIG): boolean {
  const { weekday, minutes } = localParts(ms, config);
  const { openHour, closeHour, weekdays } = config.businessHours;
  return weekdays.includes(weekday) && minutes >= openHour * 60 && minutes < closeHour * 60;
}

/** Next opening strictly after ms (public holidays are not modelled). */
export function nextBusinessOpening(ms: number, config: ScoringConfig = SCORING_CONFIG): number {
  const { openHour, weekdays } = config.businessHours;
  let { dayStart } = localParts(ms, config);
  for (let i = 0; i < 8; i++) {
    const opening = dayStart + openHour * HOUR_MS;
    if (opening > ms && weekdays.includes(localParts(opening, config).weekday)) return opening;
    dayStart += DAY_MS;
  }
  return ms; // unreachable with at least one business weekday
}

/** "2025-07-14 09:00 JST" — messages are read by Japanese sales teams in their own time. */
export function formatLocal(ms: number, config: ScoringConfig = SCORING_CONFIG): string {
  const d = new Date(ms + config.businessHours.utcOffsetMinutes * 60_000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const zone = config.businessHours.utcOffsetMinutes === 540 ? 'JST' : `UTC${config.businessHours.utcOffsetMinutes >= 0 ? '+' : ''}${config.businessHours.utcOffsetMinutes / 60}`;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ${zone}`;
}

function ageText(ms: number): string {
  if (ms < HOUR_MS) return `${Math.max(1, floor(ms / 60_000))} min ago`;
  if (ms < 2 * DAY_MS) return `${floor(ms / HOUR_MS)} h ago`;
  return `${floor(ms / DAY_MS)} days ago`;
}

/** The cooldowns in force at asOf, blocks first. */
export function cooldownsAt(events: readonly LeadEvent[], asOf: number, config: ScoringConfig = SCORING_CONFIG): Cooldown[] {
  const out: Cooldown[] = [];
  const past = events.filter((e) => e.at <= asOf);

  const complaint = [...past].reverse().find(isComplaint);
  if (complaint) {
    out.push({
      reason: 'do_not_call',
      severity: 'block',
      message: `Complaint on ${formatLocal(complaint.at, config)} (${complaint.title}): do not call.`,
    });
  }

  const loss = latestStandingLoss(events, asOf);
  if (loss && asOf - loss.at < config.recentlyLostDays * DAY_MS) {
    const until = loss.at + config.recentlyLostDays * DAY_MS;
    const reason = metaString(loss, 'lossReason');
    out.push({
      reason: 'recently_lost',
      severity: 'block',
      until: iso(until),
      message: `Lost ${ageText(asOf - loss.at)}${reason ? ` (${reason})` : ''}: no calls until ${formatLocal(until, config)}.`,
    });
  }

  const calls = callsInWindow(events, asOf, config.callLookbackDays * DAY_MS);
  // No answer, busy, a gatekeeper reached nobody: the chase goes on (the extension's outcomes.ts).
  const lastCall = calls.find((c) => !isUnreachedOutcome(metaString(c, 'outcome')));
  if (lastCall && asOf - lastCall.at < config.recentCallHours * HOUR_MS) {
    const until = lastCall.at + config.recentCallHours * HOUR_MS;
    out.push({
      reason: 'recent_call',
      severity: 'warn',
      until: iso(until),
      message: `Called ${ageText(asOf - lastCall.at)}: wait until ${formatLocal(until, config)} unless they asked for it.`,
    });
  }

  // The cap lifts when the count drops below the cap, i.e. when the cap-th most recent call
  // leaves the window (with exactly `cap` calls that is the oldest of them).
  const capCall = calls[config.contactCapCalls - 1];
  if (capCall) {
    const until = capCall.at + config.callLookbackDays * DAY_MS;
    out.push({
      reason: 'contact_cap',
      severity: 'warn',
      until: iso(until),
      message: `${calls.length} calls in the last ${config.callLookbackDays} days: avoid another until ${formatLocal(until, config)}.`,
    });
  }

  if (!isBusinessHours(asOf, config)) {
    const { openHour, closeHour } = config.businessHours;
    const until = nextBusinessOpening(asOf, config);
    out.push({
      reason: 'quiet_hours',
      severity: 'warn',
      until: iso(until),
      message: `Outside business hours (weekdays ${openHour}:00–${closeHour}:00): next opening ${formatLocal(until, config)}.`,
    });
  }
  return out;
}

/** Latest `until` among block cooldowns; a do_not_call block maps to DO_NOT_CALL_UNTIL. */
export function cooldownUntilOf(cooldowns: readonly Cooldown[]): string | undefined {
  let latest: string | undefined;
  for (const c of cooldowns) {
    if (c.severity !== 'block') continue;
    const until = c.until ?? DO_NOT_CALL_UNTIL;
    if (!latest || Date.parse(until) > Date.parse(latest)) latest = until;
  }
  return latest;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

/**
 * Stage rules, first match wins:
 *  - process: the latest deal signal (meeting set / won / lost) is a meeting or a win within
 *    `openDealDays`: there is an open deal or a fresh customer to look after;
 *  - churn: the standing loss is older than `churnAfterLostDays` and nothing but light touches
 *    (opens, clicks, visits) happened since;
 *  - sleep: no activity at all for `sleepAfterDays`; or no activity for `sleepAfterDays` before
 *    the last `wakingWindowDays`, and only light touches since. The second case is the dormant
 *    customer "close to waking" (opened, clicked, visited): still asleep, `waking` = true.
 *    A meaningful event (form, seminar, call...) in the window wakes the lead fully;
 *  - lead otherwise.
 */
export function stageAt(profile: LeadProfile, events: readonly LeadEvent[], asOf: number, config: ScoringConfig = SCORING_CONFIG): { stage: Stage; waking: boolean } {
  const windowStart = asOf - config.wakingWindowDays * DAY_MS;
  const gapStart = windowStart - config.sleepAfterDays * DAY_MS;
  let lastDeal: LeadEvent | undefined;
  let lastMeaningful: number | undefined;
  let last: number | undefined;
  let first: number | undefined;
  let activeInGap = false;
  let lightInWindow = 0;
  let meaningfulInWindow = 0;
  for (const e of events) {
    if (e.at > asOf) break;
    first ??= e.at;
    last = e.at;
    const light = LIGHT_TOUCH.has(e.type);
    if (!light) lastMeaningful = e.at;
    if (isOpenDealSignal(e) || isLoss(e) || e.type === 'deal_won') lastDeal = e;
    if (e.at >= gapStart && e.at < windowStart) activeInGap = true;
    if (e.at >= windowStart) {
      if (light) lightInWindow += 1;
      else meaningfulInWindow += 1;
    }
  }
  if (lastDeal && !isLoss(lastDeal) && asOf - lastDeal.at < config.openDealDays * DAY_MS) {
    return { stage: 'process', waking: false };
  }
  const loss = latestStandingLoss(events, asOf);
  if (loss && asOf - loss.at >= config.churnAfterLostDays * DAY_MS && (lastMeaningful ?? 0) <= loss.at) {
    return { stage: 'churn', waking: false };
  }
  const lastAwake = last ?? profile.createdAt;
  if (lastAwake === undefined || asOf - lastAwake >= config.sleepAfterDays * DAY_MS) return { stage: 'sleep', waking: false };
  // A lead that only just appeared is new, not waking: it must have existed before the gap.
  const existedBefore = Math.min(first ?? Infinity, profile.createdAt ?? Infinity) < gapStart;
  if (existedBefore && !activeInGap && meaningfulInWindow === 0 && lightInWindow > 0) {
    return { stage: 'sleep', waking: true };
  }
  return { stage: 'lead', waking: false };
}

// ---------------------------------------------------------------------------------------------
// Interests

const TOPIC_KEYWORDS: readonly { topic: string; pattern: RegExp }[] = [
  { topic: 'kintone', pattern: /kintone/i },
  { topic: '営業DX', pattern: /営業|SFA|sales/i },
  { topic: 'MA', pattern: /マーケティング|\bMA\b|marketing/i },
  { topic: 'セキュリティ', pattern: /セキュリティ|security/i },
  { topic: '採用', pattern: /採用|recruit|hiring/i },
  { topic: 'データ活用', pattern: /データ|分析|data|analytics/i },
  { topic: '料金', pattern: /料金|価格|pricing|price/i },
  { topic: '導入事例', pattern: /事例|case stud/i },
  { topic: '働き方改革', pattern: /働き方|テレワーク|remote work/i },
];

/** meta.topic when the source tagged it, else the first keyword found in the title. */
export function topicOf(e: LeadEvent): string | undefined {
  const tagged = metaString(e, 'topic');
  if (tagged) return tagged;
  return TOPIC_KEYWORDS.find((k) => k.pattern.test(e.title))?.topic;
}

/** Top topics by decayed points, weights normalised to sum to 1 (two decimals). */
export function interestsAt(events: readonly LeadEvent[], asOf: number, config: ScoringConfig = SCORING_CONFIG): { topic: string; weight: number }[] {
  const weights = new Map<string, number>();
  for (const e of events) {
    if (e.at > asOf) break;
    const pts = decayedPoints(e, asOf, config);
    const topic = pts > 0 ? topicOf(e) : undefined;
    if (topic) weights.set(topic, (weights.get(topic) ?? 0) + pts);
  }
  const top = [...weights.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, config.interestsTop);
  const total = top.reduce((s, [, w]) => s + w, 0);
  if (total <= 0) return [];
  return top
    .map(([topic, w]) => ({ topic, weight: Math.round((w / total) * 100) / 100 }))
    .filter((i) => i.weight > 0);
}

// ---------------------------------------------------------------------------------------------
// Everything at once

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Everything LeadSummary / LeadDetail need from the model (no ids, no paging, no updatedAt). */
export interface LeadScore {
  score: number;
  band: Band;
  scoreChange24h: number;
  needDetectedAt?: string;
  needReason?: string;
  needSignal?: string;
  stage: Stage;
  waking: boolean;
  lastActivityAt?: string;
  cooldowns: Cooldown[];
  cooldownUntil?: string;
  breakdown: ScoreFactor[];
  interests: { topic: string; weight: number }[];
}

/** Events sorted ascending by time then id, without those after asOf. */
export function pastEvents(events: readonly LeadEvent[], asOf: number): LeadEvent[] {
  return events.filter((e) => e.at <= asOf).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function scoreLead(profile: LeadProfile, allEvents: readonly LeadEvent[], nowMs: number, config: ScoringConfig = SCORING_CONFIG): LeadScore {
  const events = pastEvents(allEvents, nowMs);
  const score = scoreAt(profile, events, nowMs, config);
  const before = scoreAt(profile, events, nowMs - DAY_MS, config);
  const need = detectNeed(profile, events, nowMs, config);
  const { stage, waking } = stageAt(profile, events, nowMs, config);
  const cooldowns = cooldownsAt(events, nowMs, config);
  const cooldownUntil = cooldownUntilOf(cooldowns);
  const last = events[events.length - 1];
  const breakdown = [
    ...behaviourFactors(events, nowMs, config),
    ...timingFactors(events, nowMs, config),
    ...profileFactors(profile, config),
  ].sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.key.localeCompare(b.key));
  return {
    score,
    band: bandFor(score, config),
    scoreChange24h: score - before,
    ...(need ? { needDetectedAt: iso(need.at), needReason: need.reason, needSignal: need.signal } : {}),
    stage,
    waking,
    ...(last ? { lastActivityAt: iso(last.at) } : {}),
    cooldowns,
    ...(cooldownUntil ? { cooldownUntil } : {}),
    breakdown,
    interests: interestsAt(events, nowMs, config),
  };
}

/** Contract shape of one event; `points` is the base value so the timeline reads "+25". */
export function toTimelineEvent(e: LeadEvent, config: ScoringConfig = SCORING_CONFIG): TimelineEvent {
  const pts = basePoints(e, config);
  return {
    id: e.id,
    at: iso(e.at),
    type: e.type,
    title: e.title,
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
    ...(e.channel !== undefined ? { channel: e.channel } : {}),
    ...(pts > 0 ? { points: pts } : {}),
    ...(e.url !== undefined ? { url: e.url } : {}),
    ...(e.actor !== undefined ? { actor: e.actor } : {}),
    ...(e.meta !== undefined ? { meta: e.meta } : {}),
  };
}
