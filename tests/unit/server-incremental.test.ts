/**
 * Incremental scoring against the model: random histories arrive in random batches over time;
 * after every batch the summary from the running state (server/scoring/incremental.ts) must
 * equal the model's full re-score (scoreLead over every event so far). The model is the oracle.
 */
import { describe, expect, it } from 'vitest';
import { addEvents, buildState, summaryFromState, type ScoreState, type SummaryOut } from '../../server/scoring/incremental';
import { decodeState, encodeState } from '../../server/scoring/state-codec';
import { scoreLead, type LeadEvent, type LeadProfile } from '../../server/scoring/model';
import { DEFAULT_RULES, type ScoringRules } from '../../server/scoring/rules';
import { mulberry32 } from '../../demo/story/dataset';

const DAY = 86_400_000;
// PROPERTY_SCALE=10 npx vitest run tests/unit/server-incremental.test.ts hunts longer.
const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);
const LEADS = 300 * SCALE;

/** Every kind of event the model treats differently, with the metas that change its meaning. */
const KINDS: { type: string; meta?: Record<string, unknown> }[] = [
  { type: 'email_open' }, { type: 'email_click' }, { type: 'web_visit' }, { type: 'key_page' }, { type: 'download' },
  { type: 'seminar_registered' }, { type: 'seminar_attended' }, { type: 'form_submit' }, { type: 'form_submit', meta: { form: 'newsletter' } },
  { type: 'video_watched', meta: { watchedPercent: 95 } }, { type: 'video_watched', meta: { watchedPercent: 30 } },
  { type: 'call', meta: { outcome: 'connected' } }, { type: 'call', meta: { outcome: 'no_answer' } }, { type: 'call', meta: { outcome: 'lost', lossReason: 'budget' } },
  { type: 'call', meta: { outcome: 'meeting_set' } }, { type: 'call', meta: { outcome: 'complaint' } }, { type: 'meeting_set' },
  { type: 'deal_lost' }, { type: 'deal_won' }, { type: 'complaint' }, { type: 'note' },
];

const ALL_CASES = ['stage:lead', 'stage:process', 'stage:sleep', 'stage:sleep+waking', 'stage:churn', 'band:hot', 'band:warm', 'band:cold',
  'need:intent', 'need:need.score', 'need:need.score_penalty_expired', 'need:none', 'cooldown:do_not_call', 'cooldown:lost', 'change24h'];

const RULES: { name: string; rules: ScoringRules; cases: string[] }[] = [
  // Churn takes 90 quiet days after a loss: the eager rules reach it.
  { name: 'defaults', rules: DEFAULT_RULES, cases: ALL_CASES.filter((c) => c !== 'stage:churn') },
  {
    // Easier to cross, faster decay, a per-channel threshold: more crossings and expiries to find.
    name: 'eager',
    rules: { ...DEFAULT_RULES, hotThreshold: 45, warmThreshold: 20, halfLifeDays: 3, channelHotThresholds: { event: 35, web: 55 }, recentlyLostDays: 5, callLookbackDays: 10, sleepAfterDays: 20, churnAfterLostDays: 25, openDealDays: 15, wakingWindowDays: 3, needLookbackDays: 12 },
    cases: ALL_CASES,
  },
  {
    // Negative and half points and a fractional threshold: where the crossing search's shortcut
    // (a ceiling on the score, its rounding margin) could part from the model.
    name: 'fractional',
    rules: {
      ...DEFAULT_RULES, hotThreshold: 40.5, warmThreshold: 17.5, halfLifeDays: 2.5, channelHotThresholds: { event: 30.5 }, recentlyLostDays: 5, callLookbackDays: 10, sleepAfterDays: 20, churnAfterLostDays: 25, openDealDays: 15, wakingWindowDays: 3, needLookbackDays: 12,
      points: { ...DEFAULT_RULES.points, email_open: -2.5, web_visit: 2.5, key_page: 6.5, download: 8.5, line_message: -4, seminar_attended: 24.5 },
    },
    cases: ALL_CASES,
  },
  {
    // A half-life of minutes beside a look-back of weeks: thousands of half-lives, where the
    // prefix form's 2^x overflows and its terms underflow (0 · ∞). Scores must stay numbers.
    name: 'minutes',
    rules: { ...DEFAULT_RULES, hotThreshold: 8, warmThreshold: 4, halfLifeDays: 0.005, needLookbackDays: 30 },
    cases: ['band:cold', 'need:need.score', 'need:intent'],
  },
];

/** The model's answer in the state's shape. */
function oracle(profile: LeadProfile, events: LeadEvent[], now: number, rules: ScoringRules): SummaryOut {
  const s = scoreLead(profile, events, now, rules);
  return {
    score: s.score, scoreChange24h: s.scoreChange24h, band: s.band,
    ...(s.needDetectedAt && s.needReason && s.needSignal ? { need: { at: Date.parse(s.needDetectedAt), reason: s.needReason, signal: s.needSignal } } : {}),
    stage: s.stage, waking: s.waking,
    ...(s.lastActivityAt ? { lastActivityAt: s.lastActivityAt } : {}),
    ...(s.cooldownUntil ? { cooldownUntil: s.cooldownUntil } : {}),
  };
}

/** Every number in a summary, however deep (a need reason's score is one). */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(numbersIn);
}

interface Run {
  checks: number;
  fallbacks: number;
  seen: Set<string>;
}

/** One lead's life: batches every few hours to days, mostly fresh events, some late or future ones. */
function simulate(seed: number, rules: ScoringRules, run: Run): void {
  const rnd = mulberry32(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const start = Date.parse('2026-03-02T00:00:00Z') + Math.floor(rnd() * DAY);
  const profile: LeadProfile = {
    createdAt: start - Math.floor(rnd() * 200 * DAY),
    ...(rnd() < 0.5 ? { employees: Math.floor(rnd() * 2000) } : {}),
    ...(rnd() < 0.5 ? { jobTitle: pick(['部長', 'Sales Manager', 'Engineer', '代表取締役']) } : {}),
  };
  const all: LeadEvent[] = [];
  let now = start;
  let state: ScoreState | undefined;
  let n = 0;
  const steps = 4 + Math.floor(rnd() * 12);
  for (let step = 0; step < steps; step++) {
    // Quiet spells long enough for sleep, churn and waking; bursts short enough for the 24 h tail.
    now += Math.floor(rnd() < 0.3 ? rnd() * 6 * 3_600_000 : rnd() < 0.8 ? rnd() * 5 * DAY : rnd() * 70 * DAY);
    const batch: LeadEvent[] = [];
    const size = Math.floor(rnd() * 5);
    for (let i = 0; i < size; i++) {
      const kind = pick(KINDS);
      const r = rnd();
      // Mostly in the last two days; some a week or a month late (out of order), a few in the future.
      const at = now - Math.floor(r < 0.75 ? rnd() * 2 * DAY : r < 0.9 ? rnd() * 30 * DAY : -rnd() * DAY);
      batch.push({
        id: `e${seed}-${n++}`, at, type: kind.type, title: `${kind.type} ${n}`,
        ...(rnd() < 0.3 ? { channel: pick(['web', 'event', 'partner', '']) } : {}),
        ...(kind.meta ? { meta: kind.meta } : {}),
      });
    }
    all.push(...batch);
    const next: ScoreState | undefined = state ? addEvents(state, batch, now, rules, profile) : undefined;
    let got = next ? summaryFromState(next, now, rules, profile) : undefined;
    if (!next || !got) {
      // What the server does when the state cannot take the batch: re-score from the full history.
      if (state) run.fallbacks += 1;
      state = buildState(all, now, rules, profile);
      got = summaryFromState(state, now, rules, profile);
    } else state = next;
    // A round trip through the database (the stored text) must not change the answer.
    state = decodeState(encodeState(state));
    if (!state) throw new Error(`seed ${seed} step ${step}: the stored state did not read back`);
    const want = oracle(profile, all, now, rules);
    // toEqual takes NaN for NaN: the oracle's own numbers are checked apart.
    expect(numbersIn(want).every(Number.isFinite), `seed ${seed} step ${step}: ${JSON.stringify(want)}`).toBe(true);
    expect({ seed, step, got }).toEqual({ seed, step, got: want });
    // Reading later without new events (the scheduled re-score) answers from the state too.
    const later = now + Math.floor(rnd() * 3 * DAY) + DAY;
    const read = summaryFromState(state, later, rules, profile);
    // A future event naming the first channel changes the hot threshold once its time comes: full path.
    if (read === undefined) run.fallbacks += 1;
    else expect({ seed, step, later: read }).toEqual({ seed, step, later: oracle(profile, all, later, rules) });
    run.checks += 2;
    run.seen.add(`stage:${want.stage}${want.waking ? '+waking' : ''}`).add(`band:${want.band}`).add(`need:${want.need?.signal === 'score' ? want.need.reason.key : want.need ? 'intent' : 'none'}`);
    if (want.cooldownUntil) run.seen.add(want.cooldownUntil.startsWith('9999') ? 'cooldown:do_not_call' : 'cooldown:lost');
    if (want.scoreChange24h !== 0) run.seen.add('change24h');
  }
}

describe('incremental scoring equals the full re-score', () => {
  for (const { name, rules, cases } of RULES) {
    it(`${name} rules: ${LEADS} random leads, every batch and a later read`, () => {
      const run: Run = { checks: 0, fallbacks: 0, seen: new Set() };
      for (let seed = 1; seed <= LEADS; seed++) simulate(seed * 7919 + name.length, rules, run);
      expect(run.checks).toBeGreaterThan(2000);
      // The generator reaches every branch of the summary, or the comparison proves little.
      for (const case_ of cases) expect(run.seen, case_).toContain(case_);
      // Late events fall back to the full path; most batches stay incremental.
      expect(run.fallbacks).toBeGreaterThan(0);
      expect(run.fallbacks).toBeLessThan(run.checks / 4);
    }, 30_000 * SCALE);
  }

  it('a burst of 1,500 events within a day (a tail far longer than the random leads\') equals the full re-score after every batch', () => {
    const rnd = mulberry32(4242);
    const rules = RULES[1]?.rules ?? DEFAULT_RULES;
    const start = Date.parse('2026-05-11T01:00:00Z');
    const profile: LeadProfile = { createdAt: start - 100 * DAY, employees: 500 };
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
    // Older history placed so that folded calls (10-day look-back) and losses (5 days) expire during the burst.
    const all: LeadEvent[] = Array.from({ length: 40 }, (_, i) => {
      const kind = pick(KINDS);
      const at = start - Math.floor((i % 2 === 0 ? 9 : 4) * DAY + rnd() * DAY);
      return { id: `h${i}`, at, type: kind.type, title: `${kind.type} ${i}`, ...(kind.meta ? { meta: kind.meta } : {}) };
    });
    let now = start;
    let state = buildState(all, now, rules, profile);
    let incremental = 0;
    const needs = new Set<string>();
    for (let step = 0; step < 15; step++) {
      now += 90 * 60_000;
      // Mostly notes (no points: a long tail whose score hovers), on whole minutes of the last two
      // hours, so many events share an instant (ties go by id).
      const batch: LeadEvent[] = Array.from({ length: 100 }, (_, i) => {
        const kind = rnd() < 0.95 ? { type: 'note', meta: undefined } : pick(KINDS);
        return { id: `b${step}-${i}`, at: now - Math.floor(rnd() * 120) * 60_000, type: kind.type, title: `${kind.type} ${step}/${i}`, ...(kind.meta ? { meta: kind.meta } : {}) };
      });
      all.push(...batch);
      const next = addEvents(state, batch, now, rules, profile);
      const got = next && summaryFromState(next, now, rules, profile);
      const want = oracle(profile, all, now, rules);
      needs.add(want.need?.reason.key ?? 'none');
      if (next && got) {
        incremental += 1;
        state = next;
        expect({ step, got }).toEqual({ step, got: want });
      } else state = buildState(all, now, rules, profile);
    }
    expect(state.tail.length).toBeGreaterThan(1000);
    expect(incremental).toBeGreaterThan(10);
    expect(needs).toContain('need.score');
  });

  // The search is skipped when even undecayed points cannot reach the threshold; at the edge
  // (points that round up to it) it must still run.
  it.each([
    // An open five days before adds 0.61 at the download's instant: 68.9 + 0.61 rounds to 70, 68.8 + 0.61 to 69.
    { points: 68.9, crossing: true },
    { points: 68.8, crossing: false },
    { points: 40, crossing: false },
    { points: 70, crossing: true },
  ])('a download of $points points against a hot threshold of 70: crossing $crossing, as the model finds', ({ points, crossing }) => {
    const rules: ScoringRules = { ...DEFAULT_RULES, points: { ...DEFAULT_RULES.points, download: points } };
    const profile: LeadProfile = { createdAt: 0 };
    const now = Date.parse('2026-06-10T03:00:00Z');
    const events: LeadEvent[] = [{ id: 'a', at: now - 5 * DAY, type: 'email_open', title: 'm' }, { id: 'b', at: now - 3_600_000, type: 'download', title: 'Guide' }];
    const state = buildState(events.slice(0, 1), now - 2 * 3_600_000, rules, profile);
    const next = addEvents(state, events.slice(1), now, rules, profile);
    const got = next && summaryFromState(next, now, rules, profile);
    const want = oracle(profile, events, now, rules);
    expect(got).toEqual(want);
    expect(want.need?.reason.key === 'need.score').toBe(crossing);
  });

  it('a crossing followed by negative points in the same batch is still found (they never lower the search ceiling)', () => {
    const rules: ScoringRules = { ...DEFAULT_RULES, points: { ...DEFAULT_RULES.points, download: 72, email_open: -10 } };
    const profile: LeadProfile = { createdAt: 0 };
    const now = Date.parse('2026-06-10T03:00:00Z');
    const events: LeadEvent[] = [
      { id: 'a', at: now - 5 * DAY, type: 'web_visit', title: 'top' },
      { id: 'b', at: now - 3 * 3_600_000, type: 'download', title: 'Guide' },
      ...[1, 2, 3].map((n) => ({ id: `o${n}`, at: now - 3 * 3_600_000 + n * 60_000, type: 'email_open', title: 'm' })),
    ];
    const state = buildState(events.slice(0, 1), now - 4 * 3_600_000, rules, profile);
    const next = addEvents(state, events.slice(1), now, rules, profile);
    const want = oracle(profile, events, now, rules);
    // Above 70 for a minute, then below it: the model records the crossing.
    expect(want.need?.reason.key).toBe('need.score');
    expect(next && summaryFromState(next, now, rules, profile)).toEqual(want);
  });

  it('refuses what it cannot answer exactly: an event at or before the cut, other rules, a read before cut + 1 day', () => {
    const profile: LeadProfile = { createdAt: 0 };
    const now = Date.parse('2026-06-10T03:00:00Z');
    const state = buildState([{ id: 'a', at: now - 3 * DAY, type: 'download', title: 'd' }], now, DEFAULT_RULES, profile);
    expect(state.cut).toBe(now - DAY);
    expect(addEvents(state, [{ id: 'b', at: now - DAY, type: 'download', title: 'late' }], now + 1000, DEFAULT_RULES, profile)).toBeUndefined();
    expect(addEvents(state, [{ id: 'b', at: now - DAY + 1, type: 'download', title: 'in the tail' }], now + 1000, DEFAULT_RULES, profile)).toBeDefined();
    expect(summaryFromState(state, now, { ...DEFAULT_RULES, halfLifeDays: 14 }, profile)).toBeUndefined();
    expect(summaryFromState(state, now - 1, DEFAULT_RULES, profile)).toBeUndefined();
    expect(summaryFromState(state, now, DEFAULT_RULES, { createdAt: 0, employees: 5000 })).toBeUndefined();
  });
});
