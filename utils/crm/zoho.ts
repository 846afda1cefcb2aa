import type { CrmAdapter, RecordRef } from './types';
import { normalisedPath } from './url';

// Record pages: https://crm.zoho.<dc>/crm/<org>/tab/<Module>/<id> with data centres .com,
// .eu, .in, .com.au and .jp (Zoho "Multi-DC"); single-org accounts omit the org segment.
const HOSTS = ['crm.zoho.com', 'crm.zoho.eu', 'crm.zoho.in', 'crm.zoho.com.au', 'crm.zoho.jp'];
const RECORD_PATH = /^\/crm\/(?:[A-Za-z0-9]+\/)?tab\/(Leads|Contacts|Accounts|Deals|CustomModule\d+)\/(\d{6,})\/?$/;

function detect(url: URL): RecordRef | undefined {
  if (!HOSTS.includes(url.hostname)) return undefined;
  const match = RECORD_PATH.exec(normalisedPath(url));
  if (!match) return undefined;
  return { crm: 'zoho', objectType: match[1] ?? '', recordId: match[2] ?? '' };
}

export const zoho: CrmAdapter = {
  id: 'zoho',
  label: 'Zoho CRM',
  matches: HOSTS.map((host) => `https://${host}/*`),
  detect,
};
