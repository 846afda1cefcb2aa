import type { CrmAdapter, RecordRef } from './types';
import { canonicalTenant } from './tenant';
import { normalisedPath } from './url';

// A record, however the rep reached it (sources next to each shape in examples.ts):
// - Lightning: /lightning/r/<Object>/<id>/view, its edit page (…/edit) and its related lists
//   (…/related/<List>/view; the panel shows the parent record); the object may be left out
//   (/lightning/r/<id>/view). The console adds query parameters (ws=…): the path decides.
// - Lightning's older address, /one/one.app#/sObject/<id>/view, still opened from old links.
// - Classic, on My Domain: /<id> and its edit page /<id>/e.
// Hosts: <MyDomain>.lightning.force.com and <MyDomain>.my.salesforce.com, sandboxes
// (<name>--<sandbox>.sandbox.…) and Developer Edition (….develop.…) included.
const ID = '([a-zA-Z0-9]{15}|[a-zA-Z0-9]{18})';
const OBJECT = '(Lead|Contact|Account|Opportunity|[A-Za-z][A-Za-z0-9_]*__c)';
const LIGHTNING = new RegExp(`^/lightning/r/(?:${OBJECT}/)?${ID}/(?:view|edit|related/[A-Za-z][A-Za-z0-9_]*/view)/?$`);
const CLASSIC = new RegExp(`^/${ID}(?:/e)?/?$`);
const ONE_APP_HASH = new RegExp(`^#/sObject/${ID}/view/?(?:\\?.*)?$`);

// Every Salesforce id starts with its object's key prefix; a mismatch is not a record we know.
const KEY_PREFIX: Record<string, string> = { Lead: '00Q', Contact: '003', Account: '001', Opportunity: '006' };
const OBJECT_OF_PREFIX: Record<string, string> = Object.fromEntries(Object.entries(KEY_PREFIX).map(([o, p]) => [p, o]));

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character, case-insensitive form of a 15-character id (Salesforce's checksum suffix). */
export function toEighteenCharId(id: string): string {
  if (id.length !== 15) return id;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return id + suffix;
}

// One label for the My Domain name, optionally one for the org kind (sandbox, develop...) or, before
// enhanced domains, the instance (cs42).
const HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)?\.(lightning\.force\.com|my\.salesforce\.com)$/;

/**
 * The record an object name (or none) and an id stand for: a standard object's id must carry its
 * key prefix; a custom object's (…__c) prefix is the org's own, so any id goes; with no object
 * named, the prefix names it (standard objects only).
 */
function record(host: string, objectType: string | undefined, id: string): RecordRef | undefined {
  const type = objectType ?? OBJECT_OF_PREFIX[id.slice(0, 3)];
  if (!type) return undefined;
  if (type in KEY_PREFIX ? !id.startsWith(KEY_PREFIX[type] ?? '\0') : !type.endsWith('__c')) return undefined;
  return { crm: 'salesforce', objectType: type, recordId: toEighteenCharId(id), host: canonicalTenant('salesforce', host) };
}

function detect(url: URL): RecordRef | undefined {
  const host = HOST.exec(url.hostname);
  if (!host) return undefined;
  const path = normalisedPath(url);
  const lightning = LIGHTNING.exec(path);
  if (lightning) return record(url.hostname, lightning[1], lightning[2] ?? '');
  if (path === '/one/one.app' || path === '/one/one.app/') {
    const hash = ONE_APP_HASH.exec(url.hash);
    return hash ? record(url.hostname, undefined, hash[1] ?? '') : undefined;
  }
  // Classic pages live on My Domain only; Lightning's host has no /<id> pages.
  const classic = host[1] === 'my.salesforce.com' ? CLASSIC.exec(path) : null;
  return classic ? record(url.hostname, undefined, classic[1] ?? '') : undefined;
}

export const salesforce: CrmAdapter<'salesforce'> = {
  id: 'salesforce',
  label: 'Salesforce',
  matches: ['https://*.lightning.force.com/*', 'https://*.my.salesforce.com/*'],
  detect,
};
