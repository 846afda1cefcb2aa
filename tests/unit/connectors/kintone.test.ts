// @vitest-environment node
/**
 * kintone: the admin's app mapping (leads / activities), the URL secret, the documented
 * notifications, and the scheduled REST pull against a local fake kintone: paging past 500,
 * 429/5xx retried, a wrong token not retried, an interrupted pull resumed from its saved position.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parseConnectorsConfig } from '../../../server/connectors';
import { mapActivityRecord, mapLeadRecord, mapNotification } from '../../../server/connectors/kintone/map';
import { pageQuery, pullOnce, type PullDeps } from '../../../server/connectors/kintone/pull';
import { KintoneConfig, KintoneNotification, type KintoneRecord } from '../../../server/connectors/kintone/schema';
import { MemoryStateStore } from '../../../server/connectors/state';
import { FakeKintone } from './fakes/kintone';
import { MemorySink } from './memory-sink';
import { PinnedClock, connectorsApp, fixture } from './helpers';

const SECRET = 'k1ntone-url-secret-abcdefghijklmn';
const leadsApp = {
  app: '1', target: 'leads',
  fields: {
    name: ['姓', '名'], company: '会社名', email: 'メールアドレス', phone: '電話番号', ownerEmail: '担当者',
    employees: '従業員数', stage: { field: 'ステータス', values: { 商談中: 'process', 休眠: 'sleep' } },
  },
} as const;
const activitiesApp = {
  app: '7', target: 'activities',
  fields: {
    lead: { leadsApp: '1', recordNumber: 'リード番号' },
    type: { field: '区分', values: { 来場: 'seminar_attended', 申込: 'seminar_registered' } },
    at: '参加日時', title: 'セミナー名',
  },
} as const;
const config = KintoneConfig.parse({ id: 'main', orgId: 'org1', host: 'example.cybozu.com', urlSecret: SECRET, apps: [leadsApp, activitiesApp] });
const rec = (fields: Record<string, unknown>, id = '9'): KintoneRecord => ({
  $id: { type: '__ID__', value: id },
  ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { type: 'SINGLE_LINE_TEXT', value: v }])),
});

describe('kintone mapping', () => {
  it('the documented ADD_RECORD becomes a lead with the tenant host in its crmRef', () => {
    const n = KintoneNotification.parse(JSON.parse(fixture('kintone/webhook-add-record.json')));
    expect(mapNotification(config, n)).toEqual({
      leads: [{
        externalId: 'kintone:example.cybozu.com:1:2',
        name: '佐藤 昇', company: 'サイボウズ株式会社', email: 'sato@example.com', phone: '03-1234-5678',
        ownerEmail: 'tanaka@example.com', employees: 1200, stage: 'process',
        crmRefs: [{ crm: 'kintone', objectType: '1', recordId: '2', host: 'example.cybozu.com', url: 'https://example.cybozu.com/k/1/show#record=2' }],
      }],
    });
  });
  it('an activity record becomes an event on the lead record it looks up', () => {
    const n = KintoneNotification.parse(JSON.parse(fixture('kintone/webhook-activity-record.json')));
    expect(mapNotification(config, n)).toEqual({
      events: [{
        id: 'kintone:example.cybozu.com:7:15',
        lead: { crm: 'kintone', objectType: '1', recordId: '2', host: 'example.cybozu.com' },
        type: 'seminar_attended', at: '2017-07-05T05:00:00Z', title: '営業DXセミナー 2017夏', channel: 'kintone',
        meta: { kintoneRecord: 'https://example.cybozu.com/k/7/show#record=15' },
      }],
    });
  });
  it.each([
    ['no name', leadsApp, rec({ 会社名: 'A' }), { rejected: '姓 + 名: the name is empty' }],
    ['employees not a number', leadsApp, rec({ 姓: '佐藤', 従業員数: 'many' }), { rejected: '従業員数: "many" is not a number of employees' }],
    ['no id', leadsApp, { 姓: { type: 'SINGLE_LINE_TEXT', value: '佐藤' } }, { rejected: '$id: the record has no id' }],
  ] as const)('lead: %s', (_n, m, r, expected) => {
    expect(mapLeadRecord('example.cybozu.com', KintoneConfig.parse({ ...config, apps: [m] }).apps[0] as never, r as KintoneRecord)).toEqual(expected);
  });
  it.each([
    ['type not mapped', rec({ リード番号: '2', 区分: 'キャンセル', 参加日時: '2017-07-05T05:00:00Z' }), 'ignored'],
    ['no lead number', rec({ 区分: '来場', 参加日時: '2017-07-05T05:00:00Z' }), 'rejected'],
    ['no date', rec({ リード番号: 'LEAD-2', 区分: '来場' }), 'rejected'],
  ] as const)('activity: %s', (_n, r, kind) => {
    expect(mapActivityRecord('example.cybozu.com', config.apps[1] as never, r)).toHaveProperty(kind);
  });
  it('a DATE-only value reads as midnight in Japan; a lookup value with an app code keeps its number', () => {
    const out = mapActivityRecord('h', config.apps[1] as never, rec({ リード番号: 'LEAD-12', 区分: '申込', 参加日時: '2017-07-05' }));
    expect(out).toMatchObject({ events: [{ at: '2017-07-05T00:00:00+09:00', type: 'seminar_registered', lead: { recordId: '12' } }] });
  });
  it('a notification from another tenant is rejected; deletion and unmapped apps are ignored', () => {
    const add = JSON.parse(fixture('kintone/webhook-add-record.json'));
    expect(mapNotification(config, KintoneNotification.parse({ ...add, url: 'https://other.cybozu.com/k/1/show#record=2' })))
      .toEqual({ rejected: 'url: host other.cybozu.com is not this connector\'s tenant example.cybozu.com' });
    expect(mapNotification(config, KintoneNotification.parse(JSON.parse(fixture('kintone/webhook-delete-record.json'))))).toHaveProperty('ignored');
    expect(mapNotification(config, KintoneNotification.parse({ ...add, app: { id: '99', name: 'x' } }))).toHaveProperty('ignored');
  });
  it('config errors name the path', () => {
    expect(() => parseConnectorsConfig({ kintone: [{ ...config, urlSecret: 'short', apps: [{ ...leadsApp, app: 'leads' }] }] }))
      .toThrow(/kintone\.0\.urlSecret: at least 24.*\n.*kintone\.0\.apps\.0\.app: the app id/s);
  });
});

describe('kintone webhook route', () => {
  let app: FastifyInstance | undefined;
  let sink: MemorySink;
  beforeEach(async () => {
    const made = await connectorsApp({ kintone: [{ ...config, apps: [leadsApp, activitiesApp] }] }, new PinnedClock(0));
    app = made.app; sink = made.sink;
  });
  afterEach(async () => { await app?.close(); });
  const post = (body: string, secret = SECRET, id = 'main') =>
    app!.inject({ method: 'POST', url: `/v1/connectors/kintone/${id}/${secret}`, payload: body, headers: { 'content-type': 'application/json' } });

  it.each([['wrong secret', 'x'.repeat(32), 'main'], ['unknown connector', SECRET, 'other']])('%s → 401, nothing stored', async (_n, secret, id) => {
    const res = await post(fixture('kintone/webhook-add-record.json'), secret, id);
    expect(res.statusCode).toBe(401);
    expect(sink.calls).toBe(0);
  });
  it('record, activity, comment, delete: each answered 200 with what happened', async () => {
    expect((await post(fixture('kintone/webhook-add-record.json'))).json()).toMatchObject({ upserted: 1, rejected: [] });
    expect((await post(fixture('kintone/webhook-activity-record.json'))).json()).toMatchObject({ accepted: 1 });
    expect((await post(fixture('kintone/webhook-comment.json'))).json()).toMatchObject({ accepted: 1 });
    expect((await post(fixture('kintone/webhook-delete-record.json'))).json()).toMatchObject({ ignored: 1 });
    // An edit of the activity record later is the same touchpoint.
    const edited = fixture('kintone/webhook-activity-record.json').replace('"ADD_RECORD"', '"UPDATE_RECORD"');
    expect((await post(edited)).json()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect([...sink.leads.keys()]).toEqual(['org1/kintone:example.cybozu.com:1:2']);
    expect(sink.eventList().map((e) => [e.type, e.detail ?? e.title])).toEqual([
      ['seminar_attended', '営業DXセミナー 2017夏'],
      ['crm_comment', '佐藤 昇 \nご確認お願いします。'],
    ]);
  });
  it('a notification missing fields is rejected with the reason; a body that is not JSON is 400', async () => {
    const res = await post(JSON.stringify({ id: 'x', type: 'ADD_RECORD', app: { id: '1' } }));
    expect(res.statusCode).toBe(200);
    expect(res.json().rejected).toEqual([{ index: 0, error: expect.stringMatching(/record.*url|url.*record/s) }]);
    expect((await post('{oops')).statusCode).toBe(400);
  });
});

describe('kintone REST pull', () => {
  let fake: FakeKintone;
  let sink: MemorySink;
  let state: MemoryStateStore;
  const slept: number[] = [];
  beforeEach(async () => {
    fake = new FakeKintone();
    await fake.start();
    sink = new MemorySink();
    state = new MemoryStateStore();
    slept.length = 0;
  });
  afterEach(async () => { await fake.stop(); });

  const pullConfig = () => KintoneConfig.parse({ ...config, pull: { enabled: true, apiToken: fake.token, baseUrl: fake.url } });
  const deps = (): PullDeps => ({ sink, state, clock: new PinnedClock(Date.parse('2024-05-01T00:00:00Z')), fetch: (u, i) => fetch(u, i), sleep: async (ms) => { slept.push(ms); } });
  /** 1,203 leads, many sharing a minute (kintone's 更新日時 has minute precision). */
  function seedLeads(n = 1203) {
    for (let i = 1; i <= n; i += 1) {
      const minute = String(Math.floor(i / 100)).padStart(2, '0');
      fake.add({ app: '1', id: i, updated: `2024-04-30T10:${minute}:00Z`, fields: { 姓: { type: 'SINGLE_LINE_TEXT', value: `L${i}` } } });
    }
  }

  it('the page query: first page re-reads the saved minute, later pages seek past (updated, $id)', () => {
    expect(pageQuery('更新日時', {})).toBe('order by 更新日時 asc, $id asc limit 500');
    expect(pageQuery('更新日時', { since: '2024-01-01T00:00:00Z' })).toBe('更新日時 >= "2024-01-01T00:00:00Z" order by 更新日時 asc, $id asc limit 500');
    expect(pageQuery('更新日時', { cursor: { updated: '2024-01-01T00:05:00Z', id: 7 } })).toBe('更新日時 >= "2024-01-01T00:05:00Z" order by 更新日時 asc, $id asc limit 500');
    expect(pageQuery('更新日時', { seek: { updated: 'T', id: 7 } })).toBe('(更新日時 > "T" or (更新日時 = "T" and $id > 7)) order by 更新日時 asc, $id asc limit 500');
  });

  it('pages through 1,203 records in 3 calls, every record once', async () => {
    seedLeads();
    const [leads, acts] = await pullOnce(pullConfig(), deps());
    expect(leads).toMatchObject({ app: '1', pages: 3, records: 1203, upserted: 1203, rejected: 0 });
    expect(acts).toMatchObject({ app: '7', pages: 1, records: 0 });
    expect(sink.leads.size).toBe(1203);
    expect(JSON.parse((await state.get('kintone:main:1'))!)).toEqual({ updated: '2024-04-30T10:12:00Z', id: 1203 });
  });

  it('429 with Retry-After and 503 are retried; the data arrives whole', async () => {
    seedLeads(600);
    fake.faults.push({ status: 429, headers: { 'retry-after': '7' } }, { status: 503 });
    await pullOnce(pullConfig(), deps());
    expect(slept).toEqual([7000, 2000]);
    expect(sink.leads.size).toBe(600);
  });

  it('a wrong token fails at once, not retried', async () => {
    seedLeads(3);
    const cfg = KintoneConfig.parse({ ...config, pull: { enabled: true, apiToken: 'wrong', baseUrl: fake.url } });
    await expect(pullOnce(cfg, deps())).rejects.toThrow(/401.*GAIA_IA02/);
    expect(slept).toEqual([]);
  });

  it('interrupted after the first page: the next run resumes from the saved position, nothing lost', async () => {
    seedLeads();
    const d = deps();
    // First page served, then kintone keeps failing past the retry budget.
    let calls = 0;
    const flaky: PullDeps = { ...d, fetch: async (u, i) => (++calls >= 2 ? new Response('{"code":"GAIA_TM01"}', { status: 500 }) : fetch(u, i)) };
    await expect(pullOnce(pullConfig(), flaky)).rejects.toThrow(/500/);
    expect(sink.leads.size).toBe(500);
    const saved = JSON.parse((await state.get('kintone:main:1'))!) as { updated: string; id: number };
    expect(saved).toEqual({ updated: '2024-04-30T10:05:00Z', id: 500 });
    fake.queries.length = 0;
    await pullOnce(pullConfig(), d);
    expect(fake.queries[0]).toBe('更新日時 >= "2024-04-30T10:05:00Z" order by 更新日時 asc, $id asc limit 500');
    expect(sink.leads.size).toBe(1203);
  });

  it('a record updated later in the minute already read is caught by the next run', async () => {
    seedLeads(50);
    await pullOnce(pullConfig(), deps());
    // Same minute as the last one read, lower id: a strict "updated > last" would miss it.
    fake.records.find((r) => r.id === 3)!.updated = '2024-04-30T10:00:00Z';
    fake.records.find((r) => r.id === 3)!.fields.姓 = { type: 'SINGLE_LINE_TEXT', value: 'renamed' };
    await pullOnce(pullConfig(), deps());
    expect(sink.leads.get('org1/kintone:example.cybozu.com:1:3')?.name).toBe('renamed');
  });
});
