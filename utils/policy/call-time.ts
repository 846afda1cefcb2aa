/**
 * When a logged call happened. A call the rep dialled from the panel happened when they
 * clicked the number, not when they got round to saving the log after hanging up; the dial time
 * counts unless it is in the future (a skewed clock) or too old to be this call.
 */

/** A dial older than this is not the call being logged: the rep dialled, then came back much later. */
export const MAX_DIAL_AGE_MS = 4 * 60 * 60_000;

export function callTime(startedAt: string | undefined, now: number): string {
  const at = startedAt === undefined ? Number.NaN : Date.parse(startedAt);
  if (Number.isNaN(at) || at > now || now - at > MAX_DIAL_AGE_MS) return new Date(now).toISOString();
  return new Date(at).toISOString();
}
