/**
 * Write-back to Salesforce: each call logged in LeadLens becomes a completed Task (a logged call)
 * on the Lead or Contact (WhoId), or on the Account / Opportunity (WhatId) when the lead has no
 * person record. REST API: POST /services/data/vXX.X/sobjects/Task; with an external-id field on
 * Task (`externalIdField`), an upsert PATCH …/sobjects/Task/<field>/<activity id> instead, so a
 * retry after a timeout that did reach Salesforce updates the same Task rather than adding one.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm
 */
import { z } from 'zod';
import { canonicalTenant } from '../../../utils/crm/tenant';
import { ConnectorBase } from '../module';
import { OAuthConfig, TokenSource, withToken } from '../writeback/oauth';
import { secret } from '../writeback/secret';
import { callBody, callSubject, outcomeLabel } from '../writeback/text';
import { outcomeOf, pickRef, type OutboxTarget, type SendOutcome } from '../writeback/types';

export const SalesforceWriteBack = ConnectorBase.extend({
  /** The org's My Domain URL, https://acme.my.salesforce.com (with OAuth, the token's instance_url wins). */
  instanceUrl: z.url(),
  apiVersion: z.string().regex(/^v\d+\.\d$/).default('v62.0'),
  /** A session or connected-app token with Create on Task. */
  accessToken: secret().optional(),
  /** Client credentials flow of a connected app: tokenUrl https://acme.my.salesforce.com/services/oauth2/token. */
  oauth: OAuthConfig.optional(),
  /** An External ID text field on Activity (e.g. LeadLens_Id__c): makes retries safe (upsert). */
  externalIdField: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*__c$/, 'a custom field API name ending in __c').optional(),
  locale: z.enum(['ja', 'en']).default('ja'),
}).refine((c) => Boolean(c.accessToken) !== Boolean(c.oauth), { message: 'give accessToken or oauth (one of them)' });
export type SalesforceWriteBack = z.infer<typeof SalesforceWriteBack>;

const WHO = ['lead', 'contact'];
const WHAT = ['opportunity', 'account'];

/** Salesforce errors are an array of { message, errorCode, fields }. */
const SfErrors = z.array(z.object({ message: z.string(), errorCode: z.string() }));

export function salesforceTarget(cfg: SalesforceWriteBack): OutboxTarget {
  const tokens = new TokenSource(cfg.accessToken, cfg.oauth);
  const tenant = canonicalTenant('salesforce', new URL(cfg.instanceUrl).host);
  return {
    id: `salesforce:${cfg.id}`,
    vendor: 'salesforce',
    orgId: cfg.orgId,
    kind: 'call',
    pick: (refs) => pickRef(refs, 'salesforce', tenant, [...WHO, ...WHAT]),
    async send(item, deps): Promise<SendOutcome> {
      if (item.kind !== 'call') return { ok: false, status: 400, answer: 'Salesforce write-back takes calls only', permanent: true };
      const who = WHO.includes(item.ref.objectType.toLowerCase());
      const task: Record<string, string> = {
        [who ? 'WhoId' : 'WhatId']: item.ref.recordId,
        Subject: callSubject(item, cfg.locale),
        Status: 'Completed',
        TaskSubtype: 'Call',
        CallType: 'Outbound',
        CallDisposition: outcomeLabel(item, cfg.locale),
        ActivityDate: item.at.slice(0, 10),
        Description: callBody(item, cfg.locale),
      };
      const res = await withToken(tokens, deps.fetch, deps.now(), (token, instanceUrl) => {
        const base = `${(instanceUrl ?? cfg.instanceUrl).replace(/\/$/, '')}/services/data/${cfg.apiVersion}/sobjects/Task`;
        const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
        return cfg.externalIdField
          ? deps.fetch(`${base}/${cfg.externalIdField}/${encodeURIComponent(item.activityId)}`, { method: 'PATCH', headers, body: JSON.stringify(task) })
          : deps.fetch(base, { method: 'POST', headers, body: JSON.stringify(task) });
      });
      const outcome = await outcomeOf(res, (body) => (body && typeof body === 'object' && 'id' in body ? String((body as { id: unknown }).id) : undefined));
      if (!outcome.ok && res.status === 403) {
        // The org's daily API request limit comes back as 403 REQUEST_LIMIT_EXCEEDED: it lifts by itself.
        const errors = SfErrors.safeParse(safeJson(outcome.answer));
        if (errors.success && errors.data.some((e) => e.errorCode === 'REQUEST_LIMIT_EXCEEDED')) return { ...outcome, transient: true, retryAfter: outcome.retryAfter ?? '3600' };
      }
      return outcome;
    },
  };
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}
