/**
 * X-HubSpot-Signature-v3: base64(HMAC-SHA256(appSecret, method + uri + body + timestamp)), the
 * timestamp being X-HubSpot-Request-Timestamp in epoch ms; requests older than 5 minutes are
 * rejected (replay). HubSpot signs the URI with a few characters decoded, so we decode the same.
 * https://developers.hubspot.com/docs/api/webhooks/validating-requests
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../http';

export const MAX_AGE_MS = 5 * 60 * 1000;

/** The escapes HubSpot's documentation lists as decoded before signing. */
const DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'",
  '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function normaliseUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}

export function signV3(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret)
    .update(`${method}${normaliseUri(uri)}${body}${timestamp}`, 'utf8')
    .digest('base64');
}

export type Verdict = { ok: true } | { ok: false; code: 'missing_signature' | 'stale_timestamp' | 'bad_signature'; message: string };

export function verifyV3(input: {
  secret: string; method: string; uri: string; body: string;
  signature: string | undefined; timestamp: string | undefined; now: number;
}): Verdict {
  if (!input.signature || !input.timestamp) {
    return { ok: false, code: 'missing_signature', message: 'X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp are required' };
  }
  const ts = Number(input.timestamp);
  // Future timestamps beyond the same window are as suspicious as old ones.
  if (!Number.isFinite(ts) || Math.abs(input.now - ts) > MAX_AGE_MS) {
    return { ok: false, code: 'stale_timestamp', message: 'request timestamp is more than 5 minutes from now' };
  }
  const expected = signV3(input.secret, input.method, input.uri, input.body, input.timestamp);
  return safeEqual(expected, input.signature)
    ? { ok: true }
    : { ok: false, code: 'bad_signature', message: 'X-HubSpot-Signature-v3 does not match' };
}
