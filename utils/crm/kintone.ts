import type { CrmAdapter, RecordRef } from './types';

// Record detail: https://<sub>.cybozu.com/k/<app>/show#record=<n> (guest spaces:
// /k/guest/<space>/<app>/show#record=<n>); the record lives in the hash, which kintone
// changes without a page load (https://cybozu.dev "kintone URL").
const SHOW_PATH = /^\/k\/(?:guest\/\d+\/)?(\d+)\/show\/?$/;

function detect(url: URL): RecordRef | undefined {
  if (!/\.(cybozu|kintone)\.com$/.test(url.hostname)) return undefined;
  const path = SHOW_PATH.exec(url.pathname);
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
  examples: [
    { url: 'https://acme.cybozu.com/k/12/show#record=345', expect: { objectType: '12', recordId: '345' } },
    { url: 'https://acme.cybozu.com/k/12/show#record=345&l.view=5520&l.q&l.sort_0=f6050&l.order_0=DESC', expect: { objectType: '12', recordId: '345' } },
    { url: 'https://acme.kintone.com/k/7/show#record=1', expect: { objectType: '7', recordId: '1' } },
    { url: 'https://acme.cybozu.com/k/guest/3/12/show#record=99', expect: { objectType: '12', recordId: '99' } },
  ],
  nearMisses: [
    'https://acme.cybozu.com/k/12/',
    'https://acme.cybozu.com/k/12/?view=5520',
    'https://acme.cybozu.com/k/12/show',
    'https://acme.cybozu.com/k/12/edit',
    'https://acme.cybozu.com/k/search?keyword=tanaka',
    'https://acme.cybozu.com/k/admin/app/flow?app=12',
    'https://acme.cybozu.com/k/#/portal',
  ],
};
