/**
 * The team's business calendar: its hours, Japanese public holidays (holiday_jp's table, kept
 * up to date by that package) and the company's closed days, as one BusinessCalendar. Apart
 * from business-hours.ts because the holiday table is large: the background and the extension
 * pages build the calendar and hand the content script the closed dates it needs.
 */
import holidayJp from '@holiday-jp/holiday_jp';
import type { BusinessCalendar } from './business-hours';
import { DAY_MS } from './message';
import { BoundedMemo } from './memo';
import type { TeamPolicy } from './team-policy';

/** Enough for a window that started before a long weekend and a queue a few weeks out. */
const BEHIND_DAYS = 14;
const AHEAD_DAYS = 120;

/** Public holidays in Japan between two instants (dates as 'YYYY-MM-DD'). */
export function japaneseHolidays(fromMs: number, toMs: number): string[] {
  const from = new Date(fromMs).toISOString().slice(0, 10);
  const to = new Date(toMs).toISOString().slice(0, 10);
  return Object.keys(holidayJp.holidays).filter((date) => date >= from && date <= to).sort();
}

/**
 * Calendars by policy content and UTC day: the badge asks at every recount, and reading the whole
 * holiday table each time cost more than the recount's own decisions. The range only moves by day.
 */
const calendars = new BoundedMemo<string, BusinessCalendar>(50);

/**
 * The calendar around `nowMs`: closed dates from two weeks back to four months ahead. Frozen, since
 * the same object is handed to every caller that asks with the same policy on the same day.
 */
export function teamCalendar(policy: Pick<TeamPolicy, 'businessHours' | 'japaneseHolidays' | 'closedDates'>, nowMs: number): BusinessCalendar {
  const { start, end, days, timeZone } = policy.businessHours;
  const key = JSON.stringify([start, end, days, timeZone, policy.japaneseHolidays, policy.closedDates, Math.floor(nowMs / DAY_MS)]);
  return calendars.get(key, () => {
    const holidays = policy.japaneseHolidays ? japaneseHolidays(nowMs - BEHIND_DAYS * DAY_MS, nowMs + AHEAD_DAYS * DAY_MS) : [];
    const closedDates = Object.freeze([...new Set([...holidays, ...policy.closedDates])].sort());
    return Object.freeze({ start, end, days: Object.freeze([...days]) as number[], timeZone, closedDates });
  });
}
