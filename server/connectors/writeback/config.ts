/**
 * The write-back part of the connectors config (`writeBack` in LEADLENS_CONNECTORS' JSON): which
 * CRM and MA accounts the server writes to, with their credentials (`{ "env": "NAME" }` reads one
 * from the environment). No entry for a vendor: nothing is queued for it.
 */
import { z } from 'zod';
import { DynamicsWriteBack, dynamicsTarget } from '../dynamics/writeback';
import { HubSpotWriteBack, hubspotTarget } from '../hubspot/writeback';
import { KintoneWriteBack, kintoneTarget } from '../kintone/writeback';
import { MarketoRecycle, marketoRecycleTarget } from '../marketo/recycle';
import { SalesforceWriteBack, salesforceTarget } from '../salesforce/writeback';
import { RecycleWebhook, recycleWebhookTarget } from '../webhook/recycle';
import { ZohoWriteBack, zohoTarget } from '../zoho/writeback';
import { uniqueIds } from '../module';
import type { OutboxTarget } from './types';

export const WriteBackConfig = z.object({
  salesforce: z.array(SalesforceWriteBack).default([]),
  kintone: z.array(KintoneWriteBack).default([]),
  hubspot: z.array(HubSpotWriteBack).default([]),
  dynamics: z.array(DynamicsWriteBack).default([]),
  zoho: z.array(ZohoWriteBack).default([]),
  /** Recycle to nurture: Marketo where the team has it, else a webhook to their MA tool. */
  marketo: z.array(MarketoRecycle).default([]),
  webhook: z.array(RecycleWebhook).default([]),
}).superRefine((c, ctx) => {
  uniqueIds(c.salesforce, ctx, 'salesforce');
  uniqueIds(c.kintone, ctx, 'kintone');
  uniqueIds(c.hubspot, ctx, 'hubspot');
  uniqueIds(c.dynamics, ctx, 'dynamics');
  uniqueIds(c.zoho, ctx, 'zoho');
  uniqueIds(c.marketo, ctx, 'marketo');
  uniqueIds(c.webhook, ctx, 'webhook');
});
export type WriteBackConfig = z.infer<typeof WriteBackConfig>;

/** Parses the write-back config; an error names each path and problem (never a secret's value). */
export function parseWriteBackConfig(raw: unknown): WriteBackConfig {
  const r = WriteBackConfig.safeParse(raw ?? {});
  if (!r.success) {
    const lines = r.error.issues.map((i) => `writeBack.${i.path.map(String).join('.')}: ${i.message}`);
    throw new Error(`connectors config is invalid:\n  ${lines.join('\n  ')}`);
  }
  return r.data;
}

export function writeBackTargets(c: WriteBackConfig): OutboxTarget[] {
  return [
    ...c.salesforce.map(salesforceTarget),
    ...c.kintone.map(kintoneTarget),
    ...c.hubspot.map(hubspotTarget),
    ...c.dynamics.map(dynamicsTarget),
    ...c.zoho.map(zohoTarget),
    ...c.marketo.map(marketoRecycleTarget),
    ...c.webhook.map(recycleWebhookTarget),
  ];
}
