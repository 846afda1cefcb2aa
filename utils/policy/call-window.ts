/**
 * When to call: the call window opens when a need is detected and lasts `windowMinutes`
 * (calls inside two hours of the need signal convert several times better). Pure: the clock is
 * passed in; the panel's single minute ticker re-renders, nextBoundary() says when the state
 * itself flips (for a timer or an alarm).
 */
import { toMs } from './message';

/** The two hours after the need signal. */
export const DEFAULT_CALL_WINDOW_MINUTES = 120;

export type CallWindowState =
  | { state: 'none' }
  | { state: 'open'; detectedAt: string; detectedAgoMs: number; remainingMs: number; endsAt: string }
  | { state: 'missed'; detectedAt: string; detectedAgoMs: number; missedByMs: number; endedAt: string };

function bounds(needDetectedAt: string | undefined, windowMinutes: number): { start: number; end: number } | undefined {
  if (needDetectedAt === undefined) return undefined;
  const start = Date.parse(needDetectedAt);
  if (Number.isNaN(start)) return undefined;
  const minutes = Number.isFinite(windowMinutes) ? Math.max(0, windowMinutes) : 0;
  return { start, end: start + minutes * 60_000 };
}

/** The window at `now`. A need dated in the future (clock skew) counts as detected just now. */
export function callWindow(needDetectedAt: string | undefined, windowMinutes: number, now: Date | number): CallWindowState {
  const b = bounds(needDetectedAt, windowMinutes);
  if (!b || needDetectedAt === undefined) return { state: 'none' };
  const nowMs = toMs(now);
  const detectedAgoMs = Math.max(0, nowMs - b.start);
  const edge = new Date(b.end).toISOString();
  return nowMs < b.end
    ? { state: 'open', detectedAt: needDetectedAt, detectedAgoMs, remainingMs: b.end - nowMs, endsAt: edge }
    : { state: 'missed', detectedAt: needDetectedAt, detectedAgoMs, missedByMs: nowMs - b.end, endedAt: edge };
}

/** The next instant after `now` at which callWindow() changes state (open → missed), if any. */
export function nextBoundary(needDetectedAt: string | undefined, windowMinutes: number, now: Date | number): number | undefined {
  const b = bounds(needDetectedAt, windowMinutes);
  return b && toMs(now) < b.end ? b.end : undefined;
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

