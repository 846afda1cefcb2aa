import type { Crm } from '../api/contract';

/** What an adapter reads off a URL: enough to ask the background for the lead behind it. */
export interface RecordRef {
  crm: Crm;
  objectType: string;
  recordId: string;
}

export interface CrmExample {
  url: string;
  /** The record this URL must resolve to. */
  expect: Pick<RecordRef, 'objectType' | 'recordId'>;
}

/**
 * One CRM = one self-contained module that declares itself: a pure URL detector, the manifest
 * match patterns it needs, and the example URLs that prove it (checked by the shared registry
 * test against every other adapter too).
 */
export interface CrmAdapter {
  id: Exclude<Crm, 'custom'>;
  label: string;
  /** Manifest match patterns for the content script. */
  matches: readonly string[];
  /** Pure: a URL in, the record it shows (or undefined for lists, search, settings...). */
  detect(url: URL): RecordRef | undefined;
  examples: readonly CrmExample[];
  /** Same product, not a record page: must not be detected. */
  nearMisses: readonly string[];
}
