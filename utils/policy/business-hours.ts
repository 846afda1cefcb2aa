/**
 * Business hours in a given IANA time zone, with Intl only (no date library): the team
 * works in its own zone (Asia/Tokyo by default) whatever the browser's zone is. Zones with
 * daylight saving are handled by resolving wall-clock times through the zone's offset.
 */
import { DAY_MS } from './message';
import { BoundedMemo } from './memo';

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
const formatters = new BoundedMemo<string, Intl.DateTimeFormat>(100);

function formatter(timeZone: string): Intl.DateTimeFormat {
  return formatters.get(timeZone, () => {
    try {
      return new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', weekday: 'short',
        year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      // An unknown zone (settings are validated, but a stale value may survive): the team
      // default is a better guess than throwing inside the panel.
      return formatter(FALLBACK_TIME_ZONE);
    }
  });
}

/**
 * Zone offsets in force, by zone and UTC quarter hour. Every zone in use today is offset from UTC
 * by whole quarter hours and changes offset at a whole local quarter hour, so an offset holds for
 * a whole UTC quarter hour: asking Intl once per quarter hour instead of once per question makes
 * the badge's to-do rules (several questions per hot lead) about as cheap as plain arithmetic.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
/** By zone, then by UTC quarter hour (a number key: no string built per question). */
const offsets = new BoundedMemo<string, BoundedMemo<number, number>>(20);

/** The zone's offset from UTC at an instant, in ms (Tokyo: +9 h). */
function offsetAt(ms: number, timeZone: string): number {
  const start = Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const zone = offsets.peek(timeZone) ?? offsets.get(timeZone, () => new BoundedMemo(10_000));
  const kept = zone.peek(start);
  if (kept !== undefined) return kept;
  return zone.get(start, () => {
    const p: Record<string, string> = {};
    for (const part of formatter(timeZone).formatToParts(start)) p[part.type] = part.value;
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - start;
  });
}

/**
 * The date of a day number (days since 1970-01-01, proleptic Gregorian), by arithmetic alone: the
 * to-do rules ask for dates several times per lead, and a Date object per question cost more than
 * the rest of the question (H. Hinnant's civil_from_days).
 */
export function civilDate(days: number): { year: number; month: number; day: number; weekday: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  // Day 0 was a Thursday.
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day: doy - Math.floor((153 * mp + 2) / 5) + 1, weekday: (((days + 4) % 7) + 7) % 7 };
}

export function zonedParts(ms: number, timeZone: string): ZonedParts {
  const wall = ms + offsetAt(ms, timeZone);
  const days = Math.floor(wall / DAY_MS);
  const inDay = wall - days * DAY_MS;
  const { year, month, day, weekday } = civilDate(days);
  return { year, month, day, weekday, hour: Math.floor(inDay / 3_600_000), minute: Math.floor(inDay / 60_000) % 60, second: Math.floor(inDay / 1000) % 60 };
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

/** What every question about a calendar needs parsed: opening and closing minutes, closed days as day keys (year·10000 + month·100 + day). */
interface CalendarFacts {
  startText: string;
  endText: string;
  /** The closed dates these facts were parsed from (a copy: the caller's array may change). */
  dates: readonly string[];
  start: number;
  end: number;
  closed: ReadonlySet<number>;
}

/** By calendar object (one lookup per question), checked against its current content before use. */
const factsOf = new WeakMap<BusinessHours, CalendarFacts>();
/** By content: calendars built anew with the same hours and dates share one parse. */
const factsByContent = new BoundedMemo<string, CalendarFacts>(100);

const sameDates = (kept: readonly string[], now: readonly string[] | undefined): boolean => {
  const dates = now ?? [];
  if (kept.length !== dates.length) return false;
  for (let i = 0; i < dates.length; i++) if (kept[i] !== dates[i]) return false;
  return true;
};

function facts(calendar: BusinessCalendar): CalendarFacts {
  const kept = factsOf.get(calendar);
  if (kept && kept.startText === calendar.start && kept.endText === calendar.end && sameDates(kept.dates, calendar.closedDates)) return kept;
  const dates = [...(calendar.closedDates ?? [])];
  // JSON keeps malformed texts apart ('09:00|10:00' + '18:00' is not '09:00' + '10:00|18:00').
  const parsed = factsByContent.get(JSON.stringify([calendar.start, calendar.end, dates]), () => {
    const closed = new Set<number>();
    for (const date of dates) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
      // A date not written YYYY-MM-DD matched nothing before either (its key never equals one).
      if (m) closed.add(Number(m[1]) * 10_000 + Number(m[2]) * 100 + Number(m[3]));
    }
    return { startText: calendar.start, endText: calendar.end, dates, start: parseClock(calendar.start) ?? 9 * 60, end: parseClock(calendar.end) ?? 19 * 60, closed };
  });
  factsOf.set(calendar, parsed);
  return parsed;
}

/** A working day: a business weekday that is neither a holiday nor a closed day. */
function worksOn(d: { year: number; month: number; day: number; weekday: number }, calendar: BusinessCalendar, closed: ReadonlySet<number>): boolean {
  return calendar.days.includes(d.weekday) && !closed.has(d.year * 10_000 + d.month * 100 + d.day);
}

export function isBusinessOpen(ms: number, hours: BusinessCalendar): boolean {
  const p = zonedParts(ms, hours.timeZone);
  const { start, end, closed } = facts(hours);
  const minute = p.hour * 60 + p.minute;
  return minute >= start && minute < end && worksOn(p, hours, closed);
}

/** The local date `offset` days after the date of `p` (calendar arithmetic in UTC). */
function addDays(p: ZonedParts, offset: number): { year: number; month: number; day: number; weekday: number } {
  return civilDate(Date.UTC(p.year, p.month - 1, p.day) / DAY_MS + offset);
}

/** Golden Week plus a weekend and a few closed days fit well inside this many days. */
const LOOKAHEAD_DAYS = 60;

/** Next opening strictly after ms; undefined when no working day comes within LOOKAHEAD_DAYS. */
export function nextBusinessOpening(ms: number, hours: BusinessCalendar): number | undefined {
  const p = zonedParts(ms, hours.timeZone);
  const { start, closed } = facts(hours);
  for (let i = 0; i <= LOOKAHEAD_DAYS; i++) {
    const d = addDays(p, i);
    if (!worksOn(d, hours, closed)) continue;
    const opening = zonedTimeToMs(d.year, d.month, d.day, start, hours.timeZone);
    if (opening > ms) return opening;
  }
  return undefined;
}

/** The next instant strictly after ms at which business hours open or close. */
export function nextBusinessChange(ms: number, hours: BusinessCalendar): number | undefined {
  if (!isBusinessOpen(ms, hours)) return nextBusinessOpening(ms, hours);
  const p = zonedParts(ms, hours.timeZone);
  return zonedTimeToMs(p.year, p.month, p.day, facts(hours).end, hours.timeZone);
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
