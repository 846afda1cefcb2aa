import type { CrmAdapter, RecordRef } from './types';
import { canonicalTenant } from './tenant';
import { normalisedPath } from './url';

// A record's page (sources next to each shape in examples.ts):
// - desktop: /k/<app>/show#record=<n>, in a guest space /k/guest/<space>/<app>/show#record=<n>;
//   the record lives in the hash, which kintone changes without a page load, and the edit
//   mode is the same page with `mode=edit` in the hash;
// - mobile: /k/m/<app>/show?record=<n>, in a guest space /k/guest/<space>/m/<app>/show?record=<n>.
// Hosts: <sub>.cybozu.com (Japan), <sub>.kintone.com (US), <sub>.cybozu.cn (China), each also
// behind secure access (<sub>.s.cybozu.com...). The app id is the object type: every kintone app
// is the team's own, so any app may hold leads.
const DESKTOP = /^\/k\/(?:guest\/\d+\/)?(\d+)\/show\/?$/;
const MOBILE = /^\/k\/(?:guest\/\d+\/)?m\/(\d+)\/show\/?$/;
const HOST = /^[a-z0-9-]+(?:\.s)?\.(?:cybozu\.com|kintone\.com|cybozu\.cn)$/;

function detect(url: URL): RecordRef | undefined {
  if (!HOST.test(url.hostname)) return undefined;
  const path = normalisedPath(url);
  const desktop = DESKTOP.exec(path);
  const mobile = desktop ? null : MOBILE.exec(path);
  const app = desktop?.[1] ?? mobile?.[1];
  if (!app) return undefined;
  const params = desktop ? new URLSearchParams(url.hash.replace(/^#/, '')) : url.searchParams;
  const record = params.get('record');
  if (!record || !/^\d+$/.test(record)) return undefined;
  return { crm: 'kintone', objectType: app, recordId: record, host: canonicalTenant('kintone', url.hostname) };
}

export const kintone: CrmAdapter<'kintone'> = {
  id: 'kintone',
  label: 'kintone',
  matches: ['https://*.cybozu.com/*', 'https://*.kintone.com/*', 'https://*.cybozu.cn/*'],
  detect,
};
