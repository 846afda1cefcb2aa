import type { CrmAdapter, RecordRef } from './types';
import { normalisedPath } from './url';

// A CRM record: /contacts/<portal>/record/<objectTypeId>/<id> (sources next to each shape in
// examples.ts). Object types a lead lives on: 0-1 contact, 0-2 company, 0-3 deal, 0-136 lead
// (the Leads object of the sales workspace), and the portal's custom objects (2-<n>); older
// links use /contacts/<portal>/contact/<id> (company/, deal/). The portal id is the tenant.
// Each data centre has its own app host: app (na1), app-na2, app-eu1, app-ap1.
const RECORD_PATH = /^\/contacts\/(\d+)\/record\/(0-1|0-2|0-3|0-136|2-\d+)\/(\d+)\/?$/;
const LEGACY_PATH = /^\/contacts\/(\d+)\/(contact|company|deal)\/(\d+)\/?$/;
const LEGACY_TYPE: Record<string, string> = { contact: '0-1', company: '0-2', deal: '0-3' };
const HOSTS = ['app.hubspot.com', 'app-na1.hubspot.com', 'app-na2.hubspot.com', 'app-eu1.hubspot.com', 'app-ap1.hubspot.com'];

function detect(url: URL): RecordRef | undefined {
  if (!HOSTS.includes(url.hostname)) return undefined;
  const path = normalisedPath(url);
  const record = RECORD_PATH.exec(path);
  if (record) return { crm: 'hubspot', objectType: record[2] ?? '', recordId: record[3] ?? '', host: record[1] ?? '' };
  const legacy = LEGACY_PATH.exec(path);
  if (legacy) return { crm: 'hubspot', objectType: LEGACY_TYPE[legacy[2] ?? ''] ?? '', recordId: legacy[3] ?? '', host: legacy[1] ?? '' };
  return undefined;
}

export const hubspot: CrmAdapter<'hubspot'> = {
  id: 'hubspot',
  label: 'HubSpot',
  matches: HOSTS.map((host) => `https://${host}/*`),
  detect,
};
