/**
 * The link that opens a lead's record in the CRM, for alert mail and the dashboard. The ref's own
 * URL wins when it is https; otherwise it is built from the tenant host and the record's ids in
 * each CRM's documented record-page format (the same formats the extension recognises).
 */
import type { CrmRef } from '../../utils/api/contract';

const HOST = /^[a-z0-9.-]+(?::\d+)?$/i;
const enc = encodeURIComponent;

export function crmRecordUrl(ref: CrmRef): string | undefined {
  if (ref.url !== undefined && /^https:\/\//i.test(ref.url)) return ref.url;
  const host = ref.host;
  if (host === undefined) return undefined;
  switch (ref.crm) {
    case 'salesforce':
      return HOST.test(host) ? `https://${host}/lightning/r/${enc(ref.objectType)}/${enc(ref.recordId)}/view` : undefined;
    case 'kintone':
      return HOST.test(host) ? `https://${host}/k/${enc(ref.objectType)}/show#record=${enc(ref.recordId)}` : undefined;
    case 'hubspot':
      // The host of a HubSpot ref is the portal id.
      return /^\d+$/.test(host) ? `https://app.hubspot.com/contacts/${host}/record/${enc(ref.objectType)}/${enc(ref.recordId)}` : undefined;
    case 'dynamics':
      return HOST.test(host) ? `https://${host}/main.aspx?pagetype=entityrecord&etn=${enc(ref.objectType)}&id=${enc(ref.recordId)}` : undefined;
    case 'zoho':
      return HOST.test(host) ? `https://${host}/crm/tab/${enc(ref.objectType)}/${enc(ref.recordId)}` : undefined;
    default:
      return undefined;
  }
}

/** The first reference that yields a link. */
export function leadRecordUrl(refs: readonly CrmRef[]): string | undefined {
  for (const ref of refs) {
    const url = crmRecordUrl(ref);
    if (url !== undefined) return url;
  }
  return undefined;
}
