import type { CrmAdapter, RecordRef } from './types';
import { canonicalTenant } from './tenant';
import { normalisedPath } from './url';

// Model-driven apps: https://<org>.crm<N>.dynamics.com/main.aspx?appid=..&pagetype=entityrecord
// &etn=<table>&id=<guid> (sources next to each shape in examples.ts); parameters come in any order
// and the id may carry braces, encoded or not. crm<N> is the region (crm = North America,
// crm4 = EMEA, crm7 = Japan, ... crm21). Tables a lead lives on: lead, contact, account,
// opportunity; Dynamics' URL does not tell a team's own tables from Microsoft's, so those are
// left to custom rules.
const HOST = /^[a-z0-9-]+\.crm(?:[2-9]|1\d|2[01])?\.dynamics\.com$/;
const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;
const TABLES = new Set(['lead', 'contact', 'account', 'opportunity']);
const REGIONS = ['crm', ...Array.from({ length: 20 }, (_, i) => `crm${i + 2}`)];

function detect(url: URL): RecordRef | undefined {
  if (!HOST.test(url.hostname) || !/^\/main\.aspx$/i.test(normalisedPath(url))) return undefined;
  const params = url.searchParams;
  if (params.get('pagetype')?.toLowerCase() !== 'entityrecord') return undefined;
  const table = params.get('etn')?.toLowerCase() ?? '';
  const guid = GUID.exec(params.get('id')?.trim() ?? '');
  if (!TABLES.has(table) || !guid) return undefined;
  return { crm: 'dynamics', objectType: table, recordId: (guid[1] ?? '').toLowerCase(), host: canonicalTenant('dynamics', url.hostname) };
}

export const dynamics: CrmAdapter<'dynamics'> = {
  id: 'dynamics',
  label: 'Dynamics 365',
  matches: REGIONS.map((region) => `https://*.${region}.dynamics.com/*`),
  detect,
};
