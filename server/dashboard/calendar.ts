/**
 * The team's working calendar: weekly business hours in the team's zone, minus closed dates
 * (and, when the team says so, Japanese public holidays). The two-hour window and the alert
 * delay count working minutes, as the rep's panel does, so a need detected at 18:50 on a
 * Friday is still "fresh" at 09:30 on Monday.
 */
import holidayJp from '@holiday-jp/holiday_jp';
import { zonedParts, zonedTimeToMs, parseClock, type BusinessHours } from '../../utils/policy/business-hours';
import { DAY_MS } from '../../utils/policy/message';

/** The shape of the business hours in the team's scoring rules. */
export interface TeamCalendar extends BusinessHours {
  /** Japanese public holidays are closed days too. */
  japaneseHolidays: boolean;
  /** Local dates 'YYYY-MM-DD' the team does not work (company holidays, year-end). */
  closedDates: readonly string[];
}

const MINUTE_MS = 60_000;
/** How far ahead a search for working time goes before giving up (a calendar with no working day). */
const HORIZON_DAYS = 400;

export const localDate = (y: number, m: number, d: number): string =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

// holiday_jp keys its table by local date; a direct lookup (its isHoliday lists every key per call).
const isJapaneseHoliday = (date: string): boolean => Object.hasOwn(holidayJp.holidays, date);

/** Whether the team works on this local date at all. */
export function isWorkingDate(date: string, weekday: number, cal: TeamCalendar): boolean {
  if (!cal.days.includes(weekday)) return false;
  if (cal.closedDates.includes(date)) return false;
  return !(cal.japaneseHolidays && isJapaneseHoliday(date));
}

interface Interval { start: number; end: number }

/** Working intervals in time order, from the local day containing `fromMs`. */
function* workingIntervals(fromMs: number, cal: TeamCalendar): Generator<Interval> {
  const zone = cal.timeZone;
  const p = zonedParts(fromMs, zone);
  const open = parseClock(cal.start) ?? 9 * 60;
  const close = parseClock(cal.end) ?? 19 * 60;
  for (let i = 0; i < HORIZON_DAYS; i++) {
    const d = new Date(Date.UTC(p.year, p.month - 1, p.day) + i * DAY_MS);
    const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (!isWorkingDate(localDate(y, m, day), d.getUTCDay(), cal)) continue;
    yield { start: zonedTimeToMs(y, m, day, open, zone), end: zonedTimeToMs(y, m, day, close, zone) };
  }
}

export function isWorkingAt(ms: number, cal: TeamCalendar): boolean {
  for (const iv of workingIntervals(ms, cal)) {
    if (iv.start > ms) return false;
    if (ms < iv.end) return true;
  }
  return false;
}

/** The instant `minutes` working minutes after `fromMs` (undefined when the calendar never opens). */
export function addWorkingMinutes(fromMs: number, minutes: number, cal: TeamCalendar): number | undefined {
  let left = minutes * MINUTE_MS;
  for (const iv of workingIntervals(fromMs, cal)) {
    const start = Math.max(iv.start, fromMs);
    if (start >= iv.end) continue;
    if (start + left <= iv.end) return start + left;
    left -= iv.end - start;
  }
  return undefined;
}

/** Working minutes between two instants (0 when `toMs` is not after `fromMs`). */
export function workingMinutesBetween(fromMs: number, toMs: number, cal: TeamCalendar): number {
  if (toMs <= fromMs) return 0;
  let total = 0;
  for (const iv of workingIntervals(fromMs, cal)) {
    if (iv.start >= toMs) break;
    const start = Math.max(iv.start, fromMs);
    const end = Math.min(iv.end, toMs);
    if (end > start) total += end - start;
  }
  return total / MINUTE_MS;
}

/**
 * How a team counts the call window: in working minutes, as the rep's panel counts it down
 * (a team that works around the clock says so in its business hours).
 */
export interface WindowRule {
  windowMinutes: number;
  calendar: TeamCalendar;
}

/** When the call window of a need closes. */
export function windowEnd(needMs: number, rule: WindowRule): number {
  return addWorkingMinutes(needMs, rule.windowMinutes, rule.calendar) ?? Number.POSITIVE_INFINITY;
}

/** Minutes from a need to a call, counted the way the window is. */
export function minutesToCall(needMs: number, callMs: number, rule: WindowRule): number {
  return workingMinutesBetween(needMs, callMs, rule.calendar);
}
