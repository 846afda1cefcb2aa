import type { CrmAdapter, RecordRef } from './types';

// Model-driven apps: https://<org>.crm<N>.dynamics.com/main.aspx?appid=..&pagetype=entityrecord
// &etn=<entity>&id=<guid> (Microsoft Learn "Open forms, views, dialogs, and reports with a URL");
// parameters come in any order and the id may carry braces, encoded or not.
const HOST = /\.crm\d*\.dynamics\.com$/;
const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;
const ENTITY = /^[a-z][a-z0-9_]*$/;

function detect(url: URL): RecordRef | undefined {
  if (!HOST.test(url.hostname) || !/^\/main\.aspx$/i.test(url.pathname)) return undefined;
  const params = url.searchParams;
  if (params.get('pagetype')?.toLowerCase() !== 'entityrecord') return undefined;
  const entity = params.get('etn')?.toLowerCase() ?? '';
  const guid = GUID.exec(params.get('id')?.trim() ?? '');
  if (!ENTITY.test(entity) || !guid) return undefined;
  return { crm: 'dynamics', objectType: entity, recordId: (guid[1] ?? '').toLowerCase() };
}

export const dynamics: CrmAdapter = {
  id: 'dynamics',
  label: 'Dynamics 365',
  matches: ['https://*.dynamics.com/*'],
  detect,
  examples: [
    { url: 'https://acme.crm7.dynamics.com/main.aspx?appid=8f0d2b1e-0000-4000-8000-000000000001&pagetype=entityrecord&etn=lead&id=3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b', expect: { objectType: 'lead', recordId: '3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b' } },
    { url: 'https://acme.crm.dynamics.com/main.aspx?etn=contact&id=%7B3F2A7C1E-5B6D-4E8F-9A0B-1C2D3E4F5A6B%7D&pagetype=entityrecord', expect: { objectType: 'contact', recordId: '3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b' } },
    { url: 'https://acme.crm7.dynamics.com/main.aspx?id={0a1b2c3d-0000-4000-8000-00000000abcd}&pagetype=entityrecord&etn=account&appid=8f0d2b1e-0000-4000-8000-000000000001', expect: { objectType: 'account', recordId: '0a1b2c3d-0000-4000-8000-00000000abcd' } },
  ],
  nearMisses: [
    'https://acme.crm7.dynamics.com/main.aspx?appid=8f0d2b1e-0000-4000-8000-000000000001&pagetype=entitylist&etn=lead&viewid=00000000-0000-0000-00aa-000010001004',
    'https://acme.crm7.dynamics.com/main.aspx?pagetype=entityrecord&etn=lead',
    'https://acme.crm7.dynamics.com/main.aspx?pagetype=dashboard&id=3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b',
    'https://acme.crm7.dynamics.com/main.aspx?settingsonly=true',
    'https://admin.powerplatform.dynamics.com/environments',
  ],
};
