import type { KnownCrm } from '../api/contract';

/** What an adapter reads off a URL: enough to ask the background for the lead behind it. */
export interface RecordRef {
  crm: KnownCrm;
  objectType: string;
  recordId: string;
  /** The tenant, canonical (tenant.ts): the same app and record number in two tenants are two records. */
  host: string;
}

export interface CrmExample {
  url: string;
  /** The record this URL must resolve to. */
  expect: Pick<RecordRef, 'objectType' | 'recordId' | 'host'>;
  /** Where this URL shape is documented or seen in use. */
  source: string;
}

/**
 * One CRM = one self-contained module that declares itself: a pure URL detector and the
 * manifest match patterns it needs. Its example URLs live in examples.ts (test-only data).
 */
export interface CrmAdapter<Id extends string = string> {
  /** Lower-case, stable: stored in preferences and sent to the API as `CrmRef.crm`. */
  id: Id;
  label: string;
  /** Manifest match patterns for the content script. */
  matches: readonly string[];
  /** Pure: a URL in, the record it shows (or undefined for lists, search, settings...). */
  detect(url: URL): RecordRef | undefined;
}
