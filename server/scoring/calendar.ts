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

// A batch re-scores thousands of leads at one instant under one rule set, and zoned date
// arithmetic (Intl) dominates the model's cost: remember the last answer per rule set.
const lastOpen = new WeakMap<Hours, { ms: number; open: boolean }>();
const lastOpening = new WeakMap<Hours, { ms: number; opening: number | undefined }>();

export function isOpen(ms: number, h: Hours): boolean {
  const hit = lastOpen.get(h);
  if (hit?.ms === ms) return hit.open;
  const open = isBusinessOpen(ms, weekly(h)) && !isClosedDate(localDate(ms, h.timeZone), h);
  lastOpen.set(h, { ms, open });
  return open;
}

/** Next opening strictly after ms that is not a closed day; undefined when none within a year. */
export function nextOpening(ms: number, h: Hours): number | undefined {
  const hit = lastOpening.get(h);
  if (hit?.ms === ms) return hit.opening;
  const opening = findNextOpening(ms, h);
  lastOpening.set(h, { ms, opening });
  return opening;
}

function findNextOpening(ms: number, h: Hours): number | undefined {
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
