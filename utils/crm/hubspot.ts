import type { CrmAdapter, RecordRef } from './types';
import { normalisedPath } from './url';

// CRM record pages: https://app.hubspot.com/contacts/<portal>/record/<objectTypeId>/<id>
// with 0-1 contact, 0-2 company, 0-3 deal (HubSpot "object type IDs"); older links use
// /contacts/<portal>/contact/<id> (and company/, deal/). EU portals live on app-eu1.
const RECORD_PATH = /^\/contacts\/\d+\/record\/(0-[123])\/(\d+)\/?$/;
const LEGACY_PATH = /^\/contacts\/\d+\/(contact|company|deal)\/(\d+)\/?$/;
const LEGACY_TYPE: Record<string, string> = { contact: '0-1', company: '0-2', deal: '0-3' };

function detect(url: URL): RecordRef | undefined {
  if (!/^app(-[a-z]{2}\d)?\.hubspot\.com$/.test(url.hostname)) return undefined;
  const path = normalisedPath(url);
  const record = RECORD_PATH.exec(path);
  if (record) return { crm: 'hubspot', objectType: record[1] ?? '', recordId: record[2] ?? '' };
  const legacy = LEGACY_PATH.exec(path);
  if (legacy) return { crm: 'hubspot', objectType: LEGACY_TYPE[legacy[1] ?? ''] ?? '', recordId: legacy[2] ?? '' };
  return undefined;
}

export const hubspot: CrmAdapter = {
  id: 'hubspot',
  label: 'HubSpot',
  matches: ['https://app.hubspot.com/*', 'https://app-eu1.hubspot.com/*'],
  detect,
};
