/**
 * Write-back to Zoho CRM: each call logged in LeadLens becomes a Calls record (POST /crm/v6/Calls
 * with Subject, Call_Type Outbound, Call_Start_Time, Call_Duration, Description, Call_Result and
 * the lead's record: Who_Id for a contact, What_Id + $se_module for a lead, account or deal;
 * header `Authorization: Zoho-oauthtoken …`, a token from the admin's self-client refresh token).
 * Zoho has no idempotency key; with a custom field set to unique (`uniqueField`), the call is
 * upserted (POST /crm/v6/Calls/upsert, duplicate_check_fields) by the activity id, so a retry after
 * a timeout that did reach Zoho updates the same call. Zoho reports per-record errors inside the
 * body ({ data: [{ status: "error", code, message, details }] }), so success is read from there.
 * https://www.zoho.com/crm/developer/docs/api/v6/insert-records.html
 * https://www.zoho.com/crm/developer/docs/api/v6/upsert-records.html
 * https://www.zoho.com/crm/developer/docs/api/v6/refresh.html
 */
import { z } from 'zod';
import { canonicalTenant } from '../../../utils/crm/tenant';
import { ConnectorBase } from '../module';
import { OAuthConfig, TokenSource, withToken } from '../writeback/oauth';
import { secret } from '../writeback/secret';
import { callBody, callSubject, outcomeLabel } from '../writeback/text';
import { pickRef, trimAnswer, type OutboxTarget, type SendOutcome } from '../writeback/types';

export const ZohoWriteBack = ConnectorBase.extend({
  /** The data centre's API domain, https://www.zohoapis.jp (the token answer's api_domain). */
  apiDomain: z.url(),
  /** The CRM host the lead's refs carry as the tenant, e.g. crm.zoho.jp. */
  crmHost: z.string().min(1),
  accessToken: secret().optional(),
  /** Self client: tokenUrl https://accounts.zoho.jp/oauth/v2/token, clientId, clientSecret, refreshToken (scope ZohoCRM.modules.calls.CREATE). */
  oauth: OAuthConfig.optional(),
  /** A custom single-line field on Calls marked "Do not allow duplicate values": makes retries safe. */
  uniqueField: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/).optional(),
  locale: z.enum(['ja', 'en']).default('ja'),
}).refine((c) => Boolean(c.accessToken) !== Boolean(c.oauth), { message: 'give accessToken or oauth (one of them)' });
export type ZohoWriteBack = z.infer<typeof ZohoWriteBack>;

const MODULES: Record<string, string> = { leads: 'Leads', contacts: 'Contacts', deals: 'Deals', accounts: 'Accounts' };
const Answer = z.object({ data: z.array(z.object({ status: z.string(), code: z.string().optional(), message: z.string().optional(), details: z.object({ id: z.string().optional() }).passthrough().optional() })).min(1) });

export function zohoTarget(cfg: ZohoWriteBack): OutboxTarget {
  const tokens = new TokenSource(cfg.accessToken, cfg.oauth);
  const base = cfg.apiDomain.replace(/\/$/, '');
  const tenant = canonicalTenant('zoho', cfg.crmHost);
  return {
    id: `zoho:${cfg.id}`,
    vendor: 'zoho',
    orgId: cfg.orgId,
    kind: 'call',
    pick: (refs) => pickRef(refs, 'zoho', tenant, Object.keys(MODULES)),
    async send(item, deps): Promise<SendOutcome> {
      if (item.kind !== 'call') return { ok: false, status: 400, answer: 'Zoho write-back takes calls only', permanent: true };
      const module = MODULES[item.ref.objectType.toLowerCase()];
      if (!module) return { ok: false, status: 400, answer: `Zoho module ${item.ref.objectType} takes no calls here`, permanent: true };
      const record: Record<string, unknown> = {
        Subject: callSubject(item, cfg.locale),
        Call_Type: 'Outbound',
        // Zoho wants an offset and no milliseconds: 2026-11-25T01:45:00+00:00.
        Call_Start_Time: item.at.replace(/\.\d{3}Z$|Z$/, '+00:00'),
        Call_Duration: '00:00',
        Call_Result: outcomeLabel(item, cfg.locale),
        Description: callBody(item, cfg.locale),
        ...(module === 'Contacts' ? { Who_Id: { id: item.ref.recordId } } : { What_Id: { id: item.ref.recordId }, $se_module: module }),
        ...(cfg.uniqueField ? { [cfg.uniqueField]: item.activityId } : {}),
      };
      const path = cfg.uniqueField ? '/crm/v6/Calls/upsert' : '/crm/v6/Calls';
      const body = { data: [record], ...(cfg.uniqueField ? { duplicate_check_fields: [cfg.uniqueField] } : {}) };
      const res = await withToken(tokens, deps.fetch, deps.now(), (token) => deps.fetch(`${base}${path}`, {
        method: 'POST', headers: { Authorization: `Zoho-oauthtoken ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      }));
      const text = await res.text().catch(() => '');
      let parsed: unknown;
      try { parsed = JSON.parse(text); } catch { parsed = undefined; }
      const answer = Answer.safeParse(parsed);
      const first = answer.success ? answer.data.data[0]! : undefined;
      if (res.ok && first?.status === 'success') return { ok: true, status: res.status, answer: trimAnswer(text), ...(first.details?.id ? { remoteId: first.details.id } : {}) };
      // A record-level error in a 2xx body (e.g. 202 INVALID_DATA) is the request's fault: permanent.
      if (res.ok) return { ok: false, status: 400, answer: trimAnswer(text), permanent: true };
      return { ok: false, status: res.status, answer: trimAnswer(text), retryAfter: res.headers.get('retry-after') };
    },
  };
}
