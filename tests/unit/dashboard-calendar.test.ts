// @vitest-environment node
// Working time in Tokyo, 09:00–19:00 Monday to Friday. 2026-11-23 (Mon) is Labour Thanksgiving Day.
import { describe, expect, it } from 'vitest';
import { addWorkingMinutes, isWorkingAt, windowEnd, workingMinutesBetween, type TeamCalendar } from '../../server/dashboard/calendar';

const jst = (local: string): number => Date.parse(`${local}+09:00`);
const cal = (over: Partial<TeamCalendar> = {}): TeamCalendar => ({
  start: '09:00', end: '19:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo',
  closedDates: [], japaneseHolidays: true, ...over,
});

describe('isWorkingAt', () => {
  it.each<[string, string, Partial<TeamCalendar>, boolean]>([
    ['Friday 09:00 opens', '2026-11-27T09:00:00', {}, true],
    ['Friday 08:59 not yet', '2026-11-27T08:59:00', {}, false],
    ['Friday 18:59 still open', '2026-11-27T18:59:00', {}, true],
    ['Friday 19:00 closed', '2026-11-27T19:00:00', {}, false],
    ['Saturday noon', '2026-11-28T12:00:00', {}, false],
    ['public holiday', '2026-11-23T12:00:00', {}, false],
    ['public holiday when the team ignores them', '2026-11-23T12:00:00', { japaneseHolidays: false }, true],
    ['a closed date', '2026-11-26T12:00:00', { closedDates: ['2026-11-26'] }, false],
  ])('%s', (_n, at, over, expected) => {
    expect(isWorkingAt(jst(at), cal(over))).toBe(expected);
  });
});

describe('addWorkingMinutes', () => {
  it.each<[string, string, number, Partial<TeamCalendar>, string]>([
    ['inside one day', '2026-11-26T10:00:00', 120, {}, '2026-11-26T12:00:00'],
    ['ends exactly at closing', '2026-11-26T17:00:00', 120, {}, '2026-11-26T19:00:00'],
    ['Friday evening runs into Monday', '2026-11-27T18:30:00', 120, {}, '2026-11-30T10:30:00'],
    ['over a public holiday Monday', '2026-11-20T18:30:00', 120, {}, '2026-11-24T10:30:00'],
    ['same, holidays not observed', '2026-11-20T18:30:00', 120, { japaneseHolidays: false }, '2026-11-23T10:30:00'],
    ['from a Saturday', '2026-11-28T12:00:00', 30, {}, '2026-11-30T09:30:00'],
    ['before opening', '2026-11-26T07:00:00', 30, {}, '2026-11-26T09:30:00'],
    ['over a closed Monday', '2026-11-27T18:00:00', 120, { closedDates: ['2026-11-30'] }, '2026-12-01T10:00:00'],
  ])('%s', (_n, from, minutes, over, expected) => {
    expect(addWorkingMinutes(jst(from), minutes, cal(over))).toBe(jst(expected));
  });

  it('gives up on a calendar with no working day', () => {
    expect(addWorkingMinutes(jst('2026-11-26T10:00:00'), 30, cal({ days: [] }))).toBeUndefined();
  });
});

describe('workingMinutesBetween', () => {
  it.each<[string, string, string, number]>([
    ['same day', '2026-11-26T10:00:00', '2026-11-26T10:45:00', 45],
    ['over a weekend', '2026-11-27T18:00:00', '2026-11-30T10:00:00', 120],
    ['over the weekend and a holiday', '2026-11-20T18:00:00', '2026-11-24T09:15:00', 75],
    ['all outside working time', '2026-11-28T10:00:00', '2026-11-29T10:00:00', 0],
    ['backwards', '2026-11-26T12:00:00', '2026-11-26T10:00:00', 0],
  ])('%s', (_n, from, to, expected) => {
    expect(workingMinutesBetween(jst(from), jst(to), cal())).toBe(expected);
  });
});

describe('windowEnd', () => {
  it('counts working time, as the rep\'s panel does; a team open every hour gets the wall clock', () => {
    const need = jst('2026-11-27T18:30:00');
    expect(windowEnd(need, { windowMinutes: 120, calendar: cal() })).toBe(jst('2026-11-30T10:30:00'));
    expect(windowEnd(need, { windowMinutes: 120, calendar: cal({ start: '00:00', end: '24:00', days: [0, 1, 2, 3, 4, 5, 6], japaneseHolidays: false }) })).toBe(jst('2026-11-27T20:30:00'));
  });
});
