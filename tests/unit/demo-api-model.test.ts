// @vitest-environment node
/**
 * The reference scoring model, rule by rule: time axis, cooldown after a loss, 2-hour call
 * window, stages and waking, seminar / video ≥ 80 % = hot, interests.
 */
import { describe, expect, it } from 'vitest';
import { Cooldown, ScoreFactor } from '../../utils/api/contract';
import {
  DO_NOT_CALL_UNTIL, SCORING_CONFIG, isBusinessHours, nextBusinessOpening, scoreAt, scoreLead, type LeadEvent, type LeadProfile, type LeadScore,
} from '../../demo/api/model';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
/** Tuesday 2025-07-29 14:00 JST: inside business hours. */
const TUE_2PM = Date.parse('2025-07-29T05:00:00Z');
/** Saturday 2025-08-02 12:00 JST. */
const SAT_NOON = Date.parse('2025-08-02T03:00:00Z');
/** Monday 2025-08-04 09:00 JST. */
const MON_9AM = Date.parse('2025-08-04T00:00:00Z');

const profile: LeadProfile = { id: 'lead-t', name: 'テスト 太郎', crmRefs: [] };
let n = 0;
/** An event `ago` ms before the case's clock (set by `run`). */
const ev = (type: string, ago: number, extra: Partial<LeadEvent> = {}): ((now: number) => LeadEvent) =>
  (now) => ({ id: `e${++n}`, at: now - ago, type, title: extra.title ?? `${type} title`, ...extra });
const call = (ago: number, outcome = 'connected'): ((now: number) => LeadEvent) => ev('call', ago, { meta: { outcome } });
const run = (makers: ((now: number) => LeadEvent)[], now = TUE_2PM, p: LeadProfile = profile): LeadScore =>
  scoreLead(p, makers.map((m) => m(now)), now);

const cooldown = (s: LeadScore, reason: string): Cooldown | undefined => s.cooldowns.find((c) => c.reason === reason);
const factor = (s: LeadScore, key: string): ScoreFactor | undefined => s.breakdown.find((f) => f.key === key);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('cooldowns and timing', () => {
  // One line per rule: [case, events, clock, check]
  const table: [string, ((now: number) => LeadEvent)[], number, (s: LeadScore) => void][] = [
    ['lost 5 days ago → recently_lost block until lost+14d, negative timing factor', [ev('deal_lost', 5 * D)], TUE_2PM, (s) => { expect(cooldown(s, 'recently_lost')).toMatchObject({ severity: 'block', until: iso(TUE_2PM - 5 * D + 14 * D) }); expect(factor(s, 'timing:recently_lost')?.points).toBe(SCORING_CONFIG.recentlyLostPoints); expect(SCORING_CONFIG.recentlyLostPoints).toBeLessThan(0); expect(s.cooldownUntil).toBe(iso(TUE_2PM + 9 * D)); }],
    ['call logged as lost 3 days ago → recently_lost block', [call(3 * D, 'lost')], TUE_2PM, (s) => expect(cooldown(s, 'recently_lost')?.severity).toBe('block')],
    ['lost 20 days ago → no recently_lost, no timing penalty', [ev('deal_lost', 20 * D)], TUE_2PM, (s) => { expect(cooldown(s, 'recently_lost')).toBeUndefined(); expect(factor(s, 'timing:recently_lost')).toBeUndefined(); expect(s.cooldownUntil).toBeUndefined(); }],
    ['lost then won → no recently_lost', [ev('deal_lost', 5 * D), ev('deal_won', 2 * D)], TUE_2PM, (s) => expect(cooldown(s, 'recently_lost')).toBeUndefined()],
    ['3 calls in 30 days → contact_cap warn until oldest+30d, -8 per extra call', [call(20 * D), call(10 * D), call(3 * D)], TUE_2PM, (s) => { expect(cooldown(s, 'contact_cap')).toMatchObject({ severity: 'warn', until: iso(TUE_2PM - 20 * D + 30 * D) }); expect(factor(s, 'timing:calls_30d')).toMatchObject({ points: -16, count: 3 }); }],
    ['4 calls in 30 days → cap lifts when the 3rd most recent leaves the window', [call(25 * D), call(20 * D), call(10 * D), call(3 * D)], TUE_2PM, (s) => expect(cooldown(s, 'contact_cap')?.until).toBe(iso(TUE_2PM + 10 * D))],
    ['2 calls in 30 days → no contact_cap', [call(20 * D), call(3 * D)], TUE_2PM, (s) => expect(cooldown(s, 'contact_cap')).toBeUndefined()],
    ['complaint → do_not_call block without until; summary gets the far date', [ev('complaint', 40 * D)], TUE_2PM, (s) => { const c = cooldown(s, 'do_not_call'); expect(c?.severity).toBe('block'); expect(c?.until).toBeUndefined(); expect(s.cooldownUntil).toBe(DO_NOT_CALL_UNTIL); }],
    ['call with outcome complaint → do_not_call', [call(2 * D, 'complaint')], TUE_2PM, (s) => expect(cooldown(s, 'do_not_call')?.severity).toBe('block')],
    ['call 10 h ago → recent_call warn until call+48h', [call(10 * H)], TUE_2PM, (s) => { expect(cooldown(s, 'recent_call')).toMatchObject({ severity: 'warn', until: iso(TUE_2PM - 10 * H + 48 * H) }); expect(s.cooldownUntil).toBeUndefined(); }],
    ['no answer 10 h ago → no recent_call (nobody was reached)', [call(10 * H, 'no_answer')], TUE_2PM, (s) => expect(cooldown(s, 'recent_call')).toBeUndefined()],
    ['call 50 h ago → no recent_call', [call(50 * H)], TUE_2PM, (s) => expect(cooldown(s, 'recent_call')).toBeUndefined()],
    ['Saturday noon JST → quiet_hours warn until Monday 09:00 JST', [], SAT_NOON, (s) => expect(cooldown(s, 'quiet_hours')).toMatchObject({ severity: 'warn', until: iso(MON_9AM) })],
    ['Tuesday 14:00 JST → no quiet_hours', [], TUE_2PM, (s) => expect(cooldown(s, 'quiet_hours')).toBeUndefined()],
    ['Tuesday 19:30 JST → quiet_hours until Wednesday 09:00 JST', [], TUE_2PM + 5.5 * H, (s) => expect(cooldown(s, 'quiet_hours')?.until).toBe(iso(TUE_2PM + 19 * H))],
  ];
  it.each(table)('%s', (_name, events, now, check) => check(run(events, now)));

  it('warn cooldowns never set cooldownUntil; blocks do, latest wins', () => {
    const s = run([ev('deal_lost', 5 * D), ev('complaint', 1 * D), call(3 * H)], SAT_NOON);
    expect(s.cooldowns.map((c) => c.reason).sort()).toEqual(['do_not_call', 'quiet_hours', 'recent_call', 'recently_lost']);
    expect(s.cooldownUntil).toBe(DO_NOT_CALL_UNTIL);
  });

  it('business hours helpers agree at the edges', () => {
    expect(isBusinessHours(TUE_2PM - 5 * H)).toBe(true); // 09:00 opens
    expect(isBusinessHours(TUE_2PM - 5 * H - 1)).toBe(false);
    expect(isBusinessHours(TUE_2PM + 5 * H)).toBe(false); // 19:00 closes
    expect(nextBusinessOpening(TUE_2PM)).toBe(TUE_2PM + 19 * H); // Wednesday 09:00
  });
});

describe('need detection: the start of the 2-hour call window', () => {
  const table: [string, ((now: number) => LeadEvent)[], (s: LeadScore) => void][] = [
    ['seminar attended 40 min ago → needDetectedAt = that event', [ev('seminar_attended', 40 * MIN, { title: 'kintone活用セミナー' })], (s) => { expect(s.needDetectedAt).toBe(iso(TUE_2PM - 40 * MIN)); expect(s.needReason).toBe('Attended seminar: kintone活用セミナー'); }],
    ['video 85 % → hot-level need reason', [ev('video_watched', 30 * MIN, { title: 'MA入門', meta: { watchedPercent: 85 } })], (s) => { expect(s.needReason).toBe('Watched 85% of video: MA入門'); expect(s.needDetectedAt).toBe(iso(TUE_2PM - 30 * MIN)); expect(factor(s, 'behavior:video_watched')?.points).toBe(SCORING_CONFIG.videoWatchedHot); }],
    ['video 50 % → no need, low points', [ev('video_watched', 30 * MIN, { meta: { watchedPercent: 50 } })], (s) => { expect(s.needDetectedAt).toBeUndefined(); expect(factor(s, 'behavior:video_watched')?.points).toBe(SCORING_CONFIG.points.video_watched); }],
    ['inquiry form → "Inquiry form: ..."', [ev('form_submit', 10 * MIN, { title: '料金について' })], (s) => expect(s.needReason).toBe('Inquiry form: 料金について')],
    ['newsletter form → no need', [ev('form_submit', 10 * MIN, { meta: { form: 'newsletter' } })], (s) => expect(s.needReason).toBeUndefined()],
    ['latest of several signals wins', [ev('form_submit', 3 * D, { title: 'A' }), ev('seminar_attended', 2 * H, { title: 'B' })], (s) => expect(s.needReason).toBe('Attended seminar: B')],
    ['signal older than the lookback is history', [ev('seminar_attended', 45 * D)], (s) => expect(s.needDetectedAt).toBeUndefined()],
  ];
  it.each(table)('%s', (_name, events, check) => check(run(events)));

  it('crossing the hot threshold without a high-intent event is a need too (and names the trigger)', () => {
    const big: LeadProfile = { ...profile, employees: 2000, jobTitle: '営業部 部長' }; // +20
    const events = [
      ...[5, 4, 3, 2].map((d) => ev('key_page', d * H, { title: '料金プラン' })),
      ev('download', 3 * H, { title: '導入ガイド' }), ev('seminar_registered', 6 * H), ev('email_click', 5 * H), ev('download', 1 * H, { title: 'ホワイトペーパー' }),
    ];
    const s = run(events, TUE_2PM, big);
    expect(s.band).toBe('hot');
    expect(s.needReason).toMatch(/^Score reached \d+ \(hot\) after /);
    expect(s.needDetectedAt).toBeDefined();
    // The crossing is at an event, and the score just before it was below the threshold.
    const at = Date.parse(s.needDetectedAt ?? '');
    const concrete = events.map((m) => m(TUE_2PM)).sort((a, b) => a.at - b.at);
    expect(concrete.map((e) => e.at)).toContain(at);
    expect(scoreAt(big, concrete, at - 1)).toBeLessThan(SCORING_CONFIG.hotThreshold);
    expect(scoreAt(big, concrete, at)).toBeGreaterThanOrEqual(SCORING_CONFIG.hotThreshold);
  });
});

describe('score, decay and breakdown', () => {
  it('decay halves a click after the half-life (7 days)', () => {
    const fresh = factor(run([ev('email_click', 0)]), 'behavior:email_click')?.points;
    const week = factor(run([ev('email_click', 7 * D)]), 'behavior:email_click')?.points;
    expect(fresh).toBe(3);
    expect(week).toBe(1.5);
    expect(factor(run([ev('email_click', 14 * D)]), 'behavior:email_click')?.points).toBe(0.8); // 0.75 → 1 decimal
  });

  it('one behaviour factor per type, with count and lastAt', () => {
    const s = run([ev('web_visit', 2 * H), ev('web_visit', 1 * H), ev('email_open', 3 * H)]);
    expect(factor(s, 'behavior:web_visit')).toMatchObject({ kind: 'behavior', count: 2, lastAt: iso(TUE_2PM - H) });
    expect(factor(s, 'behavior:email_open')?.count).toBe(1);
  });

  it('score = rounded sum of the breakdown, clamped to 0..100; bands at 70 / 40', () => {
    const s = run([ev('seminar_attended', 0), ev('download', 0), ev('key_page', 0)]); // 25 + 8 + 6
    expect(s.score).toBe(39);
    expect(s.band).toBe('cold');
    expect(run([ev('seminar_attended', 0), ev('download', 0), ev('key_page', 0), ev('email_open', 0)]).band).toBe('warm');
    expect(run([ev('form_submit', 0), ev('seminar_attended', 0), ev('download', 0), ev('key_page', 0), ev('email_open', 0)]).band).toBe('hot');
    expect(run([ev('deal_lost', D)]).score).toBe(0);
    expect(run(Array.from({ length: 10 }, () => ev('form_submit', 0))).score).toBe(100);
    const mixed = run([ev('key_page', 2 * D), ev('download', 3 * D), call(4 * D), call(2 * D)], TUE_2PM, { ...profile, employees: 500 });
    expect(mixed.score).toBe(Math.max(0, Math.round(mixed.breakdown.reduce((sum, f) => sum + f.points, 0))));
  });

  it('profile fit: company size and decision-maker title', () => {
    const s = run([], TUE_2PM, { ...profile, employees: 1500, jobTitle: 'VP Sales' });
    expect(factor(s, 'profile:company_size')).toMatchObject({ kind: 'profile', points: 10 });
    expect(factor(s, 'profile:title')).toMatchObject({ kind: 'profile', points: 10 });
    expect(s.score).toBe(20);
  });

  it('scoreChange24h = score now − score 24 h ago', () => {
    const s = run([ev('form_submit', 2 * H)]);
    expect(s.scoreChange24h).toBe(s.score); // nothing existed 24 h ago
    const old = run([ev('form_submit', 30 * H)]);
    expect(old.scoreChange24h).toBeLessThan(0); // only decay since
  });

  it('events after the clock are ignored (pure: the clock is an argument)', () => {
    const future = run([ev('form_submit', -H)]);
    expect(future.score).toBe(0);
    expect(future.lastActivityAt).toBeUndefined();
    const a = run([ev('web_visit', H), ev('email_open', 2 * D)]);
    const b = run([ev('web_visit', H), ev('email_open', 2 * D)]);
    expect(a).toEqual(b);
  });
});

describe('stages and waking', () => {
  const table: [string, ((now: number) => LeadEvent)[], LeadScore['stage'], boolean][] = [
    ['recent activity, no long gap → lead', [ev('web_visit', 3 * D), ev('email_open', 30 * D), ev('email_open', 100 * D)], 'lead', false],
    ['nothing for 70 days → sleep', [ev('seminar_attended', 70 * D), ev('email_open', 90 * D)], 'sleep', false],
    ['asleep 100 days, clicked this week → sleep + waking', [ev('email_open', 100 * D), ev('email_click', 2 * D), ev('web_visit', 1 * D)], 'sleep', true],
    ['asleep, then an inquiry this week → fully awake', [ev('email_open', 100 * D), ev('form_submit', 1 * D)], 'lead', false],
    ['meeting set 20 days ago → process', [call(20 * D, 'meeting_set'), ev('email_open', 100 * D)], 'process', false],
    ['won 30 days ago → process', [ev('deal_won', 30 * D)], 'process', false],
    ['lost 120 days ago, only opens since → churn', [ev('deal_lost', 120 * D), ev('email_open', 10 * D)], 'churn', false],
    ['lost 120 days ago, attended a seminar since → lead', [ev('deal_lost', 120 * D), ev('seminar_attended', 10 * D)], 'lead', false],
  ];
  it.each(table)('%s', (_name, events, stage, waking) => {
    const s = run(events);
    expect(s.stage).toBe(stage);
    expect(s.waking).toBe(waking);
  });
});

describe('interests', () => {
  it('top topics by decayed points, from meta.topic or the title, normalised', () => {
    const s = run([
      ev('seminar_attended', H, { meta: { topic: 'kintone' } }),
      ev('key_page', H, { title: '料金プラン' }),
      ev('email_click', 2 * D, { title: 'セキュリティ対策のご案内' }),
      ev('email_open', 60 * D, { meta: { topic: '採用' } }),
      ev('call', H),
    ]);
    expect(s.interests[0]?.topic).toBe('kintone');
    expect(s.interests.map((i) => i.topic)).toEqual(expect.arrayContaining(['料金', 'セキュリティ']));
    expect(s.interests.length).toBeLessThanOrEqual(SCORING_CONFIG.interestsTop);
    const total = s.interests.reduce((sum, i) => sum + i.weight, 0);
    expect(total).toBeGreaterThan(0.97);
    expect(total).toBeLessThan(1.03);
  });
});
