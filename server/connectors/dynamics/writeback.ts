/**
 * Write-back to Dynamics 365: each call logged in LeadLens becomes a phone call activity regarding
 * the lead's lead / contact / account / opportunity row (Dataverse Web API, phonecalls entity set:
 * subject, description, directioncode true = outgoing, actualend, regardingobjectid_<table>@odata.bind).
 * Dataverse lets the client choose the row's id: the activity id is derived from the LeadLens
 * activity id and the row is created with PATCH phonecalls(<id>) and `If-None-Match: *`
 * ("create, never update"), so a retry after a timeout that did reach Dataverse gets 412 —
 * already there — and no second phone call.
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/create-entity-web-api
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#prevent-update-in-upsert
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/reference/phonecall
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/api-limits (429 + Retry-After)
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalTenant } from '../../../utils/crm/tenant';
import { ConnectorBase } from '../module';
import { OAuthConfig, TokenSource, withToken } from '../writeback/oauth';
import { secret } from '../writeback/secret';
import { callBody, callSubject } from '../writeback/text';
import { outcomeOf, pickRef, type OutboxTarget, type SendOutcome } from '../writeback/types';

export const DynamicsWriteBack = ConnectorBase.extend({
  /** The environment's URL, https://contoso.crm7.dynamics.com (its host is the tenant on the lead's refs). */
  url: z.url(),
  /** An application user's token, or Microsoft Entra ID client credentials (scope https://<org>.crm.dynamics.com/.default). */
  accessToken: secret().optional(),
  oauth: OAuthConfig.optional(),
  locale: z.enum(['ja', 'en']).default('ja'),
}).refine((c) => Boolean(c.accessToken) !== Boolean(c.oauth), { message: 'give accessToken or oauth (one of them)' });
export type DynamicsWriteBack = z.infer<typeof DynamicsWriteBack>;

const TABLES = ['lead', 'contact', 'opportunity', 'account'];
const ENTITY_SETS: Record<string, string> = { lead: 'leads', contact: 'contacts', opportunity: 'opportunities', account: 'accounts' };

/** A stable GUID for an activity (name-based, like a version-5 UUID): the same call always gets the same row id. */
export function activityGuid(activityId: string): string {
  const h = createHash('sha256').update(`leadlens:${activityId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export function dynamicsTarget(cfg: DynamicsWriteBack): OutboxTarget {
  const tokens = new TokenSource(cfg.accessToken, cfg.oauth);
  const base = cfg.url.replace(/\/$/, '');
  const tenant = canonicalTenant('dynamics', new URL(cfg.url).host);
  return {
    id: `dynamics:${cfg.id}`,
    vendor: 'dynamics',
    orgId: cfg.orgId,
    kind: 'call',
    pick: (refs) => pickRef(refs, 'dynamics', tenant, TABLES),
    async send(item, deps): Promise<SendOutcome> {
      if (item.kind !== 'call') return { ok: false, status: 400, answer: 'Dynamics write-back takes calls only', permanent: true };
      const table = item.ref.objectType.toLowerCase();
      const set = ENTITY_SETS[table];
      if (!set) return { ok: false, status: 400, answer: `Dynamics table ${table} takes no phone calls here`, permanent: true };
      const id = activityGuid(item.activityId);
      const row = {
        subject: callSubject(item, cfg.locale),
        description: callBody(item, cfg.locale),
        directioncode: true,
        actualend: item.at,
        [`regardingobjectid_${table}@odata.bind`]: `/${set}(${item.ref.recordId.replace(/[{}]/g, '')})`,
      };
      const res = await withToken(tokens, deps.fetch, deps.now(), (token) => deps.fetch(`${base}/api/data/v9.2/phonecalls(${id})`, {
        method: 'PATCH',
        headers: {
          Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json',
          'OData-MaxVersion': '4.0', 'OData-Version': '4.0', 'If-None-Match': '*',
        },
        body: JSON.stringify(row),
      }));
      // 412: the row exists — an earlier attempt created it.
      if (res.status === 412) return { ok: true, status: 412, answer: 'already there', remoteId: id };
      return outcomeOf(res, () => id);
    },
  };
}
