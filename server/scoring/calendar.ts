/**
 * Business hours with closed days: the extension's pure weekly hours (utils/policy) plus
 * Japanese public holidays and the company's own closed dates. Kept in one small module so it
 * can give way to the shared policy module once that one knows holidays itself.
 */
import holidays from '@holiday-jp/holiday_jp/lib/holidays';
import { isBusinessOpen, nextBusinessOpening, zonedParts, type BusinessHours } from '../../utils/policy/business-hours';
import type { ScoringRules } from './rules';

type Hours = ScoringRules['businessHours'];

const HOLIDAYS: Readonly<Record<string, unknown>> = holidays;

const weekly = (h: Hours): BusinessHours => ({ start: h.start, end: h.end, days: h.days, timeZone: h.timeZone });

/** The local date of an instant in the team's zone, YYYY-MM-DD. */
export function localDate(ms: number, timeZone: string): string {
  const p = zonedParts(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

export function isClosedDate(date: string, h: Hours): boolean {
  return (h.japaneseHolidays && HOLIDAYS[date] !== undefined) || h.closedDates.includes(date);
}

export function isOpen(ms: number, h: Hours): boolean {
  return isBusinessOpen(ms, weekly(h)) && !isClosedDate(localDate(ms, h.timeZone), h);
}

/** Next opening strictly after ms that is not a closed day; undefined when none within a year. */
export function nextOpening(ms: number, h: Hours): number | undefined {
  let t = ms;
  // Golden Week and the year-end close are a handful of days; a year bounds a bad config.
  for (let i = 0; i < 370; i++) {
    const opening = nextBusinessOpening(t, weekly(h));
    if (opening === undefined) return undefined;
    if (!isClosedDate(localDate(opening, h.timeZone), h)) return opening;
    t = opening;
  }
  return undefined;
}
