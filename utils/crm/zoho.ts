import type { CrmAdapter, RecordRef } from './types';

// Record pages: https://crm.zoho.<dc>/crm/<org>/tab/<Module>/<id> with data centres .com,
// .eu, .in, .com.au and .jp (Zoho "Multi-DC"); single-org accounts omit the org segment.
const HOSTS = ['crm.zoho.com', 'crm.zoho.eu', 'crm.zoho.in', 'crm.zoho.com.au', 'crm.zoho.jp'];
const RECORD_PATH = /^\/crm\/(?:[A-Za-z0-9]+\/)?tab\/(Leads|Contacts|Accounts|Deals|CustomModule\d+)\/(\d{6,})\/?$/;

function detect(url: URL): RecordRef | undefined {
  if (!HOSTS.includes(url.hostname)) return undefined;
  const match = RECORD_PATH.exec(url.pathname);
  if (!match) return undefined;
  return { crm: 'zoho', objectType: match[1] ?? '', recordId: match[2] ?? '' };
}

export const zoho: CrmAdapter = {
  id: 'zoho',
  label: 'Zoho CRM',
  matches: HOSTS.map((host) => `https://${host}/*`),
  detect,
  examples: [
    { url: 'https://crm.zoho.jp/crm/org7001234567/tab/Leads/4876876000000123456', expect: { objectType: 'Leads', recordId: '4876876000000123456' } },
    { url: 'https://crm.zoho.com/crm/org7001234567/tab/Contacts/4876876000000654321', expect: { objectType: 'Contacts', recordId: '4876876000000654321' } },
    { url: 'https://crm.zoho.eu/crm/tab/Accounts/4876876000000111111', expect: { objectType: 'Accounts', recordId: '4876876000000111111' } },
    { url: 'https://crm.zoho.com.au/crm/org9/tab/Deals/4876876000000222222?sub_module=', expect: { objectType: 'Deals', recordId: '4876876000000222222' } },
  ],
  nearMisses: [
    'https://crm.zoho.jp/crm/org7001234567/tab/Leads',
    'https://crm.zoho.jp/crm/org7001234567/tab/Leads/custom-view/4876876000000087501/list',
    'https://crm.zoho.jp/crm/org7001234567/tab/Home/begin',
    'https://crm.zoho.jp/crm/org7001234567/settings/general',
    'https://crm.zoho.jp/crm/org7001234567/search?searchword=tanaka',
  ],
};
