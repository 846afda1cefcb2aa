// Wall-clock parts of an instant in a zone, checked against Intl's own answer (the oracle) across
// daylight-saving changes, quarter-hour zones and the edges of each quarter hour, since the
// offsets are kept per UTC quarter hour.
import { describe, expect, it } from 'vitest';
import { zonedParts, zonedTimeToMs } from '../../utils/policy/business-hours';

const oracleFormats = new Map<string, Intl.DateTimeFormat>();
function oracle(ms: number, timeZone: string) {
  let format = oracleFormats.get(timeZone);
  if (!format) oracleFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  })));
  const parts = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, part.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday ?? '');
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), weekday, hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

const around = (iso: string) => {
  const at = Date.parse(iso);
  return [-3_600_000, -60_000, -1000, -1, 0, 1, 1000, 59_000, 899_999, 900_000, 3_600_000].map((d) => at + d);
};

describe('zonedParts', () => {
  it.each([
    ['America/New_York', '2026-03-08T07:00:00Z'], // clocks go forward at 02:00
    ['America/New_York', '2026-11-01T06:00:00Z'], // and back at 02:00
    ['Europe/Berlin', '2026-03-29T01:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-05T15:00:00Z'], // a half-hour change
    ['Asia/Kathmandu', '2026-11-24T00:00:00Z'], // +5:45
    ['Asia/Tokyo', '2026-12-31T15:00:00Z'], // New Year in Tokyo
    ['Asia/Tokyo', '1969-12-31T23:59:59Z'], // before the epoch
  ])('%s around %s agrees with Intl to the second', (zone, iso) => {
    for (const ms of around(iso)) expect(zonedParts(ms, zone), `${zone} at ${new Date(ms).toISOString()}`).toEqual(oracle(ms, zone));
  });

  it('agrees with Intl on dates from 1899 to 2101 (leap days, century years)', () => {
    // A step of 2 days 7 h 13 min 17 s walks through the months at shifting times of day.
    const step = 2 * 86_400_000 + 7 * 3_600_000 + 13 * 60_000 + 17_000;
    const mismatches: string[] = [];
    for (let ms = Date.parse('1899-12-25T00:00:00Z'); ms < Date.parse('2101-01-05T00:00:00Z'); ms += step) {
      for (const zone of ['Asia/Tokyo', 'UTC']) {
        const want = oracle(ms, zone);
        const got = zonedParts(ms, zone);
        if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${zone} ${new Date(ms).toISOString()}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it.each([
    ['2000-02-29T12:00:00Z', { year: 2000, month: 2, day: 29, weekday: 2, hour: 21, minute: 0, second: 0 }],
    ['2100-02-28T15:00:00Z', { year: 2100, month: 3, day: 1, weekday: 1, hour: 0, minute: 0, second: 0 }],
    ['2028-02-29T14:59:59Z', { year: 2028, month: 2, day: 29, weekday: 2, hour: 23, minute: 59, second: 59 }],
  ])('Tokyo at %s (worked out by hand)', (at, parts) => {
    expect(zonedParts(Date.parse(at), 'Asia/Tokyo')).toEqual(parts);
  });

  it('finds the instant a wall-clock time names, either side of a change', () => {
    // 09:00 in New York: EST (-5) the day before the change, EDT (-4) the day after.
    expect(new Date(zonedTimeToMs(2026, 3, 7, 9 * 60, 'America/New_York')).toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(new Date(zonedTimeToMs(2026, 3, 9, 9 * 60, 'America/New_York')).toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(new Date(zonedTimeToMs(2026, 11, 24, 9 * 60, 'Asia/Kathmandu')).toISOString()).toBe('2026-11-24T03:15:00.000Z');
  });
});
