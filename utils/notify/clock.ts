/**
 * Wall-clock readings in the rep's time zone, with Intl only: quiet hours, working days and the
 * times named in a notification are the rep's local ones, whatever zone the machine is in.
 */
const FALLBACK_TIME_ZONE = 'Asia/Tokyo';
const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

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

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit',
      });
    } catch {
      // Preferences are validated, but a deciding function must not throw on a stale value.
      f = formatter(FALLBACK_TIME_ZONE);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

export function localClock(ms: number, timeZone: string): LocalClock {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) p[part.type] = part.value;
  const hour = Number(p.hour) % 24;
  const minute = Number(p.minute);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    weekday: WEEKDAYS[p.weekday ?? ''] ?? 0,
    minute: hour * 60 + minute,
    hhmm: `${pad(hour)}:${pad(minute)}`,
    monthDay: `${Number(p.month)}/${Number(p.day)}`,
    date: `${p.year}-${pad(Number(p.month))}-${pad(Number(p.day))}`,
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
