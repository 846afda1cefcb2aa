import type { CrmAdapter, RecordRef } from './types';
import { normalisedPath } from './url';

// Model-driven apps: https://<org>.crm<N>.dynamics.com/main.aspx?appid=..&pagetype=entityrecord
// &etn=<entity>&id=<guid> (Microsoft Learn "Open forms, views, dialogs, and reports with a URL");
// parameters come in any order and the id may carry braces, encoded or not.
const HOST = /\.crm\d*\.dynamics\.com$/;
const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;
const ENTITY = /^[a-z][a-z0-9_]*$/;

function detect(url: URL): RecordRef | undefined {
  if (!HOST.test(url.hostname) || !/^\/main\.aspx$/i.test(normalisedPath(url))) return undefined;
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
};
