import type { CrmAdapter, RecordRef } from './types';
import { normalisedPath } from './url';

// Lightning record URLs: https://<domain>.lightning.force.com/lightning/r/<Object>/<id>/view
// (https://help.salesforce.com "Lightning Experience URL format"). The console opens the same
// path with extra query parameters (ws=, 0.source=), so the path alone decides.
const RECORD_PATH = /^\/lightning\/r\/(Lead|Contact|Account|Opportunity)\/([a-zA-Z0-9]{15}|[a-zA-Z0-9]{18})\/view\/?$/;

// Every Salesforce id starts with its object's key prefix; a mismatch is not a record we know.
const KEY_PREFIX: Record<string, string> = { Lead: '00Q', Contact: '003', Account: '001', Opportunity: '006' };

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

function detect(url: URL): RecordRef | undefined {
  if (!url.hostname.endsWith('.lightning.force.com')) return undefined;
  const match = RECORD_PATH.exec(normalisedPath(url));
  if (!match) return undefined;
  const [, objectType = '', id = ''] = match;
  if (!id.startsWith(KEY_PREFIX[objectType] ?? '\0')) return undefined;
  return { crm: 'salesforce', objectType, recordId: toEighteenCharId(id) };
}

export const salesforce: CrmAdapter = {
  id: 'salesforce',
  label: 'Salesforce Lightning',
  matches: ['https://*.lightning.force.com/*'],
  detect,
};
