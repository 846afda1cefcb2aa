import { describe, expect, it } from 'vitest';
import { orderHotNow, recordUrl, stockOf } from '../../utils/popup/lists';
import { iso, lead, MIN, NOW } from './db-helpers';

describe('Hot now order', () => {
  it('puts the least time left first, then missed windows and leads without one, each by score', () => {
    const rows = orderHotNow([
      lead('no-window-90', { band: 'hot', score: 90 }),
      lead('missed', { band: 'hot', score: 99, needDetectedAt: iso(NOW - 150 * MIN) }),
      lead('open-100-left', { band: 'hot', score: 70, needDetectedAt: iso(NOW - 20 * MIN) }),
      lead('open-20-left', { band: 'hot', score: 72, needDetectedAt: iso(NOW - 100 * MIN) }),
      lead('no-window-95', { band: 'hot', score: 95 }),
    ], 120, NOW);
    expect(rows.map((r) => r.lead.id)).toEqual(['open-20-left', 'open-100-left', 'missed', 'no-window-95', 'no-window-90']);
    expect(rows[0]?.window).toMatchObject({ state: 'open', remainingMs: 20 * MIN });
  });
});

describe('Stock', () => {
  it('lists unowned warm leads by score', () => {
    const stock = stockOf([
      lead('owned', { band: 'warm', score: 60 }),
      lead('free-55', { band: 'warm', score: 55, owner: undefined }),
      lead('free-65', { band: 'warm', score: 65, owner: undefined }),
      lead('cold', { band: 'cold', owner: undefined }),
    ]);
    expect(stock.map((l) => l.id)).toEqual(['free-65', 'free-55']);
  });
});

describe('record to open', () => {
  const refs = lead('x', {
    crmRefs: [
      { crm: 'kintone', objectType: '12', recordId: '1', url: 'javascript:alert(1)' },
      { crm: 'hubspot', objectType: '0-1', recordId: '5', url: 'https://app.hubspot.com/contacts/1/record/0-1/5' },
      { crm: 'salesforce', objectType: 'Lead', recordId: '00Q', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q/view' },
    ],
  });
  it.each([
    ['the first https link of an enabled CRM', () => true, 'https://app.hubspot.com/contacts/1/record/0-1/5'],
    ['skipping a CRM switched off', (crm: string) => crm !== 'hubspot', 'https://acme.lightning.force.com/lightning/r/Lead/00Q/view'],
    ['nothing when none is enabled', () => false, undefined],
  ])('%s', (_name, enabled, expected) => {
    expect(recordUrl(refs, enabled)).toBe(expected);
  });

  it('prefers the CRM the rep last worked in', () => {
    expect(recordUrl(refs, () => true, 'salesforce')).toBe('https://acme.lightning.force.com/lightning/r/Lead/00Q/view');
    expect(recordUrl(refs, () => true, 'zoho')).toBe('https://app.hubspot.com/contacts/1/record/0-1/5');
  });
});
