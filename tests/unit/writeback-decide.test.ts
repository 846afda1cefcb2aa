// @vitest-environment node
// The outbox's next step after one attempt (server/connectors/writeback/decide.ts), worked out by hand.
import { describe, expect, it } from 'vitest';
import { nextStep, type Next } from '../../server/connectors/writeback/decide';
import type { SendOutcome } from '../../server/connectors/writeback/types';

const NOW = Date.parse('2026-11-25T02:00:00Z');
const fail = (status: number | 'network' | 'timeout', extra: Partial<Extract<SendOutcome, { ok: false }>> = {}): SendOutcome => ({ ok: false, status, answer: 'x', ...extra });

const rows: [name: string, outcome: SendOutcome, attempts: number, random: number, expected: Next][] = [
  ['2xx is sent', { ok: true, status: 201, answer: '{}' }, 1, 0.5, { status: 'sent' }],
  ['400 fails at once', fail(400), 1, 0.5, { status: 'failed' }],
  ['401 fails at once', fail(401), 1, 0.5, { status: 'failed' }],
  ['404 fails at once', fail(404), 3, 0.5, { status: 'failed' }],
  ['a permanent 5xx (kintone code) fails', fail(520, { permanent: true }), 1, 0.5, { status: 'failed' }],
  ['a transient 403 (daily API limit) retries after its Retry-After', fail(403, { transient: true, retryAfter: '3600' }), 1, 0.5, { status: 'pending', at: NOW + 3_600_000 }],
  // step 30 s: delay in [15 s, 30 s); random 0 → 15 s, 0.5 → 22.5 s
  ['500, first attempt, random 0', fail(500), 1, 0, { status: 'pending', at: NOW + 15_000 }],
  ['503, first attempt, random 0.5', fail(503), 1, 0.5, { status: 'pending', at: NOW + 22_500 }],
  // step 30 s × 2^3 = 240 s: [120 s, 240 s); random 0.25 → 150 s
  ['network error, fourth attempt', fail('network'), 4, 0.25, { status: 'pending', at: NOW + 150_000 }],
  ['timeout, second attempt, random 0', fail('timeout'), 2, 0, { status: 'pending', at: NOW + 30_000 }],
  ['429 with Retry-After 120 s beats a 15 s backoff', fail(429, { retryAfter: '120' }), 1, 0, { status: 'pending', at: NOW + 120_000 }],
  ['429 with Retry-After 1 s: the backoff is longer and wins', fail(429, { retryAfter: '1' }), 1, 0, { status: 'pending', at: NOW + 15_000 }],
  ['429 with Retry-After as an HTTP date', fail(429, { retryAfter: new Date(NOW + 90_000).toUTCString() }), 1, 0, { status: 'pending', at: NOW + 90_000 }],
  ['Retry-After beyond an hour is capped at an hour', fail(429, { retryAfter: '86400' }), 1, 0, { status: 'pending', at: NOW + 3_600_000 }],
  // step capped at 1 h from attempt 8 on (30 s × 2^7 = 64 min), but attempt 8 is the last
  ['seventh attempt: step 32 min, random 0 → 16 min', fail(500), 7, 0, { status: 'pending', at: NOW + 960_000 }],
  ['eighth attempt gives up', fail(500), 8, 0, { status: 'failed' }],
];

describe('outbox next step', () => {
  it.each(rows)('%s', (_name, outcome, attempts, random, expected) => {
    expect(nextStep(outcome, attempts, NOW, random)).toEqual(expected);
  });
});
