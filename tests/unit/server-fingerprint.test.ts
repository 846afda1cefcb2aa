/**
 * The feed fingerprint is stored with every lead (leads.fingerprint) and compared on each
 * re-score: a lead is bumped in /changes only when it moves. Any change to its bytes would bump
 * every lead of every live database once after an upgrade, so its value is pinned here. The
 * expected values were written by the first implementation (a Hash object per lead: SHA-256 of the
 * JSON of [name, company, email, phone, owner, team, sorted refs, stored score], base64url, 22
 * characters), independent of the one-shot hash now in use.
 */
import { describe, expect, it } from 'vitest';
import { fingerprintOf, type LeadRow, type RefRow, type StoredScore } from '../../server/service/rescore';

const lead: LeadRow = {
  id: 'ld_1', name: '田中 太郎', company: 'Acme "Tokyo"', email: 'taro@acme.jp', phone: null, owner_id: 'usr_1', team: 'east',
  job_title: '部長', employees: 300, created_at: 0, fingerprint: '',
};
const refs: RefRow[] = [
  { lead_id: 'ld_1', crm: 'salesforce', object_type: 'Lead', record_id: '00Q5', host: 'acme.my.salesforce.com', url: null },
  { lead_id: 'ld_1', crm: 'kintone', object_type: '12', record_id: '7', host: 'acme.cybozu.com', url: 'https://acme.cybozu.com/k/12/show#record=7' },
];
const hot: StoredScore = {
  score: 72, scoreChange24h: 18, band: 'hot', needDetectedAt: '2026-11-27T01:00:00.000Z', needReason: { key: 'reason.seminar', params: { title: 'Seminar' } },
  needSignal: 'seminar_attended', stage: 'lead', waking: false, lastActivityAt: '2026-11-27T01:00:00.000Z',
};
const cold: StoredScore = { score: 0, scoreChange24h: 0, band: 'cold', stage: 'lead', waking: false };

describe('fingerprintOf (stored feed fingerprint)', () => {
  it.each([
    { label: 'a hot lead with two refs (non-ASCII, a quote, a URL)', lead, refs, score: hot, want: '8F8-x5BxEhFJV3pfvrtAJb' },
    { label: 'a bare cold lead', lead: { ...lead, company: null, email: null, owner_id: null, team: null }, refs: [], score: cold, want: 'yHA0Ten3y1LdBtybFVvygQ' },
  ])('$label keeps the value stored by earlier versions', ({ lead: l, refs: r, score, want }) => {
    expect(fingerprintOf(l, r, score)).toBe(want);
  });

  it('refs count in any order; a visible field moves the value', () => {
    expect(fingerprintOf(lead, [...refs].reverse(), hot)).toBe('8F8-x5BxEhFJV3pfvrtAJb');
    expect(fingerprintOf({ ...lead, phone: '03-0000-0000' }, refs, hot)).not.toBe('8F8-x5BxEhFJV3pfvrtAJb');
  });
});
