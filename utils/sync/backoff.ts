/** Exponential backoff with jitter, capped; Retry-After wins when the server gives one. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, capMs: 15 * 60_000 };

/** Delay before attempt number `failures + 1`; jitter keeps a team's browsers from retrying in step. */
export function backoffDelay(failures: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exponential * (0.5 + random() * 0.5));
}
