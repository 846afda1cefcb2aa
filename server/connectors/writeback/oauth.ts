/**
 * Access tokens for the targets: a fixed token the admin configured, or one obtained from the
 * vendor's OAuth token endpoint (client credentials for Salesforce and Microsoft Entra ID, a
 * refresh token for Zoho) and kept until a minute before it expires, or until the target
 * answers 401 (then renewed once).
 */
import { z } from 'zod';
import type { FetchLike } from '../retry';
import { secret } from './secret';

export const OAuthConfig = z.object({
  tokenUrl: z.url(),
  clientId: z.string().min(1),
  clientSecret: secret(),
  /** Microsoft Entra ID: https://<org>.crm.dynamics.com/.default */
  scope: z.string().optional(),
  /** Zoho: the refresh token of the admin's self client (grant_type=refresh_token). */
  refreshToken: secret().optional(),
});
export type OAuthConfig = z.infer<typeof OAuthConfig>;

const TokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().optional(), instance_url: z.string().optional() });

export class TokenError extends Error {
  constructor(readonly status: number | 'network', message: string) { super(message); }
}

export class TokenSource {
  private cached: { value: string; until: number; instanceUrl?: string } | undefined;

  constructor(private readonly fixed: string | undefined, private readonly oauth: OAuthConfig | undefined) {
    if (!fixed && !oauth) throw new Error('a target needs accessToken or oauth');
  }

  /** The token, and for Salesforce the instance URL its token endpoint named. */
  async get(fetchFn: FetchLike, now: number): Promise<{ token: string; instanceUrl?: string }> {
    if (this.fixed) return { token: this.fixed };
    if (this.cached && now < this.cached.until) return { token: this.cached.value, ...(this.cached.instanceUrl ? { instanceUrl: this.cached.instanceUrl } : {}) };
    const o = this.oauth!;
    const form = new URLSearchParams({ client_id: o.clientId, client_secret: o.clientSecret });
    if (o.refreshToken) {
      form.set('grant_type', 'refresh_token');
      form.set('refresh_token', o.refreshToken);
    } else {
      form.set('grant_type', 'client_credentials');
    }
    if (o.scope) form.set('scope', o.scope);
    const res = await fetchFn(o.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    const text = await res.text().catch(() => '');
    // The token endpoint's answer names the problem (invalid_client…) and never echoes the secret.
    if (!res.ok) throw new TokenError(res.status, `token endpoint answered ${res.status}: ${text.slice(0, 300)}`);
    const t = TokenAnswer.safeParse(JSON.parse(text || '{}'));
    if (!t.success) throw new TokenError(502, 'token endpoint answered without access_token');
    // Salesforce's client-credentials answer has no expires_in: its session lasts at least an hour.
    const lifetime = (t.data.expires_in ?? 3600) * 1000;
    this.cached = { value: t.data.access_token, until: now + lifetime - 60_000, ...(t.data.instance_url ? { instanceUrl: t.data.instance_url } : {}) };
    return { token: t.data.access_token, ...(t.data.instance_url ? { instanceUrl: t.data.instance_url } : {}) };
  }

  /** The target refused the token: the next get() asks for a new one. */
  forget(): void {
    this.cached = undefined;
  }

  get renewable(): boolean {
    return this.oauth !== undefined;
  }
}

/**
 * Sends one request with a bearer-like header from `tokens`; on 401 with a renewable token, asks
 * for a new token and sends once more. A token endpoint's refusal becomes the attempt's outcome.
 */
export async function withToken(
  tokens: TokenSource, fetchFn: FetchLike, now: number,
  request: (token: string, instanceUrl: string | undefined) => Promise<Response>,
): Promise<Response> {
  for (let round = 0; ; round += 1) {
    const { token, instanceUrl } = await tokens.get(fetchFn, now);
    const res = await request(token, instanceUrl);
    if (res.status !== 401 || !tokens.renewable || round > 0) return res;
    tokens.forget();
  }
}
