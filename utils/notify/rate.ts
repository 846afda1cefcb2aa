/**
 * "My 2-hour rate": of my leads that became hot this week, how many I called inside their call
 * window. Calls within two hours of the need convert several times better, and teams only
 * make them in time once an instant alert and this number are in front of them. Pure: the clock, the
 * leads and the calls come in.
 *
 * - A need counts once per (leadId, needDetectedAt) detected in [week start, now]; a lead hot
 *   twice in a week is two chances.
 * - Called = a call logged in [needDetectedAt, window end], both ends included; the window is
 *   the panel's own (utils/policy/call-window): with the team's calendar it counts business time,
 *   so a need on Friday evening called on Monday morning can still count as in time.
 * - A need whose window is still open and not yet called is `pending`: not a miss yet, so it is
 *   left out of `total` until the window closes.
 * - The week starts at local midnight of `weekStartsOn` (1 = Monday) in `timeZone`.
 */
import type { BusinessCalendar } from '../policy/business-hours';
import { windowBounds } from '../policy/call-window';
import { localClock } from './clock';
import { text, type LocalText } from './text';

export interface TwoHourRateInput {
  /** Leads that became hot (mine); older ones are ignored. */
  hotLeads: readonly { leadId: string; needDetectedAt: string }[];
  /** Calls logged in LeadLens. */
  calls: readonly { leadId: string; at: string }[];
  windowMinutes: number;
  now: Date;
  /** 0 = Sunday … 6 = Saturday. */
  weekStartsOn: number;
  /** Default Asia/Tokyo. */
  timeZone?: string;
  /** The team's calendar: the window counts business time, as on the panel. Absent: wall clock. */
  calendar?: BusinessCalendar;
}

export interface TwoHourRate {
  called: number;
  total: number;
  /** Rounded; null when there is nothing to count yet (0 of 0 is neither 0 % nor 100 %). */
  percent: number | null;
  /** Windows still open, not called yet. */
  pending: number;
  /** ISO instant the week started. */
  weekStart: string;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Local midnight of the week's first day, as an instant. */
export function weekStart(now: Date, weekStartsOn: number, timeZone: string): number {
  const nowMinute = now.getTime() - (((now.getTime() % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
  const local = localClock(nowMinute, timeZone);
  const daysBack = (((local.weekday - weekStartsOn) % 7) + 7) % 7;
  let start = nowMinute - local.minute * MINUTE_MS - daysBack * DAY_MS;
  // A daylight-saving change inside the week shifts local midnight by the zone's jump: settle it.
  const drift = localClock(start, timeZone).minute;
  if (drift !== 0) start += drift > 12 * 60 ? (24 * 60 - drift) * MINUTE_MS : -drift * MINUTE_MS;
  return start;
}

const toMs = (iso: string): number | undefined => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
};

export function twoHourRate(input: TwoHourRateInput): TwoHourRate {
  const now = input.now.getTime();
  const start = weekStart(input.now, input.weekStartsOn, input.timeZone ?? 'Asia/Tokyo');

  const callsByLead = new Map<string, number[]>();
  for (const call of input.calls) {
    const at = toMs(call.at);
    if (at === undefined) continue;
    const list = callsByLead.get(call.leadId) ?? [];
    list.push(at);
    callsByLead.set(call.leadId, list);
  }

  let called = 0;
  let total = 0;
  let pending = 0;
  const counted = new Set<string>();
  for (const hot of input.hotLeads) {
    const needAt = toMs(hot.needDetectedAt);
    if (needAt === undefined || needAt < start || needAt > now) continue;
    const key = `${hot.leadId}@${needAt}`;
    if (counted.has(key)) continue;
    counted.add(key);
    const end = windowBounds(hot.needDetectedAt, input.windowMinutes, input.calendar)?.end ?? needAt;
    if ((callsByLead.get(hot.leadId) ?? []).some((at) => at >= needAt && at <= end)) {
      called++;
      total++;
    } else if (now < end) {
      pending++;
    } else {
      total++;
    }
  }
  return { called, total, percent: total === 0 ? null : Math.round((called / total) * 100), pending, weekStart: new Date(start).toISOString() };
}

/** "12 of 14 called within 2 h — 86 %", or "no hot leads to count this week yet". */
export function twoHourRateText(rate: TwoHourRate, windowMinutes: number): LocalText {
  if (rate.percent === null) return text('rateNone');
  const window = windowMinutes % 60 === 0 ? text('rateHours', String(windowMinutes / 60)) : text('rateMinutes', String(windowMinutes));
  return text('rateCalledWithin', String(rate.called), String(rate.total), window, String(rate.percent));
}
