/**
 * Incremental scoring: the stored summary of a lead (score, band, need, stage, cooldownUntil)
 * from a small running state plus the new events, without reading the lead's whole history.
 *
 * The state splits the history at a cut C. Events after C are kept as they are (`tail`: the
 * last day or so, what the 24-hour score change and the next fold need). Events at or before C
 * are folded into what the model reads of them at any instant ≥ C:
 *  - behaviour points decay exponentially, so their sum is one number anchored at C
 *    (total(t) = total(C) · 0.5^((t − C)/halfLife));
 *  - the standing loss, and the losses and calls young enough that their penalty can still
 *    expire after C (expiries are where the score can jump up, i.e. crossing candidates);
 *  - complaint, acquisition channel, latest high-intent event, latest hot crossing ≤ C;
 *  - first/last/last meaningful/last light/last deal event, and the event times of the last
 *    wakingWindowDays before C (the "active in the gap" test of the waking rule).
 *
 * model.ts stays the single truth: this file restates its formulas over the folded form, and a
 * property test (tests/unit/server-incremental.test.ts) checks both give the same summary for
 * random histories. Whenever the state cannot answer exactly, the functions return undefined
 * and the caller re-scores from the full history: different rules, profile or hot threshold
 * than the fold used, an event at or before the cut (late arrival), or an instant before C + 1 day.
 */
import { createHash } from 'node:crypto';
import {
  DO_NOT_CALL_UNTIL, bandFor, basePoints, compareEvents, decayedPoints, decayedSum, highIntentReason, iso, isCall, isComplaint, isLightTouch,
  isLoss, isOpenDealSignal, namesChannel, profilePoints, withPenalties, type LeadEvent, type LeadProfile,
} from './model';
import { hotThresholdFor, type ScoringRules } from './rules';
import type { Text } from './text';

const DAY_MS = 86_400_000;

/** Bump when the shape or meaning of ScoreState changes: older states are then rebuilt. */
export const SCORE_STATE_VERSION = 1;

/**
 * What the summary reads of an event's meta (model.ts: outcome in isLoss / isComplaint /
 * isOpenDealSignal, form and watchedPercent in highIntentReason / basePoints). A stored state's
 * events keep only these (state-codec.ts); a model change that reads another key of a tail
 * event must add it here.
 */
export const SUMMARY_META_KEYS = ['outcome', 'form', 'watchedPercent'] as const;

interface NeedMark {
  at: number;
  reason: Text;
  signal: string;
}

/**
 * A crossing as stored: the words are built when read, so the reason's key order is the
 * model's even after a round trip through jsonb (which reorders keys) and the fingerprint agrees.
 */
interface Crossing {
  at: number;
  score: number;
  trigger?: { type: string; title: string };
}

const crossingNeed = (c: Crossing): NeedMark => ({
  at: c.at,
  reason: c.trigger
    ? { key: 'need.score', params: { score: c.score, type: c.trigger.type, title: c.trigger.title } }
    : { key: 'need.score_penalty_expired', params: { score: c.score } },
  signal: 'score',
});

export interface ScoreState {
  v: number;
  /** Fingerprint of the rules the fold used. */
  rules: string;
  /** Profile points and hot threshold the folded crossing was found with. */
  profile: number;
  hot: number;
  /** Every event at or before the cut is folded; null = nothing folded yet. */
  cut: number | null;
  /** Σ base · 0.5^((cut − at)/halfLife) over folded events. */
  total: number;
  /** Standing loss (time) at the cut. */
  loss: number | null;
  /** Folded losses whose recently-lost penalty may still expire after the cut. */
  losses: number[];
  /** Folded calls still inside the call lookback after the cut, ascending. */
  calls: number[];
  complained: boolean;
  channel: string | null;
  /** Latest folded high-intent event (its reason is built when read, see Crossing). */
  intent: LeadEvent | null;
  /** Latest upward hot crossing at or before the cut (null also when too old to matter). */
  crossing: Crossing | null;
  first: number | null;
  last: number | null;
  lastMeaningful: number | null;
  lastLight: number | null;
  deal: { at: number; loss: boolean } | null;
  /** Folded event times after cut − wakingWindowDays, ascending; `beforeRecent` the latest one before. */
  recent: number[];
  beforeRecent: number | null;
  /** Events after the cut, as given (future ones included: they count once their time comes). */
  tail: LeadEvent[];
}

/** The summary fields the feed stores (StoredScore in service/rescore.ts), locale-neutral. */
export interface SummaryOut {
  score: number;
  scoreChange24h: number;
  band: 'hot' | 'warm' | 'cold';
  need?: NeedMark;
  stage: 'lead' | 'process' | 'sleep' | 'churn';
  waking: boolean;
  lastActivityAt?: string;
  cooldownUntil?: string;
}

const rulesKeys = new WeakMap<ScoringRules, string>();

/** Stable fingerprint of a rule set (memoised per object: a rule book is read once per batch). */
export function rulesKey(rules: ScoringRules): string {
  let key = rulesKeys.get(rules);
  if (key === undefined) {
    key = createHash('sha256').update(JSON.stringify(rules)).digest('base64url').slice(0, 16);
    rulesKeys.set(rules, key);
  }
  return key;
}

const emptyState = (rules: ScoringRules, profile: number, hot: number): ScoreState => ({
  v: SCORE_STATE_VERSION, rules: rulesKey(rules), profile, hot, cut: null, total: 0, loss: null, losses: [], calls: [],
  complained: false, channel: null, intent: null, crossing: null, first: null, last: null, lastMeaningful: null,
  lastLight: null, deal: null, recent: [], beforeRecent: null, tail: [],
});

/** Is the list in the model's order (time, then id)? */
function inOrder(events: readonly LeadEvent[]): boolean {
  for (let i = 1; i < events.length; i++) if (compareEvents(events[i - 1] as LeadEvent, events[i] as LeadEvent) > 0) return false;
  return true;
}

/** The events in the model's order: the list itself when it already is (a folded tail always is). */
const ordered = (events: readonly LeadEvent[]): readonly LeadEvent[] => (inOrder(events) ? events : [...events].sort(compareEvents));

/** The acquisition channel at `asOf`: folded first, else that of the first tail event at or before asOf naming one. */
function channelAt(state: ScoreState, asOf: number): string | undefined {
  if (state.channel !== null) return state.channel;
  let first: LeadEvent | undefined;
  for (const e of state.tail) if (e.at <= asOf && namesChannel(e) && (!first || compareEvents(e, first) < 0)) first = e;
  return first?.channel;
}

/** Tail events at or before asOf, sorted as the model sorts (time, then id); the tail itself when nothing is cut off. */
function pastTail(state: ScoreState, asOf: number): readonly LeadEvent[] {
  const tail = ordered(state.tail);
  let n = tail.length;
  while (n > 0 && (tail[n - 1] as LeadEvent).at > asOf) n -= 1;
  return n === tail.length ? tail : tail.slice(0, n);
}

/** The model's rawPoints at t ≥ cut, from the folded part plus `past` (sorted). */
function pointsAt(state: ScoreState, past: readonly LeadEvent[], t: number, rules: ScoringRules, profile: number): { points: number; loss: number | null } {
  let sum = state.cut === null ? 0 : state.total * Math.pow(0.5, (t - state.cut) / DAY_MS / rules.halfLifeDays);
  let loss = state.loss;
  const callWindow = rules.callLookbackDays * DAY_MS;
  let calls = 0;
  for (const at of state.calls) if (t - at < callWindow) calls += 1;
  for (const e of past) {
    if (e.at > t) break;
    sum += decayedPoints(e, t, rules);
    if (isLoss(e)) loss = e.at;
    else if (e.type === 'deal_won') loss = null;
    if (isCall(e) && t - e.at < callWindow) calls += 1;
  }
  return { points: withPenalties(sum, loss, calls, t, rules) + profile, loss };
}

const clampScore = (points: number): number => Math.min(100, Math.max(0, Math.round(points)));

/** Adds instant t, when in (lo, hi], with the event that triggers it (an event replaces a bare expiry). */
function consider(candidates: Map<number, LeadEvent | undefined>, lo: number, hi: number, t: number, e?: LeadEvent): void {
  if (t > lo && t <= hi && !candidates.get(t)) candidates.set(t, e);
}

/**
 * The clamped score at instants in (cut, hi] that never go down from one call to the next,
 * from the folded part and the first k events of `past` (sorted), in one pass over them.
 * Not closures inside crossingIn: the server runs under tsx, which names every closure it
 * creates (esbuild's keepNames), a property definition per lead.
 */
class ScoreSweep {
  private i = 0;
  private prefix = 0;
  private loss: number | null;
  private callsUpTo = 0;
  private callsExpired = 0;
  private last = -Infinity;
  private readonly callTimes: number[];
  private readonly state: ScoreState;
  private readonly past: readonly LeadEvent[];
  private readonly k: number;
  private readonly hi: number;
  private readonly rules: ScoringRules;
  private readonly profile: number;

  constructor(state: ScoreState, past: readonly LeadEvent[], k: number, hi: number, rules: ScoringRules, profile: number) {
    this.state = state;
    this.past = past;
    this.k = k;
    this.hi = hi;
    this.rules = rules;
    this.profile = profile;
    this.loss = state.loss;
    // Call times at or before hi, ascending: the folded ones (all at or before the cut) then the tail's.
    this.callTimes = [...state.calls];
    for (let i = 0; i < k; i++) if (isCall(past[i] as LeadEvent)) this.callTimes.push((past[i] as LeadEvent).at);
  }

  /** Times are whole milliseconds, so t − 1 never goes back past the previous t; anything else is counted afresh. */
  at(q: number): number {
    const { state, past, rules, hi } = this;
    if (q < this.last) return clampScore(pointsAt(state, past, q, rules, this.profile).points);
    this.last = q;
    const H = rules.halfLifeDays * DAY_MS;
    for (; this.i < this.k; this.i++) {
      const e = past[this.i] as LeadEvent;
      if (e.at > q) break;
      this.prefix += basePoints(e, rules) * Math.pow(2, (e.at - hi) / H);
      if (isLoss(e)) this.loss = e.at;
      else if (e.type === 'deal_won') this.loss = null;
    }
    const calls = this.callTimes;
    const callMs = rules.callLookbackDays * DAY_MS;
    while (this.callsUpTo < calls.length && (calls[this.callsUpTo] as number) <= q) this.callsUpTo += 1;
    while (this.callsExpired < calls.length && (calls[this.callsExpired] as number) <= q - callMs) this.callsExpired += 1;
    const sum = (state.cut === null ? 0 : state.total * Math.pow(0.5, (q - state.cut) / DAY_MS / rules.halfLifeDays)) + decayedSum(this.prefix, (hi - q) / H, past, this.i, q, rules);
    return clampScore(withPenalties(sum, this.loss, this.callsUpTo - this.callsExpired, q, rules) + this.profile);
  }
}

/**
 * Latest upward hot crossing in (lo, hi] (the model's latestHotCrossing): candidates are the
 * past tail's scoring events, deal wins and penalty expiries, and the folded penalties' expiries.
 *
 * One sweep in time order over the candidates (the score just before and at each) and the
 * events, instead of re-adding every event for every candidate: a lead with thousands of events
 * in its tail (a tracking pixel, a burst from a connector) costs events + candidates, not their
 * product. Decayed points at q are 2^((hi − q)/H) · Σ_{at ≤ q} base · 2^((at − hi)/H), the
 * model's own prefix form (scoreOverTime in model.ts); penalties are counted as pointsAt counts them.
 */
function crossingIn(state: ScoreState, past: readonly LeadEvent[], lo: number, hi: number, hot: number, rules: ScoringRules, profile: number): Crossing | undefined {
  // A ceiling on the score anywhere in (lo, hi]: every event's points undecayed, the folded sum
  // at lo (it only decays after; a negative one only rises towards 0), no penalties (they only
  // lower it). Most leads are nowhere near the threshold: then there is nothing to search.
  let ceiling = profile + (state.cut === null ? 0 : Math.max(0, state.total * Math.pow(0.5, (lo - state.cut) / DAY_MS / rules.halfLifeDays)));
  for (const e of past) {
    if (e.at > hi) break;
    const base = basePoints(e, rules);
    if (base > 0) ceiling += base;
  }
  // The margin keeps rounding (a sum of exactly x.5, float error) on the side of searching.
  if (ceiling < hot - 0.5 - 1e-6) return undefined;
  const lostMs = rules.recentlyLostDays * DAY_MS;
  const callMs = rules.callLookbackDays * DAY_MS;
  const candidates = new Map<number, LeadEvent | undefined>();
  for (const at of state.losses) consider(candidates, lo, hi, at + lostMs);
  for (const at of state.calls) consider(candidates, lo, hi, at + callMs);
  let k = 0;
  for (const e of past) {
    if (e.at > hi) break;
    k += 1;
    if (basePoints(e, rules) > 0) consider(candidates, lo, hi, e.at, e);
    if (isLoss(e)) consider(candidates, lo, hi, e.at + lostMs);
    if (isCall(e)) consider(candidates, lo, hi, e.at + callMs);
    if (e.type === 'deal_won') consider(candidates, lo, hi, e.at);
  }
  if (candidates.size === 0) return undefined;
  const times = [...candidates.keys()].sort((a, b) => a - b);
  const sweep = new ScoreSweep(state, past, k, hi, rules, profile);
  let found: Crossing | undefined;
  for (const t of times) {
    const before = sweep.at(t - 1);
    const after = sweep.at(t);
    if (after < hot || before >= hot) continue;
    const trigger = candidates.get(t);
    found = { at: t, score: after, ...(trigger ? { trigger: { type: trigger.type, title: trigger.title } } : {}) };
  }
  return found;
}

/** Can this state answer for these rules, profile and instant? */
function usable(state: ScoreState, rules: ScoringRules, profile: number, asOf: number): boolean {
  return state.v === SCORE_STATE_VERSION && state.rules === rulesKey(rules) && state.profile === profile && (state.cut === null || asOf - DAY_MS >= state.cut);
}

/**
 * Moves the cut to `cut` (≥ the current one), folding the tail events at or before it. The
 * crossing search covers only what a later read can still see (needLookbackDays before cut + 1 day).
 */
function fold(state: ScoreState, cut: number, rules: ScoringRules): ScoreState {
  const h = rules.halfLifeDays;
  const sorted = ordered(state.tail);
  let n = 0;
  while (n < sorted.length && (sorted[n] as LeadEvent).at <= cut) n += 1;
  const folding = sorted.slice(0, n);
  const lo = Math.max(state.cut ?? -Infinity, cut + DAY_MS - rules.needLookbackDays * DAY_MS);
  const crossing = crossingIn(state, folding, lo, cut, state.hot, rules, state.profile) ?? state.crossing;
  const lostMs = rules.recentlyLostDays * DAY_MS;
  const callMs = rules.callLookbackDays * DAY_MS;
  const recentFrom = cut - rules.wakingWindowDays * DAY_MS;
  const s: ScoreState = {
    ...state,
    cut,
    total: state.cut === null ? 0 : state.total * Math.pow(0.5, (cut - state.cut) / DAY_MS / h),
    // Only the penalties that may still expire after the cut, and the waking window's times.
    losses: state.losses.filter((at) => at + lostMs > cut),
    calls: state.calls.filter((at) => at + callMs > cut),
    recent: [],
    crossing,
    tail: n === 0 ? sorted as LeadEvent[] : sorted.slice(n),
  };
  for (const at of state.recent) {
    if (at <= recentFrom) s.beforeRecent = at;
    else s.recent.push(at);
  }
  for (const e of folding) {
    const base = basePoints(e, rules);
    if (base !== 0) s.total += base * Math.pow(0.5, (cut - e.at) / DAY_MS / h);
    if (isLoss(e)) {
      s.loss = e.at;
      if (e.at + lostMs > cut) s.losses.push(e.at);
    } else if (e.type === 'deal_won') s.loss = null;
    if (isCall(e) && e.at + callMs > cut) s.calls.push(e.at);
    if (isComplaint(e)) s.complained = true;
    if (s.channel === null && namesChannel(e)) s.channel = e.channel ?? null;
    if (highIntentReason(e, rules)) s.intent = e;
    s.first ??= e.at;
    s.last = e.at;
    if (isLightTouch(e)) s.lastLight = e.at;
    else s.lastMeaningful = e.at;
    if (isOpenDealSignal(e) || isLoss(e) || e.type === 'deal_won') s.deal = { at: e.at, loss: isLoss(e) };
    if (e.at <= recentFrom) s.beforeRecent = e.at;
    else s.recent.push(e.at);
  }
  return s;
}

/**
 * Adds events to a state and folds what is older than a day before `now`. Undefined when the
 * state cannot take them exactly: then re-score from the full history (buildState).
 */
export function addEvents(state: ScoreState, events: readonly LeadEvent[], now: number, rules: ScoringRules, profile: LeadProfile): ScoreState | undefined {
  const points = profilePoints(profile, rules);
  if (!usable(state, rules, points, now)) return undefined;
  if (state.cut !== null && events.some((e) => e.at <= (state.cut ?? 0))) return undefined;
  const next: ScoreState = { ...state, tail: [...state.tail, ...events].sort(compareEvents) };
  // The folded crossings were found with this threshold; a channel that appears only now changes it.
  if (hotThresholdFor(rules, channelAt(next, now)) !== state.hot) return undefined;
  return fold(next, Math.max(state.cut ?? -Infinity, now - DAY_MS), rules);
}

/** The state of a full history at `now` (the full re-score's by-product). */
export function buildState(events: readonly LeadEvent[], now: number, rules: ScoringRules, profile: LeadProfile): ScoreState {
  const points = profilePoints(profile, rules);
  const past = events.filter((e) => e.at <= now).sort(compareEvents);
  const hot = hotThresholdFor(rules, past.find(namesChannel)?.channel);
  return fold({ ...emptyState(rules, points, hot), tail: [...events] }, now - DAY_MS, rules);
}

/** The summary at `now` (≥ cut + 1 day) from the state alone; undefined when it cannot answer exactly. */
export function summaryFromState(state: ScoreState, now: number, rules: ScoringRules, profile: LeadProfile): SummaryOut | undefined {
  const points = profilePoints(profile, rules);
  if (!usable(state, rules, points, now)) return undefined;
  const past = pastTail(state, now);
  const hot = hotThresholdFor(rules, channelAt(state, now));
  if (hot !== state.hot) return undefined;

  const { points: raw, loss } = pointsAt(state, past, now, rules, points);
  const score = clampScore(raw);
  const before = clampScore(pointsAt(state, past, now - DAY_MS, rules, points).points);

  // Need: the latest of the last high-intent event and the last upward crossing in the lookback.
  const from = now - rules.needLookbackDays * DAY_MS;
  const foldedReason = state.intent && state.intent.at > from ? highIntentReason(state.intent, rules) : undefined;
  let intent: NeedMark | undefined = state.intent && foldedReason ? { at: state.intent.at, reason: foldedReason, signal: state.intent.type } : undefined;
  for (const e of past) {
    if (e.at <= from) continue;
    const reason = highIntentReason(e, rules);
    if (reason) intent = { at: e.at, reason, signal: e.type };
  }
  const folded = state.crossing && state.crossing.at > from ? state.crossing : undefined;
  const found = crossingIn(state, past, Math.max(from, state.cut ?? -Infinity), now, hot, rules, points) ?? folded;
  const crossing = found ? crossingNeed(found) : undefined;
  const need = !intent ? crossing : !crossing ? intent : crossing.at > intent.at ? crossing : intent;

  // Stage and waking (the model's stageAt).
  const windowStart = now - rules.wakingWindowDays * DAY_MS;
  const gapStart = windowStart - rules.sleepAfterDays * DAY_MS;
  let first = state.first;
  let last = state.last;
  let lastMeaningful = state.lastMeaningful;
  let deal = state.deal;
  let foldedBelow = state.beforeRecent;
  for (const at of state.recent) if (at < windowStart) foldedBelow = at;
  let activeInGap = foldedBelow !== null && foldedBelow >= gapStart;
  let lightInWindow = state.lastLight !== null && state.lastLight >= windowStart;
  let meaningfulInWindow = state.lastMeaningful !== null && state.lastMeaningful >= windowStart;
  let complained = state.complained;
  for (const e of past) {
    first ??= e.at;
    last = e.at;
    const light = isLightTouch(e);
    if (!light) lastMeaningful = e.at;
    if (isOpenDealSignal(e) || isLoss(e) || e.type === 'deal_won') deal = { at: e.at, loss: isLoss(e) };
    if (e.at >= gapStart && e.at < windowStart) activeInGap = true;
    if (e.at >= windowStart) {
      if (light) lightInWindow = true;
      else meaningfulInWindow = true;
    }
    if (isComplaint(e)) complained = true;
  }
  let stage: SummaryOut['stage'] = 'lead';
  let waking = false;
  const lastAwake = last ?? profile.createdAt;
  if (deal && !deal.loss && now - deal.at < rules.openDealDays * DAY_MS) stage = 'process';
  else if (loss !== null && now - loss >= rules.churnAfterLostDays * DAY_MS && (lastMeaningful ?? 0) <= loss) stage = 'churn';
  else if (lastAwake === undefined || now - lastAwake >= rules.sleepAfterDays * DAY_MS) stage = 'sleep';
  else {
    const existedBefore = Math.min(first ?? Infinity, profile.createdAt ?? Infinity) < gapStart;
    if (existedBefore && !activeInGap && !meaningfulInWindow && lightInWindow) {
      stage = 'sleep';
      waking = true;
    }
  }

  // Blocks: a complaint for good, a standing loss for recentlyLostDays (the model's cooldownUntilOf).
  const lostUntil = loss !== null && now - loss < rules.recentlyLostDays * DAY_MS ? iso(loss + rules.recentlyLostDays * DAY_MS) : undefined;
  const cooldownUntil = complained ? DO_NOT_CALL_UNTIL : lostUntil;
  return {
    score,
    scoreChange24h: score - before,
    band: bandFor(score, hot, rules),
    ...(need ? { need } : {}),
    stage,
    waking,
    ...(last !== null ? { lastActivityAt: iso(last) } : {}),
    ...(cooldownUntil ? { cooldownUntil } : {}),
  };
}
