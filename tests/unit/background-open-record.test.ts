// Opening a lead's record from a notification: which record, in which CRM, or none.
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openRecord } from '../../utils/background/open-record';
import type { CrmRef } from '../../utils/api/contract';
import { toLeadRow } from '../../utils/db/schema';
import { DEFAULT_PREFERENCES, type Preferences } from '../../utils/preferences/schema';
import { freshDb, lead } from './db-helpers';

const SF: CrmRef = { crm: 'salesforce', objectType: 'Lead', recordId: '00Q1', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q1/view' };
const HS: CrmRef = { crm: 'hubspot', objectType: 'contact', recordId: '501', url: 'https://app.hubspot.com/contacts/1/record/0-1/501' };

async function open(refs: CrmRef[], lastCrm: string | null, prefs: Preferences = DEFAULT_PREFERENCES, leadId = 'L1') {
  const { db } = freshDb();
  await db.leads.put(toLeadRow(lead('L1', { crmRefs: refs }), 'u-sato', new Set()));
  const url = await openRecord({ browser: fakeBrowser, db, preferences: async () => prefs, lastCrm: async () => lastCrm }, leadId);
  const opened = (await fakeBrowser.tabs.query({})).flatMap((tab) => (tab.url ? [tab.url] : []));
  return { url, opened };
}

describe('opening a lead\'s record', () => {
  it.each([
    { name: 'the first record when the rep has worked in no CRM yet', refs: [SF, HS], lastCrm: null, expected: SF.url },
    { name: 'the record in the CRM the rep last worked in', refs: [SF, HS], lastCrm: 'hubspot', expected: HS.url },
    { name: 'the first record when the last CRM has none', refs: [SF], lastCrm: 'hubspot', expected: SF.url },
    { name: 'nothing for a record without an https link', refs: [{ ...SF, url: 'http://acme.example/00Q1' }], lastCrm: null, expected: undefined },
  ])('opens $name', async ({ refs, lastCrm, expected }) => {
    const { url, opened } = await open(refs, lastCrm);
    expect(url).toBe(expected);
    expect(opened).toEqual(expected ? [expected] : []);
  });

  it('skips a CRM the rep switched off', async () => {
    const prefs: Preferences = { ...DEFAULT_PREFERENCES, adapters: { ...DEFAULT_PREFERENCES.adapters, hubspot: false } };
    const { opened } = await open([SF, HS], 'hubspot', prefs);
    expect(opened).toEqual([SF.url]);
  });

  it('opens nothing for a lead not in the cache', async () => {
    const { url, opened } = await open([SF], null, DEFAULT_PREFERENCES, 'L404');
    expect(url).toBeUndefined();
    expect(opened).toEqual([]);
  });
});
