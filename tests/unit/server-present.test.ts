// @vitest-environment node
/** The order a lead's CRM refs are shown in, whichever query read them (feed, lookup, detail). */
import { describe, expect, it } from 'vitest';
import { byRefOrder } from '../../server/service/present';
import type { RefRow } from '../../server/service/rescore';

const ref = (crm: string, objectType: string, recordId: string, host = ''): RefRow => ({ lead_id: 'ld_1', crm, object_type: objectType, record_id: recordId, host, url: null });
const key = (r: RefRow): string => `${r.crm}/${r.object_type}/${r.record_id}@${r.host}`;

describe('byRefOrder', () => {
  it.each([
    { name: 'by CRM first', refs: [ref('zoho', 'Leads', '1'), ref('kintone', '12', '9')], want: ['kintone/12/9@', 'zoho/Leads/1@'] },
    { name: 'then object type', refs: [ref('salesforce', 'Lead', '1'), ref('salesforce', 'Contact', '2')], want: ['salesforce/Contact/2@', 'salesforce/Lead/1@'] },
    { name: 'then record id, as text (not as a number)', refs: [ref('kintone', '12', '7'), ref('kintone', '12', '10'), ref('kintone', '12', '3')], want: ['kintone/12/10@', 'kintone/12/3@', 'kintone/12/7@'] },
    { name: 'then tenant, the unknown one first', refs: [ref('kintone', '12', '7', 'b.cybozu.com'), ref('kintone', '12', '7', ''), ref('kintone', '12', '7', 'a.cybozu.com')], want: ['kintone/12/7@', 'kintone/12/7@a.cybozu.com', 'kintone/12/7@b.cybozu.com'] },
    { name: 'by code unit, whatever the database collation: upper case before lower', refs: [ref('dynamics', 'lead', '1'), ref('dynamics', 'Lead', '1')], want: ['dynamics/Lead/1@', 'dynamics/lead/1@'] },
    { name: 'equal refs keep their place', refs: [ref('hubspot', 'contact', '5'), ref('hubspot', 'contact', '5')], want: ['hubspot/contact/5@', 'hubspot/contact/5@'] },
  ])('$name', ({ refs, want }) => {
    expect([...refs].sort(byRefOrder).map(key)).toEqual(want);
    expect([...refs].reverse().sort(byRefOrder).map(key)).toEqual(want);
  });
});
