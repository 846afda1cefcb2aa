import type { CrmAdapter, RecordRef } from './types';
import { canonicalTenant } from './tenant';
import { normalisedPath } from './url';

// Record pages (sources next to each shape in examples.ts): /crm/<org>/tab/<Module>/<id>, the
// org segment left out by single-org accounts, and the record's edit page (…/<id>/edit). Zoho One
// wraps the same page: one.zoho.<dc>/zohoone/<company>/home/cxapp/crm/<org>/tab/<Module>/<id>
// (or …/home/cxapp-spaces/<space>/crm/…). Modules a lead lives on: Leads, Contacts, Accounts,
// Deals (still `Potentials` in URLs, its name before the rename) and custom modules
// (CustomModule<n>). One host per data centre.
const DATA_CENTRES = ['zoho.com', 'zoho.eu', 'zoho.in', 'zoho.com.au', 'zoho.jp', 'zoho.com.cn', 'zoho.sa', 'zoho.ae', 'zohocloud.ca'];
const CRM_HOSTS = DATA_CENTRES.map((dc) => `crm.${dc}`);
const ONE_HOSTS = DATA_CENTRES.map((dc) => `one.${dc}`);
const MODULE_ID = '(Leads|Contacts|Accounts|Deals|Potentials|CustomModule\\d+)/(\\d{6,})(?:/edit)?/?$';
const CRM_PATH = new RegExp(`^/crm/(?:[A-Za-z0-9]+/)?tab/${MODULE_ID}`);
const ONE_PATH = new RegExp(`^/zohoone/[A-Za-z0-9_-]+/home/(?:cxapp|cxapp-spaces/[A-Za-z0-9_-]+)/crm/(?:[A-Za-z0-9]+/)?tab/${MODULE_ID}`);
/** The API and the refs call Deals by their current name. */
const MODULE_NAME: Record<string, string> = { Potentials: 'Deals' };

function detect(url: URL): RecordRef | undefined {
  const pattern = CRM_HOSTS.includes(url.hostname) ? CRM_PATH : ONE_HOSTS.includes(url.hostname) ? ONE_PATH : undefined;
  const match = pattern?.exec(normalisedPath(url));
  if (!match) return undefined;
  const module = match[1] ?? '';
  return { crm: 'zoho', objectType: MODULE_NAME[module] ?? module, recordId: match[2] ?? '', host: canonicalTenant('zoho', url.hostname) };
}

export const zoho: CrmAdapter<'zoho'> = {
  id: 'zoho',
  label: 'Zoho CRM',
  matches: [...CRM_HOSTS, ...ONE_HOSTS].map((host) => `https://${host}/*`),
  detect,
};
