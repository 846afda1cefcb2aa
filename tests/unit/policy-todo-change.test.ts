// When time alone changes one to-do row (utils/policy/todo.ts nextRowChange): the badge keeps each
// lead's decision until then. Office hours Monday to Friday 09:00-19:00 in Tokyo, a 120-minute
// window and a 30-minute retry; every expected instant is worked out by hand in Tokyo time.
import { describe, expect, it } from 'vitest';
import type { LeadSummary } from '../../utils/api/contract';
import type { BusinessCalendar } from '../../utils/policy/business-hours';
import { nextRowChange, nextTodoChange, todoRows } from '../../utils/policy/todo';

const OFFICE: BusinessCalendar = { start: '09:00', end: '19:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo', closedDates: [] };
const POLICY = { callWindowMinutes: 120, retryMinutes: 30 };
/** Tokyo wall clock on November 2026 → instant (Tokyo is UTC+9, no daylight saving). */
const jst = (day: number, hhmm: string) => Date.parse(`2026-11-${String(day).padStart(2, '0')}T${hhmm}:00+09:00`);
const TUE = 24;

const lead = (needDetectedAt?: string): LeadSummary => ({
  id: 'L1', name: 'Lead', score: 80, scoreChange24h: 0, band: 'hot', stage: 'lead', crmRefs: [], updatedAt: new Date(jst(TUE, '08:00')).toISOString(),
  ...(needDetectedAt ? { needDetectedAt } : {}),
});

const cases: { name: string; now: number; need?: number; calls?: { at: number; outcome: string }[]; expected: number }[] = [
  { name: 'open, 110 min left: turns urgent 30 min before its end (11:40 - 0:30)', now: jst(TUE, '10:00'), need: jst(TUE, '09:50'), expected: jst(TUE, '11:20') },
  { name: 'need before the opening: the window counts from 09:00, ends 11:00, urgent from 10:30', now: jst(TUE, '10:00'), need: jst(TUE, '08:30'), expected: jst(TUE, '10:30') },
  { name: 'already urgent (30 min left: Monday 18:30-19:00 and 09:00-10:30): its end', now: jst(TUE, '10:00'), need: jst(TUE - 1, '18:30'), expected: jst(TUE, '10:30') },
  { name: 'missed (Monday 17:00-19:00): never', now: jst(TUE, '10:00'), need: jst(TUE - 1, '17:00'), expected: Infinity },
  { name: 'no need: never', now: jst(TUE, '10:00'), expected: Infinity },
  { name: 'a no-answer at 09:55: the retry at 10:25 comes before the urgent turn at 11:20', now: jst(TUE, '10:00'), need: jst(TUE, '09:50'), calls: [{ at: jst(TUE, '09:55'), outcome: 'no_answer' }], expected: jst(TUE, '10:25') },
  { name: 'paused after closing (30 min Tuesday, 90 from Wednesday 09:00): its end; the opening is the calendar\'s', now: jst(TUE, '19:30'), need: jst(TUE, '18:30'), expected: jst(TUE + 1, '10:30') },
];

describe('nextRowChange', () => {
  it.each(cases)('$name', ({ now, need, calls, expected }) => {
    const [row] = todoRows([{ lead: lead(need === undefined ? undefined : new Date(need).toISOString()), calls: calls ?? [] }], POLICY, OFFICE, now);
    expect(row).toBeDefined();
    expect(nextRowChange(row!, now)).toBe(expected);
  });

  it('nextTodoChange is the earliest of the rows\' changes and the team\'s opening or closing', () => {
    const now = jst(TUE, '19:30');
    const [paused] = todoRows([{ lead: lead(new Date(jst(TUE, '18:30')).toISOString()), calls: [] }], POLICY, OFFICE, now);
    expect(nextTodoChange([], POLICY, OFFICE, now)).toBe(jst(TUE + 1, '09:00'));
    expect(nextTodoChange([paused!], POLICY, OFFICE, now)).toBe(jst(TUE + 1, '09:00'));
    expect(nextTodoChange([paused!], POLICY, undefined, now)).toBe(jst(TUE + 1, '10:30'));
  });
});
