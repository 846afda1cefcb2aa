// A payload from a "future server": a CRM, band, stage, event type, cooldown reason and score
// factor kind this build has never heard of, plus a malformed CRM reference and timeline event.
// Through the real client (over a fetch that answers the JSON), the real sync engine and the
// cache, then the panel's parts: every lead is kept, an unusable item is dropped alone, an
// unknown value renders generically.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { ScoringApiClient } from '../../utils/api/client';
import { countHotCallable, findByRef } from '../../utils/db/queries';
import { SyncEngine } from '../../utils/sync/engine';
import { Header } from '../../components/panel/Header';
import { Score } from '../../components/panel/Score';
import { freshDb, NOW } from './db-helpers';
import { englishRenderRoot } from './english';

const at = '2026-11-24T00:30:00.000Z';
const known = {
  id: 'L-known', name: '佐藤 一郎', score: 88, scoreChange24h: 5, band: 'hot', stage: 'lead', owner: { id: 'u-sato', name: '佐藤 健' },
  needDetectedAt: at, crmRefs: [{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV' }], updatedAt: at,
};
const future = {
  id: 'L-future', name: 'Future Lead', score: 91, scoreChange24h: 0,
  band: 'blazing', stage: 'nurture', owner: { id: 'u-sato', name: '佐藤 健' }, needDetectedAt: at,
  crmRefs: [
    { crm: 'pipedrive', objectType: 'person', recordId: '77', url: 'https://acme.pipedrive.com/person/77', region: 'eu' },
    { crm: 'kintone', objectType: '12' }, // no record id: unusable, dropped alone
    { crm: 'kintone', objectType: '12', recordId: '345', host: 'acme.cybozu.com' },
  ],
  updatedAt: at, sentiment: 'positive', tags: ['new-field'],
};
const futureDetail = {
  ...future,
  breakdown: [
    { key: 'intent', label: 'Buying intent (AI)', points: 30, kind: 'intent' }, // unknown kind: dropped alone
    { key: 'pricing', label: 'Pricing page', points: 20, kind: 'behavior' },
  ],
  timeline: [
    { id: 'e1', at, type: 'webinar_poll_answered', title: 'Answered a poll', channel: 'webinar' },
    { id: 'e2', type: 'seminar_attended', title: 'No date' }, // no `at`: dropped alone
    { id: 'e3', at, type: 'seminar_attended', title: 'kintone活用セミナー' },
  ],
  cooldowns: [
    { reason: 'legal_hold', severity: 'block', message: 'Legal hold until the contract review ends' },
    { reason: 'quiet_hours', severity: 'advisory', message: 'Unknown severity' }, // dropped alone
  ],
  interests: [{ topic: 'kintone', weight: 3 }, { topic: 'broken' }],
};

function futureServer() {
  const fetchImpl = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    const body = url.pathname === '/v1/me'
      ? { user: { id: 'u-sato', name: '佐藤 健', email: 'sato@example.jp' }, settings: { hotThreshold: 70, callWindowMinutes: 120 }, plan: 'enterprise' }
      : url.pathname === '/v1/leads/changes'
        ? { leads: [known, future], removed: [], cursor: 'c1', hasMore: false, serverVersion: '2.0' }
        : url.pathname === '/v1/leads/lookup' ? { lead: future } : futureDetail;
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', ETag: '"f1"' } });
  }) as typeof fetch;
  return new ScoringApiClient({ baseUrl: 'https://future.example.test', token: 'tok', fetch: fetchImpl });
}

let root: HTMLDivElement;
englishRenderRoot((element) => (root = element));

describe('a payload from a future server', () => {
  it('the client keeps every lead and drops only the unusable items', async () => {
    const client = futureServer();
    const page = await client.changes({});
    if (!page.ok || 'notModified' in page.value) throw new Error(`expected a page: ${JSON.stringify(page)}`);
    expect(page.value.skipped).toEqual([]);
    expect(page.value.leads.map((l) => l.id)).toEqual(['L-known', 'L-future']);
    const lead = page.value.leads[1]!;
    expect(lead.band).toBe('blazing');
    expect(lead.stage).toBe('nurture');
    expect(lead.crmRefs).toEqual([
      { crm: 'pipedrive', objectType: 'person', recordId: '77', url: 'https://acme.pipedrive.com/person/77' },
      { crm: 'kintone', objectType: '12', recordId: '345', host: 'acme.cybozu.com' },
    ]);

    const looked = await client.lookup({ crm: 'pipedrive', objectType: 'person', recordId: '77' });
    expect(looked.ok && looked.value.lead.crmRefs).toHaveLength(2);

    const detail = await client.lead('L-future');
    if (!detail.ok) throw new Error(`expected a detail: ${JSON.stringify(detail.error)}`);
    expect(detail.value.breakdown.map((f) => f.key)).toEqual(['pricing']);
    expect(detail.value.timeline.map((e) => [e.id, e.type])).toEqual([['e1', 'webinar_poll_answered'], ['e3', 'seminar_attended']]);
    expect(detail.value.cooldowns).toEqual([{ reason: 'legal_hold', severity: 'block', message: 'Legal hold until the contract review ends' }]);
    expect(detail.value.interests).toEqual([{ topic: 'kintone', weight: 3 }]);
  });

  it('the sync engine stores both leads; the unknown CRM is looked up like any other; an unknown band is not counted hot', async () => {
    const { db } = freshDb();
    const client = futureServer();
    const engine = new SyncEngine({
      db,
      loadConnection: async () => ({ apiUrl: 'https://future.example.test', token: 'tok' }),
      createClient: () => client,
      followedIds: async () => new Set(),
      now: () => NOW,
      random: () => 1,
    });
    const report = await engine.sync();
    expect(report).toMatchObject({ outcome: 'updated', skipped: 0 });
    expect((await db.leads.toArray()).map((row) => row.id).sort()).toEqual(['L-future', 'L-known']);
    expect((await findByRef(db, 'pipedrive', 'person', '77', 'acme.pipedrive.com'))?.id).toBe('L-future');
    expect((await findByRef(db, 'kintone', '12', '345', 'acme.cybozu.com'))?.id).toBe('L-future');
    // 'blazing' may mean hot to a newer server; this build only counts what it knows is hot.
    expect(await countHotCallable(db, NOW)).toBe(1);
  });

  it('the panel shows an unknown band and stage as the API\'s own words, as text', async () => {
    const page = await futureServer().changes({});
    if (!page.ok || 'notModified' in page.value) throw new Error('expected a page');
    const lead = page.value.leads[1]!;
    render(<><Header lead={lead} /><Score lead={lead} /></>, root);
    expect(root.querySelector('.chip.stage')?.textContent).toBe('nurture');
    expect(root.querySelector('.chip.stage')?.className).toBe('chip stage stage-other');
    expect(root.querySelector('[data-testid="lead-band"]')?.textContent).toBe('blazing');
    expect(root.querySelector('.score')?.className).toBe('score band-other');

    render(<><Header lead={page.value.leads[0]!} /><Score lead={page.value.leads[0]!} /></>, root);
    expect(root.querySelector('.chip.stage')?.textContent).toBe('Prospect');
    expect(root.querySelector('[data-testid="lead-band"]')?.textContent).toBe('Hot');
  });
});
