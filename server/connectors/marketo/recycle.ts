/**
 * Recycle to nurture, back into Marketo: the person (found by email, GET /rest/v1/leads.json
 * ?filterType=email) is added to a static list (POST /rest/v1/lists/{listId}/leads.json) or run
 * through a smart campaign (POST /rest/v1/campaigns/{id}/trigger.json, with the track and
 * frequency as My Tokens). Both are safe to repeat: a list holds a person once ("skipped" the
 * second time), and a campaign whose qualification rule is "once" runs a person once. Marketo
 * answers most errors in a 200 body; 601/602 renew the token, 604/606/608/611/615 are retried.
 * https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/assets/static-lists
 * https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/campaigns
 * https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/leads
 * https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/error-codes
 */
import { z } from 'zod';
import { ConnectorBase } from '../module';
import { secret } from '../writeback/secret';
import { trimAnswer, type OutboxTarget, type SendDeps, type SendOutcome } from '../writeback/types';
import { tokenFresh } from './client';

export const MarketoRecycle = ConnectorBase.extend({
  munchkinId: z.string().regex(/^\d{3}-[A-Z]{3}-\d{3}$/i, 'like 123-ABC-456 (Admin → Munchkin)'),
  /** The API-only user's LaunchPoint service (Read-Write Person, Read-Write Assets / Execute Campaign). */
  clientId: z.string().min(1),
  clientSecret: secret(),
  /** Default https://<munchkinId>.mktorest.com. */
  baseUrl: z.url().optional(),
  action: z.union([
    z.object({ addToList: z.number().int().positive() }),
    z.object({ requestCampaign: z.number().int().positive() }),
  ]),
});
export type MarketoRecycle = z.infer<typeof MarketoRecycle>;

const Envelope = z.object({
  success: z.boolean(),
  result: z.array(z.record(z.string(), z.unknown())).optional(),
  errors: z.array(z.object({ code: z.union([z.string(), z.number()]).transform(String), message: z.string().optional() })).optional(),
});
const Token = z.object({ access_token: z.string().min(1), expires_in: z.number() });
const TOKEN_ERRORS = new Set(['601', '602']);
const TRANSIENT = new Set(['604', '606', '608', '611', '615']);

export function marketoRecycleTarget(cfg: MarketoRecycle): OutboxTarget {
  const base = (cfg.baseUrl ?? `https://${cfg.munchkinId}.mktorest.com`).replace(/\/$/, '');
  let token: { value: string; obtainedAt: number; expiresIn: number } | undefined;

  async function accessToken(deps: SendDeps): Promise<string | SendOutcome> {
    const now = deps.now();
    if (token && tokenFresh(token.obtainedAt, token.expiresIn, now)) return token.value;
    const q = new URLSearchParams({ grant_type: 'client_credentials', client_id: cfg.clientId, client_secret: cfg.clientSecret });
    const res = await deps.fetch(`${base}/identity/oauth/token?${q.toString()}`);
    const text = await res.text().catch(() => '');
    const t = Token.safeParse(safeJson(text));
    // The identity service's answer names the problem (unauthorized / invalid_client), never the secret.
    if (!res.ok || !t.success) return { ok: false, status: res.ok ? 502 : res.status, answer: trimAnswer(`identity: ${text}`), retryAfter: res.headers.get('retry-after') };
    token = { value: t.data.access_token, obtainedAt: now, expiresIn: t.data.expires_in };
    return token.value;
  }

  /** One REST call; a token Marketo calls invalid or expired is renewed once. */
  async function call(deps: SendDeps, path: string, body?: unknown): Promise<{ env: z.infer<typeof Envelope>; text: string; status: number } | SendOutcome> {
    for (let round = 0; ; round += 1) {
      const t = await accessToken(deps);
      if (typeof t !== 'string') return t;
      const res = await deps.fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { Authorization: `Bearer ${t}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text().catch(() => '');
      if (!res.ok) return { ok: false, status: res.status, answer: trimAnswer(text), retryAfter: res.headers.get('retry-after') };
      const env = Envelope.safeParse(safeJson(text));
      if (!env.success) return { ok: false, status: 502, answer: trimAnswer(`not a Marketo answer: ${text}`) };
      const code = env.data.errors?.[0]?.code;
      if (!env.data.success && code && TOKEN_ERRORS.has(code) && round === 0) { token = undefined; continue; }
      if (!env.data.success) {
        // Marketo's 200-with-errors: rate and concurrency limits heal by waiting, the rest do not.
        return { ok: false, status: 200, answer: trimAnswer(text), ...(code && TRANSIENT.has(code) ? { transient: true, retryAfter: '20' } : { permanent: true }) };
      }
      return { env: env.data, text, status: res.status };
    }
  }

  return {
    id: `marketo:${cfg.id}`,
    vendor: 'marketo',
    orgId: cfg.orgId,
    kind: 'recycle',
    async send(item, deps): Promise<SendOutcome> {
      if (item.kind !== 'recycle') return { ok: false, status: 400, answer: 'Marketo recycle takes recycles only', permanent: true };
      const q = new URLSearchParams({ filterType: 'email', filterValues: item.email, fields: 'id,email' });
      const found = await call(deps, `/rest/v1/leads.json?${q.toString()}`);
      if ('ok' in found) return found;
      const id = Number(found.env.result?.[0]?.id);
      if (!Number.isFinite(id)) return { ok: false, status: 404, answer: `no Marketo person with the lead's email`, permanent: true };
      const done = 'addToList' in cfg.action
        ? await call(deps, `/rest/v1/lists/${cfg.action.addToList}/leads.json`, { input: [{ id }] })
        : await call(deps, `/rest/v1/campaigns/${cfg.action.requestCampaign}/trigger.json`, {
          input: { leads: [{ id }], tokens: [{ name: '{{my.LeadLens Track}}', value: item.track }, { name: '{{my.LeadLens Frequency}}', value: item.frequency }] },
        });
      if ('ok' in done) return done;
      // A list answers per person: "added", or "skipped" with a reason (already a member is fine).
      const row = done.env.result?.[0];
      if (row && row.status === 'skipped') {
        const reasons = JSON.stringify(row.reasons ?? []);
        if (!/"1015"|already/i.test(reasons)) return { ok: false, status: 200, answer: trimAnswer(done.text), permanent: true };
      }
      return { ok: true, status: done.status, answer: trimAnswer(done.text), remoteId: String(id) };
    },
  };
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}
