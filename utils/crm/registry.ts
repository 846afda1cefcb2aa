/**
 * Every built-in CRM adapter, in one list. Everything else that names the CRMs derives from
 * it: the content script's manifest matches, record detection, the options page's switches and
 * the preferences schema, the contract's known CRMs (and so docs/openapi.json), the e2e tests.
 * Adding a CRM = its module here (CONTRIBUTING.md).
 */
import { dynamics } from './dynamics';
import { hubspot } from './hubspot';
import { kintone } from './kintone';
import { salesforce } from './salesforce';
import type { CrmAdapter, RecordRef } from './types';
import { zoho } from './zoho';

export const ADAPTERS = [salesforce, kintone, hubspot, dynamics, zoho] as const satisfies readonly CrmAdapter[];

/** A built-in CRM's id: 'salesforce' | 'kintone' | ... as the registry lists them. */
export type BuiltinCrm = (typeof ADAPTERS)[number]['id'];

/** The built-in CRMs' ids, in registry order. */
export const BUILTIN_CRMS = ADAPTERS.map((adapter) => adapter.id) as readonly BuiltinCrm[] as readonly [BuiltinCrm, ...BuiltinCrm[]];

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
