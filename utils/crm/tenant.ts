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

interface Ref {
  crm: string;
  objectType: string;
  recordId: string;
  host?: string;
}

/**
 * Whether one of a lead's refs is this tenant's record: same CRM, object and id, and the same
 * tenant or none named (a single-tenant team's ref). The background checks the API's answers
 * with it too, so a server that ignores the tenant cannot put another tenant's lead on screen.
 */
export function refsInclude(refs: readonly Ref[], record: Ref & { host: string }): boolean {
  const tenant = canonicalTenant(record.crm, record.host);
  return refs.some((ref) => ref.crm === record.crm && ref.objectType === record.objectType && ref.recordId === record.recordId
    && (!ref.host || canonicalTenant(ref.crm, ref.host) === tenant));
}
