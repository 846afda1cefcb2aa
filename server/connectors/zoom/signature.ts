/**
 * x-zm-signature = "v0=" + hex(HMAC-SHA256(secretToken, "v0:" + x-zm-request-timestamp + ":" +
 * raw body)); the timestamp is in seconds. The URL validation answer is
 * hex(HMAC-SHA256(secretToken, plainToken)). https://developers.zoom.us/docs/api/webhooks/
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../http';

export const MAX_AGE_MS = 5 * 60 * 1000;

export function zoomSignature(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`, 'utf8').digest('hex')}`;
}

export function encryptedToken(secret: string, plainToken: string): string {
  return createHmac('sha256', secret).update(plainToken, 'utf8').digest('hex');
}

export type Verdict = { ok: true } | { ok: false; code: 'missing_signature' | 'stale_timestamp' | 'bad_signature'; message: string };

export function verifyZoom(input: {
  secret: string; body: string; signature: string | undefined; timestamp: string | undefined; now: number;
}): Verdict {
  if (!input.signature || !input.timestamp) {
    return { ok: false, code: 'missing_signature', message: 'x-zm-signature and x-zm-request-timestamp are required' };
  }
  const ts = Number(input.timestamp) * 1000;
  if (!Number.isFinite(ts) || Math.abs(input.now - ts) > MAX_AGE_MS) {
    return { ok: false, code: 'stale_timestamp', message: 'request timestamp is more than 5 minutes from now' };
  }
  return safeEqual(zoomSignature(input.secret, input.timestamp, input.body), input.signature)
    ? { ok: true }
    : { ok: false, code: 'bad_signature', message: 'x-zm-signature does not match' };
}
