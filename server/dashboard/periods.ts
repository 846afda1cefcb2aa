/** Day and week buckets in the team's zone (weeks start on Monday, as Japanese teams count them). */
import { zonedParts } from '../../utils/policy/business-hours';
import { DAY_MS } from '../../utils/policy/message';
import { localDate } from './calendar';

export type Granularity = 'day' | 'week';

/** The bucket label of an instant: its local date, or the local date of its week's Monday. */
export function periodOf(ms: number, granularity: Granularity, timeZone: string): string {
  const p = zonedParts(ms, timeZone);
  if (granularity === 'day') return localDate(p.year, p.month, p.day);
  const back = (p.weekday + 6) % 7;
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day) - back * DAY_MS);
  return localDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Median of a list (mean of the middle two when even); undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
