/**
 * Write-back to HubSpot: each call logged in LeadLens becomes a call engagement associated with
 * the lead's contact (or company / deal when that is the record it has): POST
 * /crm/v3/objects/calls with hs_timestamp, hs_call_title, hs_call_body, hs_call_direction,
 * hs_call_status, hs_call_disposition and the association (call → contact is type 194). A private
 * app token with crm.objects.contacts.write. HubSpot takes no idempotency key; with a custom call
 * property that requires unique values (`uniqueProperty`), the call is upserted by the activity
 * id (POST /crm/v3/objects/calls/batch/upsert) and associated with a PUT (idempotent), so a retry
 * after a timeout that did reach HubSpot does not add a second call.
 * https://developers.hubspot.com/docs/api/crm/calls
 * https://developers.hubspot.com/docs/api/crm/associations (default association types)
 * https://developers.hubspot.com/docs/api/crm/understanding-the-crm#upsert (idProperty)
 */
import { z } from 'zod';
import { ConnectorBase } from '../module';
import { secret } from '../writeback/secret';
import { callBody, callSubject } from '../writeback/text';
import { outcomeOf, pickRef, type OutboxTarget, type SendOutcome } from '../writeback/types';

export const HubSpotWriteBack = ConnectorBase.extend({
  /** The HubSpot account (portal) id, kept on the lead's refs as the tenant. */
  portalId: z.string().regex(/^\d+$/, 'the portal id (a number)'),
  /** A private app's access token (scopes: crm.objects.contacts.write, crm.objects.companies.write, crm.objects.deals.write). */
  accessToken: secret(),
  /** A custom call property with "require unique values": makes retries safe (upsert). */
  uniqueProperty: z.string().regex(/^[a-z][a-z0-9_]*$/).optional(),
  baseUrl: z.url().default('https://api.hubapi.com'),
  locale: z.enum(['ja', 'en']).default('ja'),
});
export type HubSpotWriteBack = z.infer<typeof HubSpotWriteBack>;

/** HubSpot's default call dispositions (their internal values are these GUIDs). */
export const DISPOSITIONS: Record<string, string> = {
  connected: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  meeting_set: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  lost: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  complaint: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  no_answer: '73a0d17f-1163-4015-bdd5-ec830791da20',
  busy: '9d9162e7-6cf3-4944-bf63-4dff82258764',
};

/** The lead's record type → the object path and the HubSpot-defined call → object association type. */
const OBJECTS: Record<string, { path: string; typeId: number }> = {
  '0-1': { path: 'contacts', typeId: 194 },
  '0-2': { path: 'companies', typeId: 182 },
  '0-3': { path: 'deals', typeId: 206 },
};

const Upserted = z.object({ results: z.array(z.object({ id: z.string() })).min(1) });

export function hubspotTarget(cfg: HubSpotWriteBack): OutboxTarget {
  const base = cfg.baseUrl.replace(/\/$/, '');
  const headers = { Authorization: `Bearer ${cfg.accessToken}`, 'Content-Type': 'application/json' };
  return {
    id: `hubspot:${cfg.id}`,
    vendor: 'hubspot',
    orgId: cfg.orgId,
    kind: 'call',
    pick: (refs) => pickRef(refs, 'hubspot', cfg.portalId, Object.keys(OBJECTS)),
    async send(item, deps): Promise<SendOutcome> {
      if (item.kind !== 'call') return { ok: false, status: 400, answer: 'HubSpot write-back takes calls only', permanent: true };
      const object = OBJECTS[item.ref.objectType];
      if (!object) return { ok: false, status: 400, answer: `HubSpot object type ${item.ref.objectType} takes no calls here`, permanent: true };
      const disposition = DISPOSITIONS[item.outcome];
      const properties: Record<string, string> = {
        hs_timestamp: item.at,
        hs_call_title: callSubject(item, cfg.locale),
        hs_call_body: callBody(item, cfg.locale),
        hs_call_direction: 'OUTBOUND',
        hs_call_status: 'COMPLETED',
        ...(disposition ? { hs_call_disposition: disposition } : {}),
      };
      if (!cfg.uniqueProperty) {
        const res = await deps.fetch(`${base}/crm/v3/objects/calls`, {
          method: 'POST', headers,
          body: JSON.stringify({
            properties,
            associations: [{ to: { id: item.ref.recordId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: object.typeId }] }],
          }),
        });
        return outcomeOf(res, (body) => (body && typeof body === 'object' && 'id' in body ? String((body as { id: unknown }).id) : undefined));
      }
      const upsert = await deps.fetch(`${base}/crm/v3/objects/calls/batch/upsert`, {
        method: 'POST', headers,
        body: JSON.stringify({ inputs: [{ idProperty: cfg.uniqueProperty, id: item.activityId, properties: { ...properties, [cfg.uniqueProperty]: item.activityId } }] }),
      });
      const made = await outcomeOf(upsert, (body) => { const u = Upserted.safeParse(body); return u.success ? u.data.results[0]!.id : undefined; });
      if (!made.ok) return made;
      if (!made.remoteId) return { ok: false, status: 502, answer: `upsert answered without a call id: ${made.answer}` };
      const assoc = await deps.fetch(`${base}/crm/v4/objects/calls/${made.remoteId}/associations/default/${object.path}/${encodeURIComponent(item.ref.recordId)}`, { method: 'PUT', headers });
      const linked = await outcomeOf(assoc, () => made.remoteId);
      return linked.ok ? { ...linked, remoteId: made.remoteId } : linked;
    },
  };
}
