// @vitest-environment node
/**
 * The server's scoring model, pure and table-tested: points and decay, the time axis, need
 * detection, per-channel thresholds, cooldowns with Japanese holidays and company closed days,
 * stages, rules validation, and the ja/en rendering of what it says. Expected values are worked
 * out by hand from the rules, not by calling the model's helpers.
 */
import { describe, expect, it } from 'vitest';
import { isOpen, nextOpening } from '../../server/scoring/calendar';
import { scoreLead, type LeadEvent, type LeadScore } from '../../server/scoring/model';
import { DEFAULT_RULES, ScoringRules } from '../../server/scoring/rules';
import { localeFrom, render } from '../../server/scoring/text';

const H = 3_600_000;
const D = 24 * H;
/** Wednesday 2026-11-25 11:00 JST (a business day, inside hours). */
const WED_11 = Date.parse('2026-11-25T02:00:00Z');
/** Monday 2026-11-23 11:00 JST: Labour Thanksgiving Day, a public holiday. */
const HOLIDAY_11 = Date.parse('2026-11-23T02:00:00Z');

let n = 0;
const ev = (type: string, ago: number, extra: Partial<LeadEvent> = {}): LeadEvent => ({ id: `e${++n}`, at: WED_11 - ago, type, title: `${type} title`, ...extra });
const score = (events: LeadEvent[], rules = DEFAULT_RULES, now = WED_11, profile = {}): LeadScore => scoreLead(profile, events, now, rules);
const reasons = (s: LeadScore): string[] => s.cooldowns.map((c) => c.reason);

describe('points, decay and bands', () => {
  const table: [string, LeadEvent[], number, 'hot' | 'warm' | 'cold'][] = [
    ['nothing scores 0', [], 0, 'cold'],
    ['a download now is 8', [ev('download', 0)], 8, 'cold'],
    ['a download one half-life ago is 4', [ev('download', 7 * D)], 4, 'cold'],
    ['a download two half-lives ago is 2', [ev('download', 14 * D)], 2, 'cold'],
    ['form (30) + seminar attended (25) now is 55: warm', [ev('form_submit', 0), ev('seminar_attended', 0)], 55, 'warm'],
    ['form + seminar + video ≥ 80 % (20) now is 75: hot', [ev('form_submit', 0), ev('seminar_attended', 0), ev('video_watched', 0, { meta: { watchedPercent: 85 } })], 75, 'hot'],
    ['a video at 50 % is 5', [ev('video_watched', 0, { meta: { watchedPercent: 50 } })], 5, 'cold'],
    ['an unknown type scores 0', [ev('webinar_poll', 0)], 0, 'cold'],
    ['a loss 3 days ago (−40) clamps at 0', [ev('form_submit', 0), ev('deal_lost', 3 * D)], 0, 'cold'],
    ['three calls in 30 days cost 2 × 8', [ev('form_submit', 0), ev('seminar_attended', 0), ev('call', 1 * D, { meta: { outcome: 'no_answer' } }), ev('call', 2 * D, { meta: { outcome: 'busy' } }), ev('call', 3 * D, { meta: { outcome: 'gatekeeper' } })], 39, 'cold'],
    ['events after the clock are ignored', [ev('form_submit', -H)], 0, 'cold'],
  ];
  it.each(table)('%s', (_name, events, expected, band) => {
    const s = score(events);
    expect(s.score).toBe(expected);
    expect(s.band).toBe(band);
  });

  it('profile fit adds company size and title points', () => {
    // 1,000+ employees: 10; 部長 is a decision maker: 10.
    expect(score([], DEFAULT_RULES, WED_11, { employees: 1200, jobTitle: '情報システム部 部長' }).score).toBe(20);
    expect(score([], DEFAULT_RULES, WED_11, { employees: 150, jobTitle: 'Sales Manager' }).score).toBe(9);
  });

  it('scoreChange24h is now minus 24 h ago', () => {
    // Download 12 h ago: did not exist 24 h ago → +8·0.5^(0.5/7) ≈ 7.6 → 8.
    expect(score([ev('download', 12 * H)]).scoreChange24h).toBe(8);
  });
});

describe('need detection and per-channel thresholds', () => {
  it('a seminar attended opens the call window at the event', () => {
    const e = ev('seminar_attended', 30 * 60_000, { title: 'kintone活用' });
    const s = score([e]);
    expect(s.needDetectedAt).toBe(new Date(e.at).toISOString());
    expect(s.needSignal).toBe('seminar_attended');
    expect(s.needReason && render(s.needReason, 'en')).toBe('Attended seminar: kintone活用');
    expect(s.needReason && render(s.needReason, 'ja')).toBe('セミナー参加: kintone活用');
  });

  it('a newsletter form is not a need', () => {
    expect(score([ev('form_submit', 0, { meta: { form: 'newsletter' } })]).needDetectedAt).toBeUndefined();
  });

  it("crossing the channel's own threshold is a need; the default threshold would not be crossed", () => {
    // 3 downloads now = 24 points: below 70, above a seminar channel threshold of 20.
    const events = [ev('web_visit', 2 * D, { channel: 'seminar' }), ev('download', 0), ev('download', 0), ev('download', 0)];
    expect(score(events).band).toBe('cold');
    const rules = ScoringRules.parse({ ...DEFAULT_RULES, channelHotThresholds: { seminar: 20 } });
    const s = score(events, rules);
    expect(s.band).toBe('hot');
    expect(s.needSignal).toBe('score');
    expect(s.needReason && render(s.needReason, 'en')).toMatch(/^Score reached 2\d \(hot\) after Download: download title$/);
  });
});

describe('cooldowns', () => {
  const table: [string, LeadEvent[], number, string[]][] = [
    ['nothing in business hours: none', [], WED_11, []],
    ['complaint: do_not_call', [ev('complaint', 30 * D)], WED_11, ['do_not_call']],
    ['call with outcome complaint: do_not_call', [ev('call', 60 * D, { meta: { outcome: 'complaint' } })], WED_11, ['do_not_call']],
    ['lost 13 days ago: recently_lost', [ev('deal_lost', 13 * D)], WED_11, ['recently_lost']],
    ['lost 15 days ago: no block', [ev('deal_lost', 15 * D)], WED_11, []],
    ['lost then won: no block', [ev('deal_lost', 5 * D), ev('deal_won', 1 * D)], WED_11, []],
    ['reached 47 h ago: recent_call', [ev('call', 47 * H, { meta: { outcome: 'connected' } })], WED_11, ['recent_call']],
    ['no answer 1 h ago: no block, the chase goes on', [ev('call', 1 * H, { meta: { outcome: 'no_answer' } })], WED_11, []],
    ['busy, then a gatekeeper: no block', [ev('call', 3 * H, { meta: { outcome: 'busy' } }), ev('call', 1 * H, { meta: { outcome: 'gatekeeper' } })], WED_11, []],
    ['reached 5 h ago, no answer since: recent_call', [ev('call', 5 * H, { meta: { outcome: 'connected' } }), ev('call', 1 * H, { meta: { outcome: 'no_answer' } })], WED_11, ['recent_call']],
    ['called 49 h ago: none', [ev('call', 49 * H, { meta: { outcome: 'connected' } })], WED_11, []],
    ['three calls in 30 days: contact_cap', [ev('call', 3 * D), ev('call', 10 * D), ev('call', 20 * D)], WED_11, ['contact_cap']],
    ['a public holiday is quiet hours', [], HOLIDAY_11, ['quiet_hours']],
  ];
  it.each(table)('%s', (_name, events, now, expected) => {
    expect(reasons(score(events, DEFAULT_RULES, now))).toEqual(expected);
  });

  it('a block sets cooldownUntil; a complaint blocks for good', () => {
    const lost = ev('deal_lost', 4 * D);
    expect(score([lost]).cooldownUntil).toBe(new Date(lost.at + 14 * D).toISOString());
    expect(score([ev('complaint', D)]).cooldownUntil).toBe('9999-12-31T00:00:00.000Z');
    expect(score([ev('call', H)]).cooldownUntil).toBeUndefined();
  });

  it('quiet hours name the next opening after the holiday, in ja and en', () => {
    const s = score([], DEFAULT_RULES, HOLIDAY_11);
    const quiet = s.cooldowns[0];
    // Tuesday 2026-11-24 09:00 JST.
    expect(quiet?.until).toBe('2026-11-24T00:00:00.000Z');
    expect(quiet && render(quiet.message, 'en')).toContain('next opening 2026-11-24 09:00');
    expect(quiet && render(quiet.message, 'ja')).toContain('次の営業開始 2026-11-24 09:00');
  });
});

describe('business calendar', () => {
  const hours = DEFAULT_RULES.businessHours;
  const table: [string, string, boolean][] = [
    ['Wednesday 11:00 JST', '2026-11-25T02:00:00Z', true],
    ['Wednesday 08:59 JST', '2026-11-24T23:59:00Z', false],
    ['Wednesday 19:00 JST (closing is exclusive)', '2026-11-25T10:00:00Z', false],
    ['Saturday 11:00 JST', '2026-11-28T02:00:00Z', false],
    ['New Year holiday 2027-01-01 11:00 JST', '2027-01-01T02:00:00Z', false],
    ['Labour Thanksgiving 2026-11-23 11:00 JST', '2026-11-23T02:00:00Z', false],
  ];
  it.each(table)('%s → open %s', (_name, at, open) => expect(isOpen(Date.parse(at), hours)).toBe(open));

  it("company closed days and holidays are skipped when finding the next opening", () => {
    const closed = { ...hours, closedDates: ['2026-12-29', '2026-12-30', '2026-12-31'] };
    // Monday 2026-12-28 20:00 JST → 29–31 closed, 1 Jan holiday, 2–3 weekend → Monday 4 Jan 09:00 JST.
    expect(nextOpening(Date.parse('2026-12-28T11:00:00Z'), closed)).toBe(Date.parse('2027-01-04T00:00:00Z'));
    expect(nextOpening(Date.parse('2026-12-28T11:00:00Z'), { ...closed, japaneseHolidays: false })).toBe(Date.parse('2027-01-01T00:00:00Z'));
  });
});

describe('stages', () => {
  const table: [string, LeadEvent[], string, boolean][] = [
    ['recent activity: lead', [ev('web_visit', 2 * D)], 'lead', false],
    ['meeting set 10 days ago: process', [ev('call', 10 * D, { meta: { outcome: 'meeting_set' } })], 'process', false],
    ['nothing for 61 days: sleep', [ev('download', 61 * D)], 'sleep', false],
    ['asleep, then opened mail yesterday: sleep + waking', [ev('download', 100 * D), ev('email_open', D)], 'sleep', true],
    ['lost 100 days ago and quiet since: churn', [ev('deal_lost', 100 * D)], 'churn', false],
  ];
  it.each(table)('%s', (_name, events, stage, waking) => {
    const s = score(events);
    expect([s.stage, s.waking]).toEqual([stage, waking]);
  });
});

describe('rules are validated data', () => {
  it('the defaults parse and survive a JSON round trip', () => {
    expect(ScoringRules.parse(JSON.parse(JSON.stringify(DEFAULT_RULES)))).toEqual(DEFAULT_RULES);
  });
  const bad: [string, unknown][] = [
    ['warm above hot', { ...DEFAULT_RULES, warmThreshold: 80 }],
    ['unknown time zone', { ...DEFAULT_RULES, businessHours: { ...DEFAULT_RULES.businessHours, timeZone: 'Mars/Olympus' } }],
    ['broken title pattern', { ...DEFAULT_RULES, titleFit: [{ pattern: '(', points: 1, label: 'x' }] }],
    ['a closed date that is not a date', { ...DEFAULT_RULES, businessHours: { ...DEFAULT_RULES.businessHours, closedDates: ['12/31'] } }],
  ];
  it.each(bad)('rejects %s', (_name, rules) => expect(ScoringRules.safeParse(rules).success).toBe(false));
});

describe('language', () => {
  const table: [string | undefined, 'ja' | 'en'][] = [
    [undefined, 'en'], ['ja', 'ja'], ['ja-JP,ja;q=0.9,en;q=0.8', 'ja'], ['en-US,ja;q=0.5', 'en'], ['fr-FR', 'en'], ['fr,ja;q=0.3', 'ja'],
  ];
  it.each(table)('Accept-Language %s → %s', (header, locale) => expect(localeFrom(header)).toBe(locale));

  it('renders call titles for every outcome, known or not', () => {
    expect(render({ key: 'event.call', params: { outcome: 'busy' } }, 'ja')).toBe('架電: 話し中');
    expect(render({ key: 'event.call', params: { outcome: 'lost', lossReason: 'price' } }, 'en')).toBe('Call: lost (price)');
    expect(render({ key: 'event.call', params: { outcome: 'voicemail_left' } }, 'en')).toBe('Call: voicemail left');
  });
});
