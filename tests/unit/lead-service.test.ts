import { describe, expect, it, vi } from 'vitest';
import type { ScoringApiClient } from '../../utils/api/client';
import type { LeadDetail, LeadSummary, TimelineEvent } from '../../utils/api/contract';
import { fail, ok } from '../../utils/api/errors';
import { LeadService } from '../../utils/background/leads';
import { toLeadRow } from '../../utils/db/schema';
import type { LeadPush } from '../../utils/messaging';
import { DEFAULT_TEAM_POLICY } from '../../utils/policy/cooldowns';
import { freshDb, iso, lead, MIN, NOW } from './db-helpers';

const event = (id: string, minutesAgo: number): TimelineEvent => ({ id, at: iso(NOW - minutesAgo * MIN), type: 'web_visit', title: `Visit ${id}` });
const detailOf = (summary: LeadSummary, timeline: TimelineEvent[], timelineCursor?: string): LeadDetail =>
  ({ ...summary, breakdown: [], timeline, timelineCursor, cooldowns: [], interests: [] });

function setup(api: { lookup?: LeadSummary | 'down'; detail?: LeadDetail | 'down'; older?: LeadDetail } = {}, pageLoaded?: (tabId: number) => Promise<void>) {
  const { db } = freshDb();
  const pushes: [number, LeadPush][] = [];
  const calls: string[] = [];
  let connected = true;
  const client: Pick<ScoringApiClient, 'lookup' | 'lead'> = {
    lookup: async () => {
      calls.push('lookup');
      if (api.lookup === 'down') return fail({ kind: 'unreachable', message: 'Cannot reach https://api.test (offline, or CORS not allowed)' });
      return api.lookup ? ok({ lead: api.lookup }) : fail({ kind: 'not_found', status: 404, message: 'Not found' });
    },
    lead: async (_id, cursor) => {
      calls.push(cursor ? `lead?cursor=${cursor}` : 'lead');
      if (cursor && api.older) return ok(api.older);
      if (!api.detail || api.detail === 'down') return fail({ kind: 'unreachable', message: 'offline' });
      return ok(api.detail);
    },
  };
  const service = new LeadService({
    db, loadConnection: async () => (connected ? { apiUrl: 'https://api.test', token: 't' } : null),
    createClient: () => client, followedIds: async () => new Set(), now: () => NOW,
    push: async (tabId, message) => { pushes.push([tabId, message]); },
    context: async () => CONTEXT,
    ...(pageLoaded ? { pageLoaded } : {}),
  });
  return { db, service, pushes, calls, disconnect: () => { connected = false; } };
}

const CONTEXT = { policy: DEFAULT_TEAM_POLICY, callWindowMinutes: 120, followed: false, muted: false, outbox: [] };
const KEY = { crm: 'salesforce', objectType: 'Lead', recordId: '00Q000000000000001', host: 'acme.my.salesforce.com' } as const;

describe('LeadService: stale-while-revalidate lookups', () => {
  it('answers at once from the cache, then pushes the fresher detail to the asking tab', async () => {
    const cached = lead('1', { score: 60 });
    const fresh = lead('1', { score: 81, band: 'hot' });
    const t = setup({ detail: detailOf(fresh, [event('e1', 5)]) });
    await t.db.leads.put(toLeadRow(cached, 'u-sato', new Set()));
    await t.db.syncState.put({ key: 'main', apiUrl: 'https://api.test', tokenKey: 'x', snapshotComplete: true, status: 'ok', failures: 0, leadsReceived: 1, skippedTotal: 0, recentSkipped: [], lastSuccessAt: NOW - 2 * MIN, userId: 'u-sato' });

    const reply = await t.service.lookup(KEY, 7);
    expect(reply).toEqual({ status: 'found', lead: cached, detail: undefined, asOf: iso(NOW - 2 * MIN), stale: false, context: CONTEXT });
    await t.service.idle();
    expect(t.pushes).toHaveLength(1);
    expect(t.pushes[0]?.[0]).toBe(7);
    expect(t.pushes[0]?.[1]).toMatchObject({ type: 'leadlens:lead', lead: { score: 81 }, detail: { timeline: [{ id: 'e1' }] } });
    expect((await t.db.leads.get('1'))?.summary.score).toBe(81);
    expect((await t.db.details.get('1'))?.detail.timeline).toHaveLength(1);
  });

  it("waits for the tab's page to load before refreshing, and skips it when the tab moved on", async () => {
    const loads: [number, () => void][] = [];
    const loaded = (tabId: number) => { for (const [tab, resolve] of loads) if (tab === tabId) resolve(); };
    const t = setup({ detail: detailOf(lead('1', { score: 81 }), []) }, (tabId) => new Promise((resolve) => loads.push([tabId, resolve])));
    await t.db.leads.put(toLeadRow(lead('1', { score: 60 }), 'u-sato', new Set()));
    await t.db.leads.put(toLeadRow(lead('2', { score: 40, crmRefs: [{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q00000000000B' }] }), 'u-sato', new Set()));

    expect(await t.service.lookup(KEY, 7)).toMatchObject({ status: 'found', lead: { score: 60 } });
    expect(await t.service.lookup(KEY, 8)).toMatchObject({ status: 'found' });
    // Answered; nothing fetched while the pages load.
    await Promise.resolve();
    expect(t.calls).toEqual([]);
    loaded(7);
    await vi.waitFor(() => expect(t.pushes.map(([tab]) => tab)).toEqual([7]));
    // Tab 8 moved to another lead before its page finished: that lookup refreshes lead 2 only.
    expect(await t.service.lookup({ crm: 'salesforce', objectType: 'Lead', recordId: '00Q00000000000B', host: 'acme.my.salesforce.com' }, 8)).toMatchObject({ status: 'found', lead: { id: '2' } });
    loaded(8);
    await t.service.idle();
    expect(t.calls).toEqual(['lead', 'lead']);
    // One fetch per tab: lead 1 for tab 7, lead 2 for tab 8 (the fake API answers with one detail).
    expect(t.pushes.map(([tab]) => tab)).toEqual([7, 8]);
    expect(await t.db.details.get('2')).toBeDefined();
  });

  it('says the cached answer is stale when sync is failing, and keeps it when the API is down', async () => {
    const cached = lead('1');
    const t = setup({ detail: 'down' });
    await t.db.leads.put(toLeadRow(cached, 'u-sato', new Set()));
    await t.db.syncState.put({ key: 'main', apiUrl: 'https://api.test', tokenKey: 'x', snapshotComplete: true, status: 'stale', failures: 2, leadsReceived: 1, skippedTotal: 0, recentSkipped: [], lastSuccessAt: NOW - 30 * MIN });
    expect(await t.service.lookup(KEY, 7)).toMatchObject({ status: 'found', lead: cached, stale: true, asOf: iso(NOW - 30 * MIN) });
    await t.service.idle();
    expect(t.pushes).toEqual([]);
    expect(await t.db.leads.get('1')).toBeDefined();
  });

  it('looks a lead up through the API when the cache does not know the record, and caches it', async () => {
    const found = lead('9', { crmRefs: [{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q000000000000001', host: 'acme.my.salesforce.com' }] });
    const t = setup({ lookup: found, detail: detailOf(found, [event('e1', 1)]) });
    const reply = await t.service.lookup(KEY, 3);
    expect(reply).toMatchObject({ status: 'found', lead: { id: '9' }, detail: { timeline: [{ id: 'e1' }] }, stale: false });
    expect(t.calls).toEqual(['lookup', 'lead']);
    expect(await t.db.leads.get('9')).toBeDefined();
    expect(t.service.watchers.get(3)).toBe('9');
  });

  it.each([
    ['not found', undefined, { status: 'not_found' }],
    ['API down', 'down' as const, { status: 'error', message: 'Cannot reach https://api.test (offline, or CORS not allowed)' }],
  ])('an unknown record with the API %s', async (_name, lookup, expected) => {
    const t = setup({ lookup });
    expect(await t.service.lookup(KEY, 3)).toEqual(expected);
  });

  it('reports not connected for an unknown record without a connection', async () => {
    const t = setup();
    t.disconnect();
    expect(await t.service.lookup(KEY)).toEqual({ status: 'not_connected' });
  });

  it('finds a lead by email, any case', async () => {
    const t = setup();
    await t.db.leads.put(toLeadRow(lead('1', { email: 'Taro@Acme.example.jp' }), 'u-sato', new Set()));
    expect(await t.service.lookup({ email: 'taro@acme.example.jp' })).toMatchObject({ status: 'found', lead: { id: '1' } });
  });

  it('loads older timeline pages and keeps them across a refresh', async () => {
    const summary = lead('1');
    const t = setup({ detail: detailOf(summary, [event('e3', 1), event('e2', 2)], 'c1'), older: detailOf(summary, [event('e1', 3)]) });
    await t.service.lookup(KEY, 1).catch(() => undefined);
    await t.db.leads.put(toLeadRow(summary, 'u-sato', new Set()));
    await t.service.lookup(KEY, 1);
    await t.service.idle();
    const older = await t.service.loadOlder('1');
    expect(older.ok && older.detail.timeline.map((e) => e.id)).toEqual(['e3', 'e2', 'e1']);
    expect(older.ok && older.detail.timelineCursor).toBeUndefined();
    await t.service.lookup(KEY, 1);
    await t.service.idle();
    expect((await t.db.details.get('1'))?.detail.timeline.map((e) => e.id)).toEqual(['e3', 'e2', 'e1']);
  });
});

describe('LeadService: the tenant is part of the record key', () => {
  const ref = (host?: string) => ({ crm: 'kintone' as const, objectType: '12', recordId: '34', ...(host ? { host } : {}) });
  const ours = { ...ref(), host: 'acme.cybozu.com' };
  const partners = { ...ref(), host: 'partner.cybozu.com' };

  it("does not answer a partner tenant's record with our cached lead", async () => {
    const t = setup();
    await t.db.leads.put(toLeadRow(lead('1', { crmRefs: [ref('acme.cybozu.com')] }), 'u-sato', new Set()));
    expect(await t.service.lookup(ours, 1)).toMatchObject({ status: 'found', lead: { id: '1' } });
    expect(await t.service.lookup(partners, 2)).toEqual({ status: 'not_found' });
    expect(t.calls).toContain('lookup');
  });

  it('matches any tenant with a ref that names none (a single-tenant team)', async () => {
    const t = setup();
    await t.db.leads.put(toLeadRow(lead('1', { crmRefs: [ref()] }), 'u-sato', new Set()));
    expect(await t.service.lookup(partners, 2)).toMatchObject({ status: 'found', lead: { id: '1' } });
  });

  it('refuses an API answer whose refs belong to another tenant (a server that ignores host)', async () => {
    const t = setup({ lookup: lead('1', { crmRefs: [ref('acme.cybozu.com')] }) });
    expect(await t.service.lookup(partners, 2)).toEqual({ status: 'not_found' });
    expect(await t.db.leads.get('1')).toBeUndefined();
    expect(t.service.watchers.get(2)).toBeUndefined();
  });
});
