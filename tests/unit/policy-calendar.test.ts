// One business calendar for every decision: team hours, Japanese public holidays, closed days.
// Expected instants are worked out by hand from the Tokyo calendar (UTC+9, no daylight saving).
import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessTimeBetween, isBusinessOpen, nextBusinessOpening, type BusinessCalendar } from '../../utils/policy/business-hours';
import { callWindow, nextBoundary } from '../../utils/policy/call-window';
import { japaneseHolidays, teamCalendar } from '../../utils/policy/calendar';
import { DEFAULT_TEAM_POLICY } from '../../utils/policy/team-policy';

const MIN = 60_000;
const jst = (local: string): number => Date.parse(`${local}+09:00`);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

const HOURS = { start: '09:00', end: '19:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo' };
// 2026-11-23 (Mon) is Labour Thanksgiving Day; the company also closes 2026-12-29..31.
const CAL: BusinessCalendar = { ...HOURS, closedDates: ['2026-11-23', '2026-12-29', '2026-12-30', '2026-12-31'] };

describe('holidays', () => {
  it('reads Japanese public holidays from holiday_jp', () => {
    expect(japaneseHolidays(jst('2026-11-01T00:00:00'), jst('2026-11-30T00:00:00'))).toEqual(['2026-11-03', '2026-11-23']);
  });

  it('builds the team calendar: holidays and the company’s closed days, once each', () => {
    const calendar = teamCalendar({ ...DEFAULT_TEAM_POLICY, closedDates: ['2026-12-29', '2026-11-23'] }, jst('2026-11-20T12:00:00'));
    expect(calendar.closedDates).toContain('2026-11-23');
    expect(calendar.closedDates).toContain('2026-12-29');
    expect(calendar.closedDates).toContain('2027-01-01');
    expect(calendar.closedDates?.filter((d) => d === '2026-11-23')).toHaveLength(1);
    expect(teamCalendar({ ...DEFAULT_TEAM_POLICY, japaneseHolidays: false }, jst('2026-11-20T12:00:00')).closedDates).toEqual([]);
  });
});

describe('calendars kept between questions', () => {
  it('one calendar per policy and day: the same object for the same question, a new one when the policy or the day differs', () => {
    const noon = jst('2026-11-20T12:00:00');
    const first = teamCalendar({ ...DEFAULT_TEAM_POLICY, closedDates: ['2026-12-29'] }, noon);
    // Another policy object with the same content, an hour later the same day: the same calendar.
    expect(teamCalendar({ ...DEFAULT_TEAM_POLICY, closedDates: ['2026-12-29'] }, noon + 60 * MIN)).toBe(first);
    expect(teamCalendar({ ...DEFAULT_TEAM_POLICY, closedDates: ['2026-12-30'] }, noon).closedDates).toContain('2026-12-30');
    expect(teamCalendar({ ...DEFAULT_TEAM_POLICY, closedDates: ['2026-12-29'] }, noon).closedDates).not.toContain('2026-12-30');
    // Two weeks behind: 2026-11-03 falls out of the range the day after 2026-11-17 (UTC days).
    expect(teamCalendar(DEFAULT_TEAM_POLICY, jst('2026-11-17T12:00:00')).closedDates).toContain('2026-11-03');
    expect(teamCalendar(DEFAULT_TEAM_POLICY, jst('2026-11-18T12:00:00')).closedDates).not.toContain('2026-11-03');
    expect(Object.isFrozen(first) && Object.isFrozen(first.closedDates)).toBe(true);
  });

  it('a policy changed in place is not answered from the calendar kept for its old content', () => {
    const policy = { ...DEFAULT_TEAM_POLICY, closedDates: ['2026-12-29'] };
    const noon = jst('2026-11-20T12:00:00');
    expect(teamCalendar(policy, noon).closedDates).not.toContain('2026-12-28');
    policy.closedDates.push('2026-12-28');
    expect(teamCalendar(policy, noon).closedDates).toContain('2026-12-28');
  });

  it('a calendar whose closed dates or hours change in place is read again', () => {
    const tuesday = jst('2026-12-01T10:00:00');
    const calendar = { ...HOURS, days: [...HOURS.days], closedDates: ['2026-11-30'] };
    expect(isBusinessOpen(tuesday, calendar)).toBe(true);
    calendar.closedDates.push('2026-12-01');
    expect(isBusinessOpen(tuesday, calendar)).toBe(false);
    calendar.closedDates.pop();
    calendar.start = '10:30';
    expect(isBusinessOpen(tuesday, calendar)).toBe(false);
    expect(iso(nextBusinessOpening(tuesday, calendar))).toBe(iso(jst('2026-12-01T10:30:00')));
  });

  it('two calendars whose texts differ are never taken for each other, even malformed ones', () => {
    // A clock that does not read falls back to 09:00 / 19:00; both texts once made one cache key.
    const evening = jst('2026-12-01T18:30:00');
    expect(isBusinessOpen(evening, { ...HOURS, start: '09:00|10:00', end: '18:00' })).toBe(false);
    expect(isBusinessOpen(evening, { ...HOURS, start: '09:00', end: '10:00|18:00' })).toBe(true);
  });
});

describe('open or closed', () => {
  it.each([
    ['Friday 18:59', '2026-11-27T18:59:00', true, undefined],
    ['Friday 19:01 → Monday 09:00', '2026-11-27T19:01:00', false, '2026-11-30T09:00:00'],
    ['Saturday noon → Monday 09:00', '2026-11-28T12:00:00', false, '2026-11-30T09:00:00'],
    ['Friday 19:01 before a Monday holiday → Tuesday 09:00', '2026-11-20T19:01:00', false, '2026-11-24T09:00:00'],
    ['on the holiday itself', '2026-11-23T10:00:00', false, '2026-11-24T09:00:00'],
    ['company closed 12-29 and 12-30 → 12-31 09:00', '2026-12-28T19:30:00', false, '2026-12-31T09:00:00'],
  ])('%s', (_name, local, open, next) => {
    const calendar = local.startsWith('2026-12') ? { ...CAL, closedDates: ['2026-12-29', '2026-12-30'] } : CAL;
    expect(isBusinessOpen(jst(local), calendar)).toBe(open);
    if (next) expect(iso(nextBusinessOpening(jst(local), calendar))).toBe(iso(jst(next)));
  });
});

describe('business time', () => {
  it.each([
    ['inside one day', '2026-11-26T10:00:00', 120, '2026-11-26T12:00:00'],
    ['Friday 18:30 + 2 h → 30 min Friday, 90 min Monday', '2026-11-27T18:30:00', 120, '2026-11-30T10:30:00'],
    ['Friday 18:30 before a Monday holiday → Tuesday 10:30', '2026-11-20T18:30:00', 120, '2026-11-24T10:30:00'],
    ['a need on Saturday starts Monday at opening', '2026-11-28T15:00:00', 120, '2026-11-30T11:00:00'],
    ['ends exactly at closing', '2026-11-26T17:00:00', 120, '2026-11-26T19:00:00'],
  ])('%s', (_name, from, minutes, end) => {
    expect(iso(addBusinessTime(jst(from), minutes * MIN, CAL))).toBe(iso(jst(end)));
  });

  it('counts only open time between two instants', () => {
    expect(businessTimeBetween(jst('2026-11-27T18:00:00'), jst('2026-11-30T10:00:00'), CAL)).toBe(120 * MIN);
    expect(businessTimeBetween(jst('2026-11-27T19:01:00'), jst('2026-11-30T09:00:00'), CAL)).toBe(0);
    expect(businessTimeBetween(jst('2026-11-30T10:00:00'), jst('2026-11-30T09:00:00'), CAL)).toBe(0);
  });

  it('no working day at all → no end, and the window falls back to wall-clock time', () => {
    const never = { ...HOURS, days: [] };
    expect(addBusinessTime(jst('2026-11-27T10:00:00'), 60 * MIN, never)).toBeUndefined();
  });
});

describe('the call window pauses outside business hours', () => {
  const need = iso(jst('2026-11-27T17:47:00')) ?? '';
  it.each([
    ['Friday 18:00: open, 1 h 47 min of business time left', '2026-11-27T18:00:00',
      { state: 'open', remainingMs: 107 * MIN }],
    ['Friday 19:01: paused with 47 min left, resumes Monday 09:00', '2026-11-27T19:01:00',
      { state: 'paused', remainingMs: 47 * MIN, resumesAt: iso(jst('2026-11-30T09:00:00')), endsAt: iso(jst('2026-11-30T09:47:00')) }],
    ['Sunday: still paused, nothing spent', '2026-11-29T20:00:00', { state: 'paused', remainingMs: 47 * MIN }],
    ['Monday 09:30: open again, 17 min left', '2026-11-30T09:30:00', { state: 'open', remainingMs: 17 * MIN }],
    ['Monday 09:48: missed by 1 min', '2026-11-30T09:48:00', { state: 'missed', missedByMs: MIN }],
  ])('%s', (_name, now, expected) => {
    expect(callWindow(need, 120, jst(now), CAL)).toMatchObject(expected);
  });

  it('wakes a timer at closing, at opening and at the end', () => {
    expect(iso(nextBoundary(need, 120, jst('2026-11-27T18:00:00'), CAL))).toBe(iso(jst('2026-11-27T19:00:00')));
    expect(iso(nextBoundary(need, 120, jst('2026-11-28T12:00:00'), CAL))).toBe(iso(jst('2026-11-30T09:00:00')));
    expect(iso(nextBoundary(need, 120, jst('2026-11-30T09:30:00'), CAL))).toBe(iso(jst('2026-11-30T09:47:00')));
    expect(nextBoundary(need, 120, jst('2026-11-30T10:00:00'), CAL)).toBeUndefined();
  });

  it('without a calendar the window is wall-clock time (as before)', () => {
    expect(callWindow(need, 120, jst('2026-11-27T19:01:00'))).toMatchObject({ state: 'open', remainingMs: 46 * MIN });
  });
});
