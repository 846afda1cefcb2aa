// @vitest-environment node
/** The order a lead's CRM refs are shown in, whichever query read them (feed, lookup, detail); the feed summaries a bump stores. */
import { describe, expect, it } from 'vitest';
import { byRefOrder, feedViews, toSummary, type SummaryRow } from '../../server/service/present';
import type { RefRow, StoredScore } from '../../server/service/rescore';

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

describe('feedViews', () => {
  const score = (needReason?: StoredScore['needReason']): StoredScore => ({
    score: 72, scoreChange24h: 12, band: 'hot', ...(needReason ? { needDetectedAt: '2026-11-27T01:00:00.000Z', needReason, needSignal: 'form_submit' } : {}),
    stage: 'lead', waking: false, lastActivityAt: '2026-11-27T01:00:00.000Z',
  });
  const row = (name: string, company: string | null, s: StoredScore): SummaryRow => ({
    id: 'ld_1', name, company, email: 'a@example.jp', phone: null, owner_id: 'usr_1', owner_name: '佐藤', score: s, updated_at: Date.parse('2026-11-27T02:00:00Z'),
  });
  const refs = [ref('kintone', '12', '7', 'acme.cybozu.com')];
  const form = { key: 'need.form_submit', params: { title: 'お問い合わせ "料金"' } };
  it.each([
    { name: 'a reason: each language its own text', lead: row('山田 太郎', '株式会社ACME', score(form)) },
    { name: 'the key\'s own text inside the name and company', lead: row(',"needReason":"x"', '","needReason":', score(form)) },
    { name: 'a reason whose English text is also in the title', lead: row('Inquiry form: x', null, score({ key: 'need.form_submit', params: { title: ',"needReason":' } })) },
  ])('$name', ({ lead }) => {
    const views = feedViews(lead, refs);
    expect(views.en).toBe(JSON.stringify(toSummary(lead, refs, false, 'en')));
    expect(views.ja).toBe(JSON.stringify(toSummary(lead, refs, false, 'ja')));
    expect(JSON.parse(views.ja ?? '')).toEqual(toSummary(lead, refs, false, 'ja'));
  });
  it('no reason: one text for every reader', () => {
    const lead = row('山田 太郎', null, score());
    expect(feedViews(lead, refs)).toEqual({ en: JSON.stringify(toSummary(lead, refs, false, 'en')), ja: null });
    expect(toSummary(lead, refs, false, 'ja')).toEqual(toSummary(lead, refs, false, 'en'));
  });
});
