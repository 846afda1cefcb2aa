/**
 * When to call: the call window opens when a need is detected and lasts `windowMinutes`
 * (calls inside two hours of the need signal convert several times better). Pure: the clock is
 * passed in; the panel's single minute ticker re-renders, nextBoundary() says when the state
 * itself flips (for a timer or an alarm).
 */
import { addBusinessTime, businessTimeBetween, isBusinessOpen, nextBusinessChange, nextBusinessOpening, type BusinessCalendar } from './business-hours';
import { toMs } from './message';

/** The two hours after the need signal. */
export const DEFAULT_CALL_WINDOW_MINUTES = 120;

export type CallWindowState =
  | { state: 'none' }
  | { state: 'open'; detectedAt: string; detectedAgoMs: number; remainingMs: number; endsAt: string }
  /** Outside business hours: the clock stands still until `resumesAt` (ISO), `remainingMs` is left then. */
  | { state: 'paused'; detectedAt: string; detectedAgoMs: number; remainingMs: number; endsAt: string; resumesAt: string }
  | { state: 'missed'; detectedAt: string; detectedAgoMs: number; missedByMs: number; endedAt: string };

/**
 * Where the window starts and ends. With a business calendar the window counts business time
 * only: a need at Friday 18:30 with a two-hour window keeps 30 minutes on Friday and the rest
 * from Monday's opening, so it never runs out over a weekend or a holiday. Without one (tests,
 * a caller that has no policy) it is plain wall-clock time.
 */
export function windowBounds(needDetectedAt: string | undefined, windowMinutes: number, calendar?: BusinessCalendar): { start: number; end: number } | undefined {
  if (needDetectedAt === undefined) return undefined;
  const start = Date.parse(needDetectedAt);
  if (Number.isNaN(start)) return undefined;
  const duration = (Number.isFinite(windowMinutes) ? Math.max(0, windowMinutes) : 0) * 60_000;
  if (!calendar) return { start, end: start + duration };
  const end = addBusinessTime(start, duration, calendar);
  return { start, end: end ?? start + duration };
}

/** The window at `now`. A need dated in the future (clock skew) counts as detected just now. */
export function callWindow(needDetectedAt: string | undefined, windowMinutes: number, now: Date | number, calendar?: BusinessCalendar): CallWindowState {
  const b = windowBounds(needDetectedAt, windowMinutes, calendar);
  if (!b || needDetectedAt === undefined) return { state: 'none' };
  const nowMs = toMs(now);
  const detectedAgoMs = Math.max(0, nowMs - b.start);
  const edge = new Date(b.end).toISOString();
  if (nowMs >= b.end) return { state: 'missed', detectedAt: needDetectedAt, detectedAgoMs, missedByMs: nowMs - b.end, endedAt: edge };
  if (!calendar) return { state: 'open', detectedAt: needDetectedAt, detectedAgoMs, remainingMs: b.end - nowMs, endsAt: edge };
  const remainingMs = businessTimeBetween(nowMs, b.end, calendar);
  const resumes = isBusinessOpen(nowMs, calendar) ? undefined : nextBusinessOpening(nowMs, calendar);
  return resumes === undefined
    ? { state: 'open', detectedAt: needDetectedAt, detectedAgoMs, remainingMs, endsAt: edge }
    : { state: 'paused', detectedAt: needDetectedAt, detectedAgoMs, remainingMs, endsAt: edge, resumesAt: new Date(resumes).toISOString() };
}

/** The next instant after `now` at which callWindow() changes state (open ⇄ paused → missed), if any. */
export function nextBoundary(needDetectedAt: string | undefined, windowMinutes: number, now: Date | number, calendar?: BusinessCalendar): number | undefined {
  const b = windowBounds(needDetectedAt, windowMinutes, calendar);
  const nowMs = toMs(now);
  if (!b || nowMs >= b.end) return undefined;
  return Math.min(b.end, (calendar && nextBusinessChange(nowMs, calendar)) ?? Infinity);
}

/**
 * "1 h 23 min" / "1時間23分", "37 min" / "37分"; days beyond 24 h ("3 days" / "3日").
 * Rounded down to the minute, like a countdown; under a minute reads "< 1 min" / "1分未満".
 * Japanese for ja*, English otherwise (the two catalogues we ship).
 */
export function formatDuration(ms: number, locale: string): string {
  const ja = locale.toLowerCase().startsWith('ja');
  const total = Math.floor(Math.abs(ms) / 60_000);
  if (total < 1) return ja ? '1分未満' : '< 1 min';
  const days = Math.floor(total / (24 * 60));
  const hours = Math.floor((total % (24 * 60)) / 60);
  const minutes = total % 60;
  if (days >= 2) return ja ? `${days}日` : `${days} days`;
  if (days === 1) return ja ? `1日${hours ? `${hours}時間` : ''}` : `1 day${hours ? ` ${hours} h` : ''}`;
  if (hours > 0) return ja ? `${hours}時間${minutes ? `${minutes}分` : ''}` : `${hours} h${minutes ? ` ${minutes} min` : ''}`;
  return ja ? `${minutes}分` : `${minutes} min`;
}

