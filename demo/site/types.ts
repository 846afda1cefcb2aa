// Shared shapes of the CRM look-alike site. The site only *displays* records: where they come
// from is the caller's business (sample-records.ts for tests, the story data set for
// the demo), hence the small RecordSource interface.

import { BUILTIN_CRMS, type BuiltinCrm } from '../../utils/crm/registry';

/** The site has a look-alike for every built-in CRM of the extension's registry. */
export type CrmName = BuiltinCrm;

export const CRM_NAMES: readonly CrmName[] = BUILTIN_CRMS;

/**
 * One CRM record as a record page shows it. objectType / recordId follow the scoring API's
 * CrmRef conventions (utils/api/contract.ts): Salesforce Lead|Contact|Account|Opportunity
 * with 15/18-char ids, kintone app id + record number, HubSpot 0-1|0-2|0-3 + object id,
 * Dynamics entity logical name + GUID, Zoho module name + numeric id.
 */
export interface CrmRecordView {
  crm: CrmName;
  objectType: string;
  recordId: string;
  name: string;
  company?: string;
  email?: string;
  phone?: string;
  title?: string;
  owner?: string;
  status?: string;
}

export interface RecordSource {
  find(crm: CrmName, objectType: string, recordId: string): CrmRecordView | undefined;
  list(crm: CrmName, objectType: string, limit: number): CrmRecordView[];
  /**
   * Optional: the object types (kintone app ids especially) that hold records, used by the
   * index page `/`. Without it each CRM module falls back to its usual object types.
   */
  objectTypes?(crm: CrmName): string[];
}
