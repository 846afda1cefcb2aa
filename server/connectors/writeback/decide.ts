/**
 * What the outbox does after one attempt: done, try again at a time, or give up. Pure and
 * table-tested (tests/unit/writeback-decide.test.ts). A 429 or 5xx, a network error or a timeout
 * is tried again with exponential backoff and jitter (so a hundred rows queued during an outage
 * do not all return in the same second), never sooner than the target's Retry-After; any other
 * 4xx is the request's fault and will not get better by asking again, unless the target says it
 * is transient (Salesforce's daily API limit comes as a 403).
 */
import { isRetryable, retryAfterMs } from '../retry';
import type { SendOutcome } from './types';

export const OUTBOX_MAX_ATTEMPTS = 8;
export const OUTBOX_BASE_MS = 30_000;
export const OUTBOX_CAP_MS = 60 * 60_000;

export type Next = { status: 'sent' } | { status: 'pending'; at: number } | { status: 'failed' };

/**
 * `attempts` counts this one (1 after the first try); `random` is in [0, 1). The delay is drawn
 * from the upper half of the backoff step, [step/2, step), and is at least the Retry-After.
 */
export function nextStep(outcome: SendOutcome, attempts: number, now: number, random: number): Next {
  if (outcome.ok) return { status: 'sent' };
  const status = outcome.status === 'timeout' ? 'network' : outcome.status;
  if (outcome.permanent || (!isRetryable(status) && !outcome.transient) || attempts >= OUTBOX_MAX_ATTEMPTS) return { status: 'failed' };
  const step = Math.min(OUTBOX_BASE_MS * 2 ** (attempts - 1), OUTBOX_CAP_MS);
  const backoff = Math.floor(step / 2 + (step / 2) * random);
  const asked = retryAfterMs(outcome.retryAfter, now);
  return { status: 'pending', at: now + Math.max(backoff, Math.min(asked ?? 0, OUTBOX_CAP_MS)) };
}
