/**
 * What every connector needs from the server, and nothing more: an ingest sink (the server's one
 * verify → store → score path), the organisation the connector feeds, and a clock. Connectors
 * only translate a source's payload into IngestLead/IngestEvent items; the sink owns idempotency
 * (by event id) and per-item validation, so both hold for every source alike.
 */
import type { z } from 'zod';
import type { IngestEventsResponse, IngestLeadsResponse, RejectedItem } from '../contract/ingest';

/** The organisation a connector writes into (the server resolves everything else from it). */
export type OrgCtx = { orgId: string };

export type IngestLeadsResult = z.infer<typeof IngestLeadsResponse>;
export type IngestEventsResult = z.infer<typeof IngestEventsResponse>;
export type Rejected = z.infer<typeof RejectedItem>;

/** The server's ingest service. Items are `unknown` on purpose: the sink validates each one and
 *  rejects it by index, so a connector's mapping bug never drops the rest of a batch. */
export interface IngestSink {
  ingestLeads(org: OrgCtx, items: unknown[]): Promise<IngestLeadsResult>;
  ingestEvents(org: OrgCtx, items: unknown[]): Promise<IngestEventsResult>;
}

/** Wall clock in epoch milliseconds; tests pin it to check timestamp windows. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Where a connector keeps its resumable position (a pull's cursor, a CSV import's line). */
export interface StateStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** The answer a connector gives for one delivery, in the source's item indices. */
export type ConnectorResult = {
  upserted: number;
  accepted: number;
  duplicates: number;
  /** Items the source sent that we deliberately do not map (e.g. a contact.creation). */
  ignored: number;
  rejected: Rejected[];
};
