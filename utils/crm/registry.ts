/**
 * Every built-in CRM adapter, in one list: the content script's manifest matches, the options
 * page and record detection all come from here.
 */
import { dynamics } from './dynamics';
import { hubspot } from './hubspot';
import { kintone } from './kintone';
import { salesforce } from './salesforce';
import type { CrmAdapter, RecordRef } from './types';
import { zoho } from './zoho';

export const ADAPTERS: readonly CrmAdapter[] = [salesforce, kintone, hubspot, dynamics, zoho];

export const CONTENT_MATCHES: string[] = ADAPTERS.flatMap((adapter) => [...adapter.matches]);

export interface Detection {
  adapter: CrmAdapter;
  record: RecordRef;
}

export function detectRecord(href: string | URL): Detection | undefined {
  let url: URL;
  try {
    url = typeof href === 'string' ? new URL(href) : href;
  } catch {
    return undefined;
  }
  for (const adapter of ADAPTERS) {
    const record = adapter.detect(url);
    if (record) return { adapter, record };
  }
  return undefined;
}

export type { CrmAdapter, RecordRef } from './types';
