/**
 * Generic ingest (admin or ingest token): the shapes every connector maps its source's payload
 * onto, so a connector only translates and the server's one ingest path verifies, stores and
 * scores. Shared by the routes, the connectors, the CSV import and the OpenAPI publisher.
 */
import { z } from 'zod';
import { CrmRef } from '../../utils/api/contract';

export const MAX_INGEST_BATCH = 5000;

const isoDateTime = z.iso.datetime({ offset: true });

export const IngestLead = z.object({
  /** The source's stable id for this person (Marketo lead id, kintone record key, CSV column). */
  externalId: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  company: z.string().max(200).optional(),
  email: z.email().optional(),
  phone: z.string().max(50).optional(),
  /** The owning rep, by their LeadLens user email; unknown or absent = the team's stock. */
  ownerEmail: z.email().optional(),
  team: z.string().min(1).max(100).optional(),
  jobTitle: z.string().max(200).optional(),
  employees: z.number().int().nonnegative().optional(),
  stage: z.enum(['lead', 'process', 'sleep', 'churn']).optional(),
  crmRefs: z.array(CrmRef).max(20).optional(),
});
export type IngestLead = z.infer<typeof IngestLead>;

/** How an event names its lead: the source id, the email, or a CRM record (tenant included). */
export const LeadKey = z.union([
  z.object({ externalId: z.string().min(1) }),
  z.object({ email: z.email() }),
  z.object({
    crm: z.string().min(1),
    objectType: z.string().min(1),
    recordId: z.string().min(1),
    host: z.string().min(1).optional(),
  }),
]);
export type LeadKey = z.infer<typeof LeadKey>;

export const IngestEvent = z.object({
  /** Idempotent forever: a replayed webhook with the same id is a duplicate, never scored twice.
   *  Connectors derive it from the source's own ids (prefixed by the source). */
  id: z.string().min(1).max(300),
  lead: LeadKey,
  /** A known timeline type (seminar_attended, email_click, ...) or a new one, kept as is. */
  type: z.string().min(1).max(64),
  at: isoDateTime,
  title: z.string().max(500).optional(),
  detail: z.string().max(4000).optional(),
  url: z.string().max(2000).optional(),
  channel: z.string().max(64).optional(),
  /** e.g. { watchedPercent: 85 } for on-demand video, { outcome, lossReason } for calls. */
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type IngestEvent = z.infer<typeof IngestEvent>;

export const IngestLeadsRequest = z.object({ leads: z.array(z.unknown()).max(MAX_INGEST_BATCH) });
export const IngestEventsRequest = z.object({ events: z.array(z.unknown()).max(MAX_INGEST_BATCH) });

/** One rejected item: its index in the batch and why, so the admin can fix that one. */
export const RejectedItem = z.object({ index: z.number().int(), error: z.string() });

export const IngestLeadsResponse = z.object({
  upserted: z.number().int(),
  rejected: z.array(RejectedItem),
});
export const IngestEventsResponse = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(RejectedItem),
});
