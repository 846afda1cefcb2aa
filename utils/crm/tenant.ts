/**
 * The tenant a CRM record belongs to, in one canonical spelling, so that the record key read off
 * a page and the one a lead's refs carry compare equal whichever of the tenant's host names the
 * rep happens to be on. Pure and free of zod: the content script bundles this file.
 *
 * - Salesforce: the org's My Domain host, `<name>.my.salesforce.com` (Lightning pages are served
 *   from `<name>.lightning.force.com`, Classic ones and the API from `<name>.my.salesforce.com`;
 *   sandboxes and Developer Edition keep their `--sandbox` / `.develop` parts).
 * - kintone: `<sub>.cybozu.com` / `.kintone.com` / `.cybozu.cn`; secure access (`<sub>.s.cybozu.com`)
 *   is the same tenant.
 * - Dynamics 365: the environment's host, `<org>.crmN.dynamics.com`.
 * - Zoho CRM: the data centre's CRM host, `crm.zoho.<dc>` (Zoho One's `one.zoho.<dc>` shell shows
 *   the same CRM); record ids are unique within a data centre.
 * - HubSpot: the portal (hub) id, digits.
 * - Custom rules: the rule's host.
 */
import type { Crm } from '../api/contract';

export function canonicalTenant(crm: Crm | string, host: string): string {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  switch (crm) {
    case 'salesforce':
      return h.replace(/\.lightning\.force\.com$/, '.my.salesforce.com');
    case 'kintone':
      return h.replace(/\.s\.(cybozu\.com|kintone\.com|cybozu\.cn)$/, '.$1');
    case 'zoho':
      return h.replace(/^one\.(zoho|zohocloud)\./, 'crm.$1.');
    default:
      return h;
  }
}

/**
 * A record's object type and id as they are matched, on both sides of the contract: object types
 * without case (Salesforce API names and Dynamics entity names are case-insensitive), Salesforce
 * ids on their 15-character case-sensitive core (URLs carry 18 characters, reports and exports
 * often 15), Dynamics GUIDs without braces and case.
 */
export function recordMatch(crm: Crm | string, objectType: string, recordId: string): { objectType: string; recordId: string } {
  let id = recordId.trim();
  if (crm === 'salesforce' && (id.length === 18 || id.length === 15)) id = id.slice(0, 15);
  else if (crm === 'dynamics') id = id.replace(/[{}]/g, '').toLowerCase();
  return { objectType: objectType.trim().toLowerCase(), recordId: id };
}

interface Ref {
  crm: string;
  objectType: string;
  recordId: string;
  host?: string;
}

/**
 * Whether one of a lead's refs is this tenant's record: same CRM, object and id (as matched), and the same
 * tenant or none named (a single-tenant team's ref). The background checks the API's answers
 * with it too, so a server that ignores the tenant cannot put another tenant's lead on screen.
 */
export function refsInclude(refs: readonly Ref[], record: Ref & { host: string }): boolean {
  const tenant = canonicalTenant(record.crm, record.host);
  const want = recordMatch(record.crm, record.objectType, record.recordId);
  return refs.some((ref) => {
    if (ref.crm !== record.crm) return false;
    const have = recordMatch(ref.crm, ref.objectType, ref.recordId);
    return have.objectType === want.objectType && have.recordId === want.recordId && (!ref.host || canonicalTenant(ref.crm, ref.host) === tenant);
  });
}
