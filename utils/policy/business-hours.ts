/**
 * Business hours in a given IANA time zone, with Intl only (no date library): the team
 * works in its own zone (Asia/Tokyo by default) whatever the browser's zone is. Zones with
 * daylight saving are handled by resolving wall-clock times through the zone's offset.
 */
import { DAY_MS } from './message';

export interface BusinessHours {
  /** Opening, 'HH:MM' (24 h), local to timeZone. */
  start: string;
  /** Closing, 'HH:MM', exclusive. */
  end: string;
  /** Business weekdays, 0 = Sunday … 6 = Saturday. */
  days: number[];
  /** IANA zone, e.g. 'Asia/Tokyo'. */
  timeZone: string;
}

/**
 * The one business calendar every decision reads (callable now, window, badge, popup,
 * notifications): the team's hours plus the dates it does not work, 'YYYY-MM-DD' local to
 * timeZone — public holidays and the company's own closed days, merged by ./calendar.ts.
 */
export interface BusinessCalendar extends BusinessHours {
  closedDates?: readonly string[];
}

export const FALLBACK_TIME_ZONE = 'Asia/Tokyo';


/** Wall-clock parts of an instant in a zone; month 1-12, weekday 0 = Sunday. */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  second: number;
}

// Building a DateTimeFormat is slow next to using one: one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', weekday: 'short',
        year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      // An unknown zone (settings are validated, but a stale value may survive): the team
      // default is a better guess than throwing inside the panel.
      f = formatter(FALLBACK_TIME_ZONE);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Zone offsets in force, by zone and UTC quarter hour. Every zone in use today is offset from UTC
 * by whole quarter hours and changes offset at a whole local quarter hour, so an offset holds for
 * a whole UTC quarter hour: asking Intl once per quarter hour instead of once per question makes
 * the badge's to-do rules (several questions per hot lead) about as cheap as plain arithmetic.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
/** By zone, then by UTC quarter hour (a number key: no string built per question). */
const offsets = new Map<string, Map<number, number>>();
let offsetsKept = 0;

/** The zone's offset from UTC at an instant, in ms (Tokyo: +9 h). */
function offsetAt(ms: number, timeZone: string): number {
  const start = Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  let zone = offsets.get(timeZone);
  let offset = zone?.get(start);
  if (offset === undefined) {
    const p: Record<string, string> = {};
    for (const part of formatter(timeZone).formatToParts(start)) p[part.type] = part.value;
    offset = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - start;
    if (offsetsKept >= 10_000) { // a long-running worker does not grow it forever
      offsets.clear();
      offsetsKept = 0;
      zone = undefined;
    }
    if (!zone) offsets.set(timeZone, (zone = new Map()));
    zone.set(start, offset);
    offsetsKept++;
  }
  return offset;
}

export function zonedParts(ms: number, timeZone: string): ZonedParts {
  const wall = new Date(ms + offsetAt(ms, timeZone));
  return {
    year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), weekday: wall.getUTCDay(),
    hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds(),
  };
}

/** The instant at which the zone's clock shows this date and minute of the day. */
export function zonedTimeToMs(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * 60_000;
  // Two passes settle the offset across a daylight-saving change.
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
}

/** 'HH:MM' → minutes after midnight, or undefined when malformed. */
export function parseClock(hhmm: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes <= 24 * 60 ? minutes : undefined;
}

/** Opening and closing minutes by 'HH:MM' pair: every question about the hours needs them, the regex once. */
const clockPairs = new Map<string, { start: number; end: number }>();

function bounds(hours: BusinessHours): { start: number; end: number } {
  const key = `${hours.start}-${hours.end}`;
  let pair = clockPairs.get(key);
  if (!pair) {
    pair = { start: parseClock(hours.start) ?? 9 * 60, end: parseClock(hours.end) ?? 19 * 60 };
    if (clockPairs.size >= 100) clockPairs.clear();
    clockPairs.set(key, pair);
  }
  return pair;
}

/** Closed dates as a set of day numbers (year·10000 + month·100 + day), per calendar list: no string per question. */
const closedDays = new WeakMap<readonly string[], Set<number>>();

function closedSet(dates: readonly string[]): Set<number> {
  let set = closedDays.get(dates);
  if (!set) {
    set = new Set();
    for (const date of dates) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
      // A date not written YYYY-MM-DD matched nothing before either (its key never equals one).
      if (m) set.add(Number(m[1]) * 10_000 + Number(m[2]) * 100 + Number(m[3]));
    }
    closedDays.set(dates, set);
  }
  return set;
}

/** A working day: a business weekday that is neither a holiday nor a closed day. */
function worksOn(d: { year: number; month: number; day: number; weekday: number }, calendar: BusinessCalendar): boolean {
  if (!calendar.days.includes(d.weekday)) return false;
  const closed = calendar.closedDates;
  return !closed?.length || !closedSet(closed).has(d.year * 10_000 + d.month * 100 + d.day);
}

export function isBusinessOpen(ms: number, hours: BusinessCalendar): boolean {
  const p = zonedParts(ms, hours.timeZone);
  const { start, end } = bounds(hours);
  const minute = p.hour * 60 + p.minute;
  return worksOn(p, hours) && minute >= start && minute < end;
}

/** The local date `offset` days after the date of `p` (calendar arithmetic in UTC). */
function addDays(p: ZonedParts, offset: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day) + offset * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/** Golden Week plus a weekend and a few closed days fit well inside this many days. */
const LOOKAHEAD_DAYS = 60;

/** Next opening strictly after ms; undefined when no working day comes within LOOKAHEAD_DAYS. */
export function nextBusinessOpening(ms: number, hours: BusinessCalendar): number | undefined {
  const p = zonedParts(ms, hours.timeZone);
  const { start } = bounds(hours);
  for (let i = 0; i <= LOOKAHEAD_DAYS; i++) {
    const d = addDays(p, i);
    if (!worksOn(d, hours)) continue;
    const opening = zonedTimeToMs(d.year, d.month, d.day, start, hours.timeZone);
    if (opening > ms) return opening;
  }
  return undefined;
}

/** The next instant strictly after ms at which business hours open or close. */
export function nextBusinessChange(ms: number, hours: BusinessCalendar): number | undefined {
  if (!isBusinessOpen(ms, hours)) return nextBusinessOpening(ms, hours);
  const p = zonedParts(ms, hours.timeZone);
  return zonedTimeToMs(p.year, p.month, p.day, bounds(hours).end, hours.timeZone);
}

/**
 * The instant by which `durationMs` of business time has passed since `fromMs`: a call window
 * opened at Friday 18:30 with two hours runs 30 minutes on Friday and the rest from Monday's
 * opening (it pauses while closed). Undefined when the calendar has no opening ahead.
 */
export function addBusinessTime(fromMs: number, durationMs: number, calendar: BusinessCalendar): number | undefined {
  let at = fromMs;
  let left = Math.max(0, durationMs);
  for (let guard = 0; guard < 400; guard++) {
    if (!isBusinessOpen(at, calendar)) {
      const opening = nextBusinessOpening(at, calendar);
      if (opening === undefined) return undefined;
      at = opening;
    }
    const closing = nextBusinessChange(at, calendar) ?? Infinity;
    if (at + left <= closing) return at + left;
    left -= closing - at;
    at = closing;
  }
  return undefined;
}

/** Business time between two instants (0 when `toMs` is not after `fromMs`). */
export function businessTimeBetween(fromMs: number, toMs: number, calendar: BusinessCalendar): number {
  let at = fromMs;
  let total = 0;
  for (let guard = 0; guard < 400 && at < toMs; guard++) {
    if (!isBusinessOpen(at, calendar)) {
      const opening = nextBusinessOpening(at, calendar);
      if (opening === undefined || opening >= toMs) break;
      at = opening;
    }
    const closing = Math.min(nextBusinessChange(at, calendar) ?? Infinity, toMs);
    total += closing - at;
    at = closing;
  }
  return total;
}
