import type { CrmAdapter, RecordRef } from './types';
import { normalisedPath } from './url';

// Record detail: https://<sub>.cybozu.com/k/<app>/show#record=<n> (guest spaces:
// /k/guest/<space>/<app>/show#record=<n>); the record lives in the hash, which kintone
// changes without a page load (https://cybozu.dev "kintone URL").
const SHOW_PATH = /^\/k\/(?:guest\/\d+\/)?(\d+)\/show\/?$/;

function detect(url: URL): RecordRef | undefined {
  if (!/\.(cybozu|kintone)\.com$/.test(url.hostname)) return undefined;
  const path = SHOW_PATH.exec(normalisedPath(url));
  if (!path) return undefined;
  const record = new URLSearchParams(url.hash.replace(/^#/, '')).get('record');
  if (!record || !/^\d+$/.test(record)) return undefined;
  return { crm: 'kintone', objectType: path[1] ?? '', recordId: record };
}

export const kintone: CrmAdapter = {
  id: 'kintone',
  label: 'kintone',
  matches: ['https://*.cybozu.com/*', 'https://*.kintone.com/*'],
  detect,
};
