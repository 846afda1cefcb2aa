/**
 * Marketo REST calls with an OAuth client-credentials token that is renewed before it expires
 * (a minute early: a token that dies between our check and Marketo's would cost a failed call),
 * and again when Marketo says 601/602 anyway. Marketo reports most errors in a 200 body:
 * 606 (100 calls / 20 s), 615 (10 concurrent) and 604/608/611 are retried with backoff.
 * https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/authentication
 * https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/error-codes
 */
import { z } from 'zod';
import { fetchWithRetry, retryDelay, SourceHttpError, type FetchLike } from '../retry';
import type { Clock } from '../types';
import { Envelope, TokenResponse } from './schema';

export const EXPIRY_MARGIN_MS = 60_000;
const TOKEN_ERRORS = new Set(['601', '602']);
const RETRY_ERRORS = new Set(['604', '606', '608', '611', '615']);

/** Whether a token obtained at `obtainedAt` with `expiresIn` seconds still serves a call now. */
export function tokenFresh(obtainedAt: number, expiresInSeconds: number, now: number): boolean {
  return now < obtainedAt + expiresInSeconds * 1000 - EXPIRY_MARGIN_MS;
}

export class MarketoError extends Error {
  constructor(readonly code: string, message: string) { super(`Marketo ${code}: ${message}`); }
}

export type ClientDeps = { fetch: FetchLike; clock: Clock; sleep: (ms: number) => Promise<void> };

export class MarketoClient {
  private token: { value: string; obtainedAt: number; expiresIn: number } | undefined;
  tokensIssued = 0;

  constructor(private readonly base: string, private readonly clientId: string, private readonly clientSecret: string, private readonly deps: ClientDeps) {}

  private async accessToken(): Promise<string> {
    const now = this.deps.clock.now();
    if (this.token && tokenFresh(this.token.obtainedAt, this.token.expiresIn, now)) return this.token.value;
    const url = `${this.base}/identity/oauth/token?grant_type=client_credentials&client_id=${encodeURIComponent(this.clientId)}&client_secret=${encodeURIComponent(this.clientSecret)}`;
    const res = await fetchWithRetry(this.deps.fetch, url, {}, { sleep: this.deps.sleep, now: () => this.deps.clock.now() });
    const t = TokenResponse.parse(await res.json());
    this.token = { value: t.access_token, obtainedAt: now, expiresIn: t.expires_in };
    this.tokensIssued += 1;
    return t.access_token;
  }

  /** GET a REST path; answers the parsed envelope of a successful call. */
  async get(path: string): Promise<z.infer<typeof Envelope>> {
    let renewals = 0;
    let waits = 0;
    for (;;) {
      const token = await this.accessToken();
      const url = `${this.base}${path}`;
      const res = await fetchWithRetry(this.deps.fetch, url, { headers: { Authorization: `Bearer ${token}` } }, { sleep: this.deps.sleep, now: () => this.deps.clock.now() });
      const body = Envelope.parse(await res.json());
      if (body.success) return body;
      const err = body.errors?.[0] ?? { code: '?', message: 'success: false' };
      // Renewing twice in a row and still refused means the credentials, not the token.
      if (TOKEN_ERRORS.has(err.code) && renewals < 2) { renewals += 1; this.token = undefined; continue; }
      const delay = RETRY_ERRORS.has(err.code) ? retryDelay(++waits, 503, null, this.deps.clock.now()) : undefined;
      if (delay === undefined) throw new MarketoError(err.code, err.message ?? '');
      await this.deps.sleep(delay);
    }
  }
}

export { SourceHttpError };
