/**
 * The rep's to-do list of hot leads, as the badge and the popup's "Hot now" count it: a hot lead
 * of mine, not blocked, that nobody has reached since its need (./outcomes.ts). "No answer"
 * keeps a lead on the list with its next try; "Connected" takes it off. Outside business hours
 * nothing is callable now: the list becomes the queue for the next opening ("first thing
 * Monday 09:00") and the badge shows 0. Pure: the clock, the calendar and the calls come in.
 */
import type { LeadSummary } from '../api/contract';
import { isBusinessOpen, nextBusinessChange, nextBusinessOpening, type BusinessCalendar } from './business-hours';
import { callWindow, type CallWindowState } from './call-window';
import { needProgress, type CallRecord, type NeedProgress } from './outcomes';

export interface TodoInput {
  lead: LeadSummary;
  /** Calls since the need, from the cached timeline and the outbox. */
  calls: readonly CallRecord[];
}

export interface TodoRow {
  lead: LeadSummary;
  window: CallWindowState;
  progress: NeedProgress;
}

export interface TodoPolicy {
  callWindowMinutes: number;
  retryMinutes: number;
}

/** Under this much business time left, a lead is urgent (red badge). */
export const URGENT_MS = 30 * 60_000;

const rank = (row: TodoRow, now: number): number => {
  const w = row.window;
  if (row.progress.state === 'retry' && row.progress.nextTryAt > now) return 2;
  return w.state === 'open' ? 0 : w.state === 'paused' ? 1 : w.state === 'missed' ? 3 : 4;
};

const left = (w: CallWindowState): number => (w.state === 'open' || w.state === 'paused' ? w.remainingMs : Infinity);

/** The leads still to call, most pressing first: open windows by time left, then paused ones, retries not yet due, missed windows, no window; each by score. */
export function todoRows(inputs: readonly TodoInput[], policy: TodoPolicy, calendar: BusinessCalendar | undefined, now: number): TodoRow[] {
  return inputs
    .map(({ lead, calls }) => ({
      lead,
      window: callWindow(lead.needDetectedAt, policy.callWindowMinutes, now, calendar),
      progress: needProgress(lead.needDetectedAt, calls, policy.retryMinutes, now),
    }))
    .filter((row) => row.progress.state !== 'reached')
    .sort((a, b) =>
      rank(a, now) - rank(b, now)
      || left(a.window) - left(b.window)
      || b.lead.score - a.lead.score
      || a.lead.name.localeCompare(b.lead.name));
}

export interface TodoCounts {
  /** Callable now: 0 outside business hours. */
  count: number;
  /** Of those, under URGENT_MS left in the window. */
  urgent: number;
  /** Waiting for the next opening (outside business hours). */
  queued: number;
  /** The next opening (ms), when closed. */
  opensAt?: number;
}

export function todoCounts(rows: readonly TodoRow[], calendar: BusinessCalendar | undefined, now: number): TodoCounts {
  if (calendar && !isBusinessOpen(now, calendar)) {
    const opensAt = nextBusinessOpening(now, calendar);
    return { count: 0, urgent: 0, queued: rows.length, ...(opensAt !== undefined ? { opensAt } : {}) };
  }
  const urgent = rows.filter((r) => r.window.state === 'open' && r.window.remainingMs <= URGENT_MS).length;
  return { count: rows.length, urgent, queued: 0 };
}

/** The next instant at which time alone changes the counts: opening/closing, a window turning urgent or ending, a retry falling due. */
export function nextTodoChange(rows: readonly TodoRow[], _policy: TodoPolicy, calendar: BusinessCalendar | undefined, now: number): number | undefined {
  let next = (calendar && nextBusinessChange(now, calendar)) ?? Infinity;
  for (const row of rows) next = Math.min(next, nextRowChange(row, now));
  return next === Infinity ? undefined : next;
}

/**
 * The next instant at which time alone changes this row's part of the counts: its window ends
 * or turns urgent, its retry falls due (Infinity: never). The team's opening or closing is not
 * in it: nextTodoChange adds that once for the whole list. Read from the row as decided, so the
 * window is not worked out a second time (its end is `endsAt`, after `now` while open or paused).
 */
export function nextRowChange(row: TodoRow, now: number): number {
  const w = row.window;
  let next = w.state === 'open' || w.state === 'paused' ? Date.parse(w.endsAt) : Infinity;
  if (w.state === 'open' && w.remainingMs > URGENT_MS) next = Math.min(next, now + w.remainingMs - URGENT_MS);
  if (row.progress.state === 'retry' && row.progress.nextTryAt > now) next = Math.min(next, row.progress.nextTryAt);
  return next;
}
