/**
 * The scoring model as pure functions: profile + events + rules + instant → score, band, need,
 * cooldowns, stage, breakdown, interests. Every function takes the instant (`asOf` / `nowMs`)
 * as an argument and never reads the clock, so the server can re-score on an event, on a
 * schedule and on read with the same answer, and tests pin time.
 *
 * Rules are data (rules.ts), one set per team. Words are descriptors (text.ts), rendered in the
 * reader's language at the edge.
 *
 * What the model encodes:
 *  - behaviour points with recency decay (half-life), plus a time axis: a recently lost deal and
 *    many calls in a month weigh against calling again;
 *  - the call window opens at a high-intent event (seminar attended, inquiry form, video watched
 *    past the threshold) or when the score crosses the hot threshold of the lead's channel;
 *  - cooldowns: complaint → do not call; lost recently → block; called recently, too many
 *    calls, outside business hours (public holidays and company closed days included) → warn;
 *  - lifecycle lead / process / sleep / churn, and "waking" for a dormant lead that starts to
 *    open, click and visit again;
 *  - interests from what a lead opened and clicked.
 */
import type { Band, Stage } from '../../utils/api/contract';
import { civilDate } from '../../utils/policy/business-hours';
import { isUnreachedOutcome } from '../../utils/policy/outcomes';
import { isOpen, nextOpening } from './calendar';
import { hotThresholdFor, type ScoringRules } from './rules';
import type { Text } from './text';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** What the model knows about a lead besides its events. */
export interface LeadProfile {
  jobTitle?: string;
  employees?: number;
  /** When the lead entered the system (epoch ms): a lead with no events sleeps after sleepAfterDays. */
  createdAt?: number;
}

/** One touchpoint; `at` is epoch ms. */
export interface LeadEvent {
  id: string;
  at: number;
  type: string;
  title: string;
  channel?: string;
  meta?: Record<string, unknown>;
}

export interface Factor {
  key: string;
  label: Text;
  points: number;
  kind: 'behavior' | 'timing' | 'profile';
  count?: number;
  lastAt?: string;
}

export interface CooldownOut {
  reason: string;
  severity: 'block' | 'warn';
  until?: string;
  message: Text;
}

/**
 * summary.cooldownUntil for a do-not-call lead. A complaint has no natural end, but the
 * extension decides "callable now" from summary.cooldownUntil alone (an index, no detail
 * fetch), so a far-future date keeps complained leads out of the callable set.
 */
export const DO_NOT_CALL_UNTIL = '9999-12-31T00:00:00.000Z';

/** Light touches: what a dormant lead does when it is "close to waking". */
const LIGHT_TOUCH = new Set(['email_open', 'email_click', 'web_visit', 'key_page']);

export const isLightTouch = (e: LeadEvent): boolean => LIGHT_TOUCH.has(e.type);

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * Date.prototype.toISOString for an instant in epoch ms, built by arithmetic for the years
 * 1970–9999 (every summary formats its times on every re-score, and a Date costs several times
 * more); other instants go through Date. The date part is the to-do rules' civilDate.
 */
export function iso(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > 253_402_300_799_999) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const { year, month, day } = civilDate(days);
  const hour = Math.floor(rest / HOUR_MS);
  rest -= hour * HOUR_MS;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

// ---------------------------------------------------------------------------------------------
// Predicates

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
export const isLoss = (e: LeadEvent): boolean => e.type === 'deal_lost' || (e.type === 'call' && metaString(e, 'outcome') === 'lost');

export const isComplaint = (e: LeadEvent): boolean => e.type === 'complaint' || (e.type === 'call' && metaString(e, 'outcome') === 'complaint');

export const isCall = (e: LeadEvent): boolean => e.type === 'call';

export const isOpenDealSignal = (e: LeadEvent): boolean =>
  e.type === 'meeting_set' || (e.type === 'call' && metaString(e, 'outcome') === 'meeting_set');

/**
 * High-intent events open a call window by themselves. A form_submit counts unless it says it
 * is not an inquiry (meta.form = 'newsletter'), because the inquiry form is the common case.
 */
export function highIntentReason(e: LeadEvent, rules: ScoringRules): Text | undefined {
  switch (e.type) {
    case 'seminar_attended':
      return { key: 'need.seminar_attended', params: { title: e.title } };
    case 'video_watched': {
      const pct = watchedPercent(e);
      return pct >= rules.videoHotPercent ? { key: 'need.video_watched', params: { percent: Math.round(pct), title: e.title } } : undefined;
    }
    case 'form_submit':
      return (metaString(e, 'form') ?? 'inquiry') === 'inquiry' ? { key: 'need.form_submit', params: { title: e.title } } : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Points

export function basePoints(e: LeadEvent, rules: ScoringRules): number {
  if (e.type === 'video_watched') return watchedPercent(e) >= rules.videoHotPercent ? rules.videoWatchedHot : (rules.points.video_watched ?? 0);
  return rules.points[e.type] ?? 0;
}

/** 0.5^(ageDays / halfLife); events in the future of asOf do not decay upwards. */
export function decayFactor(ageMs: number, rules: ScoringRules): number {
  return Math.pow(0.5, Math.max(0, ageMs) / DAY_MS / rules.halfLifeDays);
}

export function decayedPoints(e: LeadEvent, asOf: number, rules: ScoringRules): number {
  const base = basePoints(e, rules);
  return base === 0 ? 0 : base * decayFactor(asOf - e.at, rules);
}

const titlePatterns = new WeakMap<ScoringRules, RegExp[]>();

function compiledTitles(rules: ScoringRules): RegExp[] {
  let hit = titlePatterns.get(rules);
  if (!hit) {
    hit = rules.titleFit.map((t) => new RegExp(t.pattern, 'i'));
    titlePatterns.set(rules, hit);
  }
  return hit;
}

/** The title-fit rule a job title matches: the first whose pattern does. */
function titleFitFor(jobTitle: string, rules: ScoringRules): ScoringRules['titleFit'][number] | undefined {
  return rules.titleFit[compiledTitles(rules).findIndex((p) => p.test(jobTitle))];
}

/** The company-size band of a head count, as an index into sizesOf(rules) (−1: below every band). */
function sizeBandIndex(employees: number, rules: ScoringRules): number {
  return sizesOf(rules).findIndex((s) => employees >= s.min);
}

export function profileFactors(profile: LeadProfile, rules: ScoringRules): Factor[] {
  const factors: Factor[] = [];
  if (profile.employees !== undefined) {
    const sizes = sizesOf(rules);
    const i = sizeBandIndex(profile.employees, rules);
    const size = sizes[i];
    if (size) {
      const above = sizes[i - 1];
      factors.push({
        key: 'profile:company_size',
        label: { key: 'factor.company_size', params: { min: size.min, ...(above ? { max: above.min - 1 } : {}) } },
        points: size.points,
        kind: 'profile',
      });
    }
  }
  if (profile.jobTitle) {
    const fit = titleFitFor(profile.jobTitle, rules);
    if (fit) factors.push({ key: 'profile:title', label: { key: 'factor.title', params: { label: fit.label, title: profile.jobTitle } }, points: fit.points, kind: 'profile' });
  }
  return factors;
}

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

/** The latest call at or before asOf that reached someone. Events sorted ascending. */
function lastReachingCall(events: readonly LeadEvent[], asOf: number): LeadEvent | undefined {
  let last: LeadEvent | undefined;
  for (const e of events) {
    if (e.at > asOf) break;
    if (isCall(e) && !isUnreachedOutcome(metaString(e, 'outcome'))) last = e;
  }
  return last;
}

export function timingFactors(events: readonly LeadEvent[], asOf: number, rules: ScoringRules): Factor[] {
  const factors: Factor[] = [];
  const loss = latestStandingLoss(events, asOf);
  if (loss && asOf - loss.at < rules.recentlyLostDays * DAY_MS) {
    factors.push({
      key: 'timing:recently_lost',
      label: { key: 'factor.recently_lost', params: { days: Math.floor((asOf - loss.at) / DAY_MS) } },
      points: rules.recentlyLostPoints,
      kind: 'timing',
      count: 1,
      lastAt: iso(loss.at),
    });
  }
  const calls = callsInWindow(events, asOf, rules.callLookbackDays * DAY_MS);
  if (calls.length > 1) {
    factors.push({
      key: 'timing:calls_30d',
      label: { key: 'factor.calls', params: { count: calls.length, days: rules.callLookbackDays } },
      points: rules.extraCallPoints * (calls.length - 1),
      kind: 'timing',
      count: calls.length,
      lastAt: iso(calls[0]?.at ?? asOf),
    });
  }
  return factors;
}

export function behaviourFactors(events: readonly LeadEvent[], asOf: number, rules: ScoringRules): Factor[] {
  const byType = new Map<string, { points: number; count: number; lastAt: number }>();
  for (const e of events) {
    if (e.at > asOf) break;
    if (basePoints(e, rules) === 0) continue;
    const acc = byType.get(e.type) ?? { points: 0, count: 0, lastAt: e.at };
    acc.points += decayedPoints(e, asOf, rules);
    acc.count += 1;
    acc.lastAt = Math.max(acc.lastAt, e.at);
    byType.set(e.type, acc);
  }
  // Types that decayed to nothing are history, not a reason: the timeline still shows them.
  return [...byType.entries()].filter(([, acc]) => Math.abs(acc.points) >= 0.05).map(([type, acc]) => ({
    key: `behavior:${type}`,
    label: { key: 'factor.behavior', params: { type } },
    points: Math.round(acc.points * 10) / 10,
    kind: 'behavior' as const,
    count: acc.count,
    lastAt: iso(acc.lastAt),
  }));
}

const sizeTables = new WeakMap<ScoringRules, ScoringRules['companySize']>();

/** The company-size bands, largest first (sorted once per rule set). */
function sizesOf(rules: ScoringRules): ScoringRules['companySize'] {
  let hit = sizeTables.get(rules);
  if (!hit) {
    hit = [...rules.companySize].sort((a, b) => b.min - a.min);
    sizeTables.set(rules, hit);
  }
  return hit;
}

// The need search evaluates the score many times per lead with one profile: the last answer is
// kept. Not a map keyed by profile: re-scoring builds a new profile object per lead and batch,
// and a weak map holding each of them is work for every garbage collection.
let lastProfile: { profile: LeadProfile; rules: ScoringRules; points: number } | undefined;

/** The sum of profileFactors' points, without building them. */
export function profilePoints(profile: LeadProfile, rules: ScoringRules): number {
  if (lastProfile?.profile === profile && lastProfile.rules === rules) return lastProfile.points;
  let points = 0;
  if (profile.employees !== undefined) points += sizesOf(rules)[sizeBandIndex(profile.employees, rules)]?.points ?? 0;
  if (profile.jobTitle) points += titleFitFor(profile.jobTitle, rules)?.points ?? 0;
  lastProfile = { profile, rules, points };
  return points;
}

/**
 * `sum` with the timing penalties at t added (as timingFactors lists them): a loss not reversed
 * within recentlyLostDays, and every call in the lookback window after the first. Added in this
 * order, one after the other, by every way the score is computed (here, incremental.ts), so
 * they all round alike.
 */
export function withPenalties(sum: number, lossAt: number | null | undefined, callsInWindow: number, t: number, rules: ScoringRules): number {
  let total = sum;
  if (lossAt !== null && lossAt !== undefined && t - lossAt < rules.recentlyLostDays * DAY_MS) total += rules.recentlyLostPoints;
  if (callsInWindow > 1) total += rules.extraCallPoints * (callsInWindow - 1);
  return total;
}

/** Unrounded sum of every factor at asOf: the single formula behind score and breakdown (timing as in timingFactors). */
export function rawPoints(profile: LeadProfile, events: readonly LeadEvent[], asOf: number, rules: ScoringRules): number {
  let sum = 0;
  let loss: LeadEvent | undefined;
  let calls = 0;
  const callWindow = rules.callLookbackDays * DAY_MS;
  for (const e of events) {
    if (e.at > asOf) break;
    sum += decayedPoints(e, asOf, rules);
    if (isLoss(e)) loss = e;
    else if (e.type === 'deal_won') loss = undefined;
    if (isCall(e) && asOf - e.at < callWindow) calls += 1;
  }
  return withPenalties(sum, loss?.at, calls, asOf, rules) + profilePoints(profile, rules);
}

/** The visible score: rounded and clamped to 0..100; the breakdown keeps the raw factors. */
export function scoreAt(profile: LeadProfile, events: readonly LeadEvent[], asOf: number, rules: ScoringRules): number {
  return Math.min(100, Math.max(0, Math.round(rawPoints(profile, events, asOf, rules))));
}

export function bandFor(score: number, hotThreshold: number, rules: ScoringRules): Band {
  if (score >= hotThreshold) return 'hot';
  if (score >= rules.warmThreshold) return 'warm';
  return 'cold';
}

export const namesChannel = (e: LeadEvent): boolean => e.channel !== undefined && e.channel !== '';

/** The acquisition channel: that of the first event naming one. */
export function channelOf(events: readonly LeadEvent[]): string | undefined {
  return events.find(namesChannel)?.channel;
}

// ---------------------------------------------------------------------------------------------
// Need detection (start of the call window)

export interface Need {
  at: number;
  reason: Text;
  /** The high-intent event's type, or 'score' for a threshold crossing. */
  signal: string;
}

function latestHighIntent(events: readonly LeadEvent[], from: number, asOf: number, rules: ScoringRules): Need | undefined {
  let need: Need | undefined;
  for (const e of events) {
    if (e.at > asOf) break;
    if (e.at <= from) continue;
    const reason = highIntentReason(e, rules);
    if (reason) need = { at: e.at, reason, signal: e.type };
  }
  return need;
}

/**
 * Latest moment in (from, asOf] at which the score went from below the hot threshold to at or
 * above it. Decay only lowers the score, so it can only jump up at an event or when a negative
 * timing factor expires: those instants are the only candidates, checked newest first.
 */
function latestHotCrossing(profile: LeadProfile, events: readonly LeadEvent[], from: number, asOf: number, hot: number, rules: ScoringRules): Need | undefined {
  const candidates = new Map<number, LeadEvent | undefined>();
  const consider = (t: number, e?: LeadEvent): void => {
    if (t > from && t <= asOf && !candidates.get(t)) candidates.set(t, e);
  };
  for (const e of events) {
    if (e.at > asOf) break;
    if (basePoints(e, rules) > 0) consider(e.at, e);
    if (isLoss(e)) consider(e.at + rules.recentlyLostDays * DAY_MS);
    if (isCall(e)) consider(e.at + rules.callLookbackDays * DAY_MS);
    if (e.type === 'deal_won') consider(e.at);
  }
  const times = [...candidates.keys()].sort((a, b) => b - a);
  const scoreAtFast = scoreOverTime(profile, events, asOf, rules);
  for (const t of times) {
    const after = scoreAtFast(t);
    if (after < hot) continue;
    if (scoreAtFast(t - 1) >= hot) continue;
    const trigger = candidates.get(t);
    const reason: Text = trigger
      ? { key: 'need.score', params: { score: after, type: trigger.type, title: trigger.title } }
      : { key: 'need.score_penalty_expired', params: { score: after } };
    return { at: t, reason, signal: 'score' };
  }
  return undefined;
}

/**
 * Past this many half-lives between the prefix's reference and the instant asked, 2^x overflows
 * (and the prefix's own terms have underflowed to 0): 0 · ∞ would be NaN. A half-life that short
 * beside the look-back window (minutes against weeks) is a rule an admin can save, so the sum is
 * then counted directly at the instant: slower, and only for such rules.
 */
const PREFIX_SAFE_HALF_LIVES = 1000;

/**
 * The decayed points at t of the first n events (all at or before t): prefix · 2^halfLives, or
 * each event's decayedPoints summed where that product would overflow (see PREFIX_SAFE_HALF_LIVES).
 */
export function decayedSum(prefix: number, halfLives: number, events: readonly LeadEvent[], n: number, t: number, rules: ScoringRules): number {
  if (halfLives < PREFIX_SAFE_HALF_LIVES) return prefix * Math.pow(2, halfLives);
  let direct = 0;
  for (let i = 0; i < n; i++) direct += decayedPoints(events[i] as LeadEvent, t, rules);
  return direct;
}

/**
 * scoreAt for many instants ≤ asOf without re-decaying every event each time: decayed points
 * at t are 2^((asOf − t)/h) · Σ_{at ≤ t} base·2^((at − asOf)/h), a prefix sum over the events
 * (sorted ascending). Timing and profile points are as in rawPoints.
 */
function scoreOverTime(profile: LeadProfile, events: readonly LeadEvent[], asOf: number, rules: ScoringRules): (t: number) => number {
  const h = rules.halfLifeDays * DAY_MS;
  const ats: number[] = [];
  const prefix: number[] = [0];
  for (const e of events) {
    if (e.at > asOf) break;
    ats.push(e.at);
    prefix.push((prefix[prefix.length - 1] ?? 0) + basePoints(e, rules) * Math.pow(2, (e.at - asOf) / h));
  }
  const profilePart = profilePoints(profile, rules);
  const callWindow = rules.callLookbackDays * DAY_MS;
  return (t: number): number => {
    let lo = 0;
    let hi = ats.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ats[mid] ?? Infinity) <= t) lo = mid + 1;
      else hi = mid;
    }
    const sum = decayedSum(prefix[lo] ?? 0, (asOf - t) / h, events, lo, t, rules);
    let loss: LeadEvent | undefined;
    let calls = 0;
    for (let i = 0; i < lo; i++) {
      const e = events[i];
      if (!e) break;
      if (isLoss(e)) loss = e;
      else if (e.type === 'deal_won') loss = undefined;
      if (isCall(e) && t - e.at < callWindow) calls += 1;
    }
    return Math.min(100, Math.max(0, Math.round(withPenalties(sum, loss?.at, calls, t, rules) + profilePart)));
  };
}

/** The latest of the last high-intent event and the last upward hot crossing; a tie goes to the event. */
export function detectNeed(profile: LeadProfile, events: readonly LeadEvent[], asOf: number, rules: ScoringRules): Need | undefined {
  const from = asOf - rules.needLookbackDays * DAY_MS;
  const intent = latestHighIntent(events, from, asOf, rules);
  const crossing = latestHotCrossing(profile, events, from, asOf, hotThresholdFor(rules, channelOf(events)), rules);
  if (!intent) return crossing;
  if (!crossing) return intent;
  return crossing.at > intent.at ? crossing : intent;
}

// ---------------------------------------------------------------------------------------------
// Cooldowns

export function cooldownsAt(events: readonly LeadEvent[], asOf: number, rules: ScoringRules): CooldownOut[] {
  const out: CooldownOut[] = [];
  const tz = rules.businessHours.timeZone;
  let complaint: LeadEvent | undefined;
  for (const e of events) {
    if (e.at > asOf) break;
    if (isComplaint(e)) complaint = e;
  }
  if (complaint) {
    out.push({ reason: 'do_not_call', severity: 'block', message: { key: 'cooldown.do_not_call', params: { complaintAt: complaint.at, title: complaint.title, tz } } });
  }

  const loss = latestStandingLoss(events, asOf);
  if (loss && asOf - loss.at < rules.recentlyLostDays * DAY_MS) {
    const until = loss.at + rules.recentlyLostDays * DAY_MS;
    const lossReason = metaString(loss, 'lossReason');
    out.push({
      reason: 'recently_lost',
      severity: 'block',
      until: iso(until),
      message: { key: 'cooldown.recently_lost', params: { ageMs: asOf - loss.at, untilAt: until, tz, ...(lossReason ? { lossReason } : {}) } },
    });
  }

  const calls = callsInWindow(events, asOf, rules.callLookbackDays * DAY_MS);
  // No answer, busy, a gatekeeper reached nobody: the chase goes on (the extension's rule, utils/policy/outcomes.ts).
  // Any past call counts, not only those within the cap's look-back: a team counting calls over
  // 1 day still waits recentCallHours (48 h) after one, as the extension does (tests/fixtures/policy-cases.ts).
  const lastCall = lastReachingCall(events, asOf);
  if (lastCall && asOf - lastCall.at < rules.recentCallHours * HOUR_MS) {
    const until = lastCall.at + rules.recentCallHours * HOUR_MS;
    out.push({ reason: 'recent_call', severity: 'warn', until: iso(until), message: { key: 'cooldown.recent_call', params: { ageMs: asOf - lastCall.at, untilAt: until, tz } } });
  }

  // The cap lifts when the cap-th most recent call leaves the window.
  const capCall = calls[rules.contactCapCalls - 1];
  if (capCall) {
    const until = capCall.at + rules.callLookbackDays * DAY_MS;
    out.push({
      reason: 'contact_cap',
      severity: 'warn',
      until: iso(until),
      message: { key: 'cooldown.contact_cap', params: { count: calls.length, days: rules.callLookbackDays, untilAt: until, tz } },
    });
  }

  const hours = rules.businessHours;
  if (!isOpen(asOf, hours)) {
    const until = nextOpening(asOf, hours);
    out.push({
      reason: 'quiet_hours',
      severity: 'warn',
      ...(until !== undefined ? { until: iso(until) } : {}),
      message: { key: 'cooldown.quiet_hours', params: { start: hours.start, end: hours.end, days: hours.days.join(','), tz, ...(until !== undefined ? { untilAt: until } : {}) } },
    });
  }
  return out;
}

/** Latest `until` among block cooldowns; a do_not_call block maps to DO_NOT_CALL_UNTIL. */
export function cooldownUntilOf(cooldowns: readonly CooldownOut[]): string | undefined {
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
 * First match wins: process (latest deal signal is a meeting or a win within openDealDays);
 * churn (standing loss older than churnAfterLostDays, only light touches since); sleep (no
 * activity for sleepAfterDays, or only light touches after such a gap: then `waking`); lead.
 */
export function stageAt(profile: LeadProfile, events: readonly LeadEvent[], asOf: number, rules: ScoringRules): { stage: Stage; waking: boolean } {
  const windowStart = asOf - rules.wakingWindowDays * DAY_MS;
  const gapStart = windowStart - rules.sleepAfterDays * DAY_MS;
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
    const light = isLightTouch(e);
    if (!light) lastMeaningful = e.at;
    if (isOpenDealSignal(e) || isLoss(e) || e.type === 'deal_won') lastDeal = e;
    if (e.at >= gapStart && e.at < windowStart) activeInGap = true;
    if (e.at >= windowStart) {
      if (light) lightInWindow += 1;
      else meaningfulInWindow += 1;
    }
  }
  if (lastDeal && !isLoss(lastDeal) && asOf - lastDeal.at < rules.openDealDays * DAY_MS) return { stage: 'process', waking: false };
  const loss = latestStandingLoss(events, asOf);
  if (loss && asOf - loss.at >= rules.churnAfterLostDays * DAY_MS && (lastMeaningful ?? 0) <= loss.at) return { stage: 'churn', waking: false };
  const lastAwake = last ?? profile.createdAt;
  if (lastAwake === undefined || asOf - lastAwake >= rules.sleepAfterDays * DAY_MS) return { stage: 'sleep', waking: false };
  const existedBefore = Math.min(first ?? Infinity, profile.createdAt ?? Infinity) < gapStart;
  if (existedBefore && !activeInGap && meaningfulInWindow === 0 && lightInWindow > 0) return { stage: 'sleep', waking: true };
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

export function topicOf(e: LeadEvent): string | undefined {
  const tagged = metaString(e, 'topic');
  if (tagged) return tagged;
  return TOPIC_KEYWORDS.find((k) => k.pattern.test(e.title))?.topic;
}

export function interestsAt(events: readonly LeadEvent[], asOf: number, rules: ScoringRules): { topic: string; weight: number }[] {
  const weights = new Map<string, number>();
  for (const e of events) {
    if (e.at > asOf) break;
    const pts = decayedPoints(e, asOf, rules);
    const topic = pts > 0 ? topicOf(e) : undefined;
    if (topic) weights.set(topic, (weights.get(topic) ?? 0) + pts);
  }
  const top = [...weights.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, rules.interestsTop);
  const total = top.reduce((s, [, w]) => s + w, 0);
  if (total <= 0) return [];
  return top.map(([topic, w]) => ({ topic, weight: Math.round((w / total) * 100) / 100 })).filter((i) => i.weight > 0);
}

// ---------------------------------------------------------------------------------------------
// Everything at once

/** Everything the summary and the detail need from the model, locale-neutral. */
export interface LeadScore {
  score: number;
  band: Band;
  scoreChange24h: number;
  needDetectedAt?: string;
  needReason?: Text;
  needSignal?: string;
  stage: Stage;
  waking: boolean;
  lastActivityAt?: string;
  cooldowns: CooldownOut[];
  cooldownUntil?: string;
  breakdown: Factor[];
  interests: { topic: string; weight: number }[];
}

export const compareEvents = (a: LeadEvent, b: LeadEvent): number => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Events sorted ascending by time then id, without those after asOf. */
export function pastEvents(events: readonly LeadEvent[], asOf: number): LeadEvent[] {
  return events.filter((e) => e.at <= asOf).sort(compareEvents);
}

export function scoreLead(profile: LeadProfile, allEvents: readonly LeadEvent[], nowMs: number, rules: ScoringRules): LeadScore {
  const events = pastEvents(allEvents, nowMs);
  const score = scoreAt(profile, events, nowMs, rules);
  const before = scoreAt(profile, events, nowMs - DAY_MS, rules);
  const need = detectNeed(profile, events, nowMs, rules);
  const { stage, waking } = stageAt(profile, events, nowMs, rules);
  const cooldowns = cooldownsAt(events, nowMs, rules);
  const cooldownUntil = cooldownUntilOf(cooldowns);
  const last = events[events.length - 1];
  const breakdown = [
    ...behaviourFactors(events, nowMs, rules),
    ...timingFactors(events, nowMs, rules),
    ...profileFactors(profile, rules),
  ].sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.key.localeCompare(b.key));
  return {
    score,
    band: bandFor(score, hotThresholdFor(rules, channelOf(events)), rules),
    scoreChange24h: score - before,
    ...(need ? { needDetectedAt: iso(need.at), needReason: need.reason, needSignal: need.signal } : {}),
    stage,
    waking,
    ...(last ? { lastActivityAt: iso(last.at) } : {}),
    cooldowns,
    ...(cooldownUntil ? { cooldownUntil } : {}),
    breakdown,
    interests: interestsAt(events, nowMs, rules),
  };
}
