/**
 * How a CRM record is matched: Salesforce ids on their 15-character case-sensitive core (a
 * 15-char id from a URL finds the 18-char one), Dynamics GUIDs without braces and case, object
 * types and hosts without case. The host is the tenant, in the extension's canonical form (a
 * Lightning host and the org's My Domain are one tenant); '' means the source did not say.
 */
import { canonicalTenant } from '../../utils/crm/tenant';

export interface RefKey {
  crm: string;
  objectType: string;
  recordKey: string;
  host: string;
}

export function refKey(crm: string, objectType: string, recordId: string, host?: string): RefKey {
  let id = recordId.trim();
  if (crm === 'salesforce' && (id.length === 18 || id.length === 15)) id = id.slice(0, 15);
  else if (crm === 'dynamics') id = id.replace(/[{}]/g, '').toLowerCase();
  return { crm, objectType: objectType.trim().toLowerCase(), recordKey: id, host: host ? canonicalTenant(crm, host) : '' };
}
