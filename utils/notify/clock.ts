/**
 * Wall-clock readings in the rep's time zone, with Intl only: quiet hours, working days and the
 * times named in a notification are the rep's local ones, whatever zone the machine is in.
 */
import { zonedParts } from '../policy/business-hours';
export interface LocalClock {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
  /** "HH:MM". */
  hhmm: string;
  /** "M/D", enough to tell another day apart in a notification. */
  monthDay: string;
  /** "YYYY-MM-DD", to compare calendar days. */
  date: string;
}

export function localClock(ms: number, timeZone: string): LocalClock {
  // One reading of the zone's wall clock for the whole product (utils/policy/business-hours.ts).
  const p = zonedParts(ms, timeZone);
  const hour = p.hour % 24;
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    weekday: p.weekday,
    minute: hour * 60 + p.minute,
    hhmm: `${pad(hour)}:${pad(p.minute)}`,
    monthDay: `${p.month}/${p.day}`,
    date: `${p.year}-${pad(p.month)}-${pad(p.day)}`,
  };
}

/** "HH:MM" → minutes since midnight (the format is validated by the preferences schema). */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Inside [start, end) of the day, wrapping midnight when end < start; start === end is empty. */
export function isWithin(minute: number, start: string, end: string): boolean {
  const s = clockMinutes(start);
  const e = clockMinutes(end);
  if (s === e) return false;
  return s < e ? minute >= s && minute < e : minute >= s || minute < e;
}
