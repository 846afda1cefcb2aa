// @vitest-environment node
// The two-hour KPI over a hand-worked week (Tokyo, a 2-hour window counted in working time, 09:00–19:00 weekdays); every expected
// number below was counted by hand from the table of needs and calls.
import { describe, expect, it } from 'vitest';
import type { CallRow, NeedRow } from '../../server/dashboard/activity';
import type { WindowRule } from '../../server/dashboard/calendar';
import { missedOf, needOutcomes, twoHourReport, type ResponseStats } from '../../server/dashboard/response';
import { waitingNow } from '../../server/dashboard/waiting';

const jst = (local: string): string => `${local}+09:00`;
const need = (leadId: string, ownerId: string | undefined, local: string): NeedRow =>
  ({ leadId, leadName: `Lead ${leadId}`, ownerId, needDetectedAt: jst(local), needReason: 'seminar' });
let n = 0;
const call = (leadId: string, actorId: string, local: string): CallRow =>
  ({ id: `c${++n}`, leadId, actorId, at: jst(local), outcome: 'connected' });

const calendar = { start: '09:00', end: '19:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo', closedDates: [], japaneseHolidays: true };
const rule: WindowRule = { windowMinutes: 120, calendar };
const NOW = Date.parse(jst('2026-11-26T18:00:00'));

const needs: NeedRow[] = [
  need('A', 'r1', '2026-11-24T10:00:00'),
  need('A', 'r1', '2026-11-24T10:00:00'), // the same need reported twice
  need('B', 'r1', '2026-11-24T11:00:00'),
  need('C', 'r1', '2026-11-25T09:00:00'),
  need('D', 'r2', '2026-11-25T14:00:00'),
  need('G', 'r2', '2026-11-25T10:00:00'),
  need('E', 'r2', '2026-11-26T17:00:00'),
  need('F', undefined, '2026-11-26T10:00:00'),
  need('A', 'r1', '2026-11-26T09:00:00'), // A is hot again; its old call does not answer this one
];
const calls: CallRow[] = [
  call('A', 'r1', '2026-11-24T10:30:00'),
  call('B', 'r1', '2026-11-24T13:30:00'),
  call('D', 'r2', '2026-11-25T16:00:00'),
  call('G', 'r2', '2026-11-25T09:59:00'),
  call('F', 'r2', '2026-11-26T10:10:00'),
  call('A', 'r1', '2026-11-26T18:30:00'), // after now: not yet happened
];

describe('needOutcomes', () => {
  it('gives each distinct need its status', () => {
    const got = needOutcomes(needs, calls, rule, NOW).map((o) => [o.need.leadId, o.need.needDetectedAt.slice(5, 16), o.status, o.minutesToFirstCall]);
    expect(got).toEqual([
      ['A', '11-24T10:00', 'in_window', 30],
      ['B', '11-24T11:00', 'late', 150],
      ['C', '11-25T09:00', 'missed', undefined],
      ['D', '11-25T14:00', 'in_window', 120],
      ['G', '11-25T10:00', 'missed', undefined],
      ['E', '11-26T17:00', 'waiting', undefined],
      ['F', '11-26T10:00', 'in_window', 10],
      ['A', '11-26T09:00', 'missed', undefined],
    ]);
  });

  it('counts working minutes, as the rep\'s panel counts the window down', () => {
    const friday = [need('W', 'r1', '2026-11-27T18:30:00')];
    // Friday 18:30–19:00 is 30 minutes, Monday 09:00–10:00 is 60.
    const monday = [call('W', 'r1', '2026-11-30T10:00:00')];
    const after = Date.parse(jst('2026-11-30T12:00:00'));
    expect(needOutcomes(friday, monday, rule, after)[0]).toMatchObject({ status: 'in_window', minutesToFirstCall: 90 });
    // Monday 10:31 is 121 working minutes after Friday 18:30: late.
    expect(needOutcomes(friday, [call('W', 'r1', '2026-11-30T10:31:00')], rule, after)[0]).toMatchObject({ status: 'late', minutesToFirstCall: 121 });
  });
});

describe('twoHourReport', () => {
  const outcomes = needOutcomes(needs, calls, rule, NOW);
  const pick = ({ period, repId, needs, calledInWindow, missedWindows, waiting, ratePercent, medianMinutesToFirstCall }: ResponseStats) =>
    [period, repId ?? 'team', needs, calledInWindow, missedWindows, waiting, ratePercent, medianMinutesToFirstCall];

  it('by day', () => {
    const r = twoHourReport(outcomes, 'day', 'Asia/Tokyo');
    expect(r.team.map(pick)).toEqual([
      ['2026-11-24', 'team', 2, 1, 1, 0, 50, 90],
      ['2026-11-25', 'team', 3, 1, 2, 0, 33, 120],
      ['2026-11-26', 'team', 3, 1, 1, 1, 50, 10],
    ]);
    expect(r.reps.map(pick)).toEqual([
      ['2026-11-24', 'r1', 2, 1, 1, 0, 50, 90],
      ['2026-11-25', 'r1', 1, 0, 1, 0, 0, null],
      ['2026-11-25', 'r2', 2, 1, 1, 0, 50, 120],
      ['2026-11-26', 'r1', 1, 0, 1, 0, 0, null],
      ['2026-11-26', 'r2', 1, 0, 0, 1, null, null],
    ]);
  });

  it('by week (Monday start); the stock lead counts for the team only', () => {
    const r = twoHourReport(outcomes, 'week', 'Asia/Tokyo');
    expect(r.team.map(pick)).toEqual([['2026-11-23', 'team', 8, 3, 4, 1, 43, 75]]);
    expect(r.reps.map(pick)).toEqual([
      ['2026-11-23', 'r1', 4, 1, 3, 0, 25, 90],
      ['2026-11-23', 'r2', 3, 1, 1, 1, 50, 120],
    ]);
  });

  it('a rep\'s missed windows, newest first', () => {
    expect(missedOf(outcomes, 'r1').map((o) => `${o.need.leadId} ${o.status}`)).toEqual(['A missed', 'C missed', 'B late']);
  });
});

describe('waitingNow', () => {
  it('lists uncalled hot leads by time left, overdue first, one row per lead', () => {
    const hot = [
      need('E', 'r2', '2026-11-26T17:00:00'),
      need('H', 'r1', '2026-11-26T16:30:00'),
      need('C', 'r1', '2026-11-25T09:00:00'),
      need('F', undefined, '2026-11-26T10:00:00'), // called: not waiting
      need('K', 'r1', '2026-11-20T10:00:00'),
      need('K', 'r1', '2026-11-26T17:30:00'), // K's current need
    ];
    const rows = waitingNow(hot, calls, rule, NOW);
    expect(rows.map((r) => [r.need.leadId, r.timeLeftMs / 60_000])).toEqual([
      ['C', -(31 * 60)],
      ['H', 30],
      ['E', 60],
      ['K', 90],
    ]);
  });
});
