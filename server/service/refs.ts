/**
 * How a CRM record is matched: the extension's own rule (recordMatch: Salesforce ids on their
 * 15-character core, Dynamics GUIDs without braces and case, object types without case). The host is the tenant, in the extension's canonical form (a
 * Lightning host and the org's My Domain are one tenant); '' means the source did not say.
 */
import { canonicalTenant, recordMatch } from '../../utils/crm/tenant';

export interface RefKey {
  crm: string;
  objectType: string;
  recordKey: string;
  host: string;
}

export function refKey(crm: string, objectType: string, recordId: string, host?: string): RefKey {
  const match = recordMatch(crm, objectType, recordId);
  return { crm, objectType: match.objectType, recordKey: match.recordId, host: host ? canonicalTenant(crm, host) : '' };
}
