// @vitest-environment node
/**
 * Marketo Engage: the published webhook template, activity mapping by type name, and the Lead
 * Activities pull against a local fake: types read first, ≤ 10 type ids, empty pages with
 * moreResult, token renewed before expiry and after 601/602, 606/5xx retried, resume from the
 * saved nextPageToken.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { tokenFresh } from '../../../server/connectors/marketo/client';
import { mapActivity, mapWebhook, normaliseDate } from '../../../server/connectors/marketo/map';
import { pullActivities, stateKey, type PullDeps } from '../../../server/connectors/marketo/pull';
import { Activity, MarketoConfig, MarketoWebhookBody } from '../../../server/connectors/marketo/schema';
import { MARKETO_WEBHOOK_TEMPLATE } from '../../../server/connectors/marketo/template';
import { MemoryStateStore } from '../../../server/connectors/state';
import { FakeMarketo } from './fakes/marketo';
import { MemorySink } from './memory-sink';
import { PinnedClock, connectorsApp, fixture } from './helpers';

const SECRET = 'marketo-url-secret-0123456789';
const base = { id: 'mkto', orgId: 'org1', munchkinId: '123-ABC-456', urlSecret: SECRET };
const cfg = MarketoConfig.parse(base);
const rules = { attendedStatuses: ['Attended', 'Attended On-demand'], registeredStatuses: ['Registered'] };

/** What Marketo sends for the published template, tokens filled in. */
function filledTemplate(values: Record<string, string>): string {
  return MARKETO_WEBHOOK_TEMPLATE.replace(/\{\{([^}]+)\}\}/g, (_m, token: string) => values[token] ?? '');
}
const TOKENS = {
  'lead.Id': '1001', 'lead.Email Address': 'yamada@example.co.jp', 'lead.Last Name': '山田', 'lead.First Name': '花子',
  'company.Company Name': '山田商事', 'trigger.Trigger Name': 'Fills Out Form', 'campaign.name': '2024-06 Webinar.01 Attended',
  'campaign.id': '5512', 'system.dateTime': '2024-06-12 14:03:00',
};

describe('Marketo mapping', () => {
  it.each([
    ['2013-09-26T06:56:35+0000', '2013-09-26T06:56:35+00:00'],
    ['2013-09-26T06:56:35Z', '2013-09-26T06:56:35Z'],
    ['2024-06-12 14:03:00', '2024-06-12T14:03:00+09:00'],
    ['June 12', undefined],
  ])('date %s → %s', (input, expected) => {
    expect(normaliseDate(input, '+09:00')).toBe(expected);
  });

  it('the published template, filled by Marketo, is a lead and an event', () => {
    const body = MarketoWebhookBody.parse(JSON.parse(filledTemplate(TOKENS)));
    expect(mapWebhook(cfg, body)).toEqual({
      leads: [{ externalId: 'marketo:123-ABC-456:1001', name: '山田 花子', email: 'yamada@example.co.jp', company: '山田商事' }],
      events: [{
        id: 'marketo:123-ABC-456:1001:webhook:5512:2024-06-12T14:03:00+09:00',
        lead: { externalId: 'marketo:123-ABC-456:1001' }, type: 'seminar_attended', at: '2024-06-12T14:03:00+09:00',
        channel: 'marketo', title: '2024-06 Webinar.01 Attended', meta: { campaignId: '5512' },
      }],
    });
  });
  it('with type left empty, the trigger name decides', () => {
    const body = MarketoWebhookBody.parse(JSON.parse(filledTemplate(TOKENS).replace('"seminar_attended"', '""')));
    expect(mapWebhook(cfg, body)).toMatchObject({ events: [{ type: 'form_submit' }] });
  });
  it.each([
    ['no type, unknown trigger', { leadId: 1, activity: 'Is Sent Email', occurredAt: '2024-06-12 14:03:00' }, /type:/],
    ['no time', { leadId: 1, type: 'web_visit' }, /occurredAt: required/],
    ['bad time', { leadId: 1, type: 'web_visit', occurredAt: 'soon' }, /not a date/],
  ])('rejects %s', (_n, raw, reason) => {
    const out = mapWebhook(cfg, MarketoWebhookBody.parse(raw));
    expect((out as { rejected: string }).rejected).toMatch(reason);
  });

  const page = JSON.parse(fixture('marketo/activities-page.json')) as { result: unknown[] };
  const names: Record<number, string> = { 1: 'Visit Webpage', 2: 'Fill Out Form', 104: 'Change Status in Progression', 11: 'Click Email' };
  it.each([
    [0, { type: 'web_visit', title: '/pricing', url: 'https://www.example.co.jp/pricing', at: '2013-09-26T06:56:35+00:00', lead: { externalId: 'marketo:123-ABC-456:6' } }],
    [1, { type: 'form_submit', title: '資料請求フォーム' }],
    [2, { type: 'seminar_attended', title: '2013-09 Webinar', meta: { programStatus: 'Attended', marketoActivityType: 'Change Status in Progression' } }],
    [3, { type: 'email_click', url: 'https://www.example.co.jp/case' }],
  ])('documented activity %i', (i, expected) => {
    const a = Activity.parse(page.result[i]);
    expect(mapActivity(cfg, rules, names[a.activityTypeId], a)).toMatchObject({ events: [{ ...expected, channel: 'marketo' }] });
  });
  it('program statuses: registered maps, others are ignored', () => {
    const a = Activity.parse(page.result[2]);
    const withStatus = (s: string) => ({ ...a, attributes: [{ name: 'New Status', value: s }] });
    expect(mapActivity(cfg, rules, 'Change Status in Progression', withStatus('Registered'))).toMatchObject({ events: [{ type: 'seminar_registered' }] });
    expect(mapActivity(cfg, rules, 'Change Status in Progression', withStatus('No Show'))).toHaveProperty('ignored');
    expect(mapActivity(cfg, rules, undefined, a)).toHaveProperty('ignored');
  });
  it.each([
    [0, 3600, 3_539_000, true],
    [0, 3600, 3_540_000, false],
    [0, 30, 0, false],
  ])('token obtained at %i for %is is fresh at %i: %s', (at, exp, now, fresh) => {
    expect(tokenFresh(at, exp, now)).toBe(fresh);
  });
  it('the docs publish the same template the tests fill', () => {
    const doc = readFileSync(new URL('../../../docs/connectors/marketo.md', import.meta.url), 'utf8');
    expect(doc).toContain(MARKETO_WEBHOOK_TEMPLATE);
  });
});

describe('Marketo webhook route', () => {
  let app: FastifyInstance | undefined;
  let sink: MemorySink;
  beforeEach(async () => { ({ app, sink } = await connectorsApp({ marketo: [base] }, new PinnedClock(0))); });
  afterEach(async () => { await app?.close(); });
  const post = (body: string, secret = SECRET) => app!.inject({ method: 'POST', url: `/v1/connectors/marketo/mkto/${secret}`, payload: body, headers: { 'content-type': 'application/json' } });

  it('wrong secret → 401, nothing stored', async () => {
    expect((await post(filledTemplate(TOKENS), 'y'.repeat(30))).statusCode).toBe(401);
    expect(sink.calls).toBe(0);
  });
  it('stores the lead and the event; the same webhook again is a duplicate', async () => {
    expect((await post(filledTemplate(TOKENS))).json()).toEqual({ upserted: 1, accepted: 1, duplicates: 0, ignored: 0, rejected: [] });
    expect((await post(filledTemplate(TOKENS))).json()).toMatchObject({ accepted: 0, duplicates: 1 });
  });
  it('a body without a lead id is rejected with the reason', async () => {
    const res = await post(filledTemplate({ ...TOKENS, 'lead.Id': '""' }));
    expect(res.json().rejected).toEqual([{ index: 0, error: expect.stringMatching(/leadId/) }]);
  });
});

describe('Marketo Lead Activities pull', () => {
  let fake: FakeMarketo;
  let clock: PinnedClock;
  let sink: MemorySink;
  let state: MemoryStateStore;
  const slept: number[] = [];
  const documented = (JSON.parse(fixture('marketo/activities-page.json')) as { result: { marketoGUID: string; leadId: number; activityTypeId: number }[] }).result;
  const act = (guid: string, typeId: number) => ({ ...documented.find((a) => a.activityTypeId === typeId)!, id: Number(guid), marketoGUID: guid });

  beforeEach(async () => {
    clock = new PinnedClock(Date.parse('2024-06-12T00:00:00Z'));
    fake = new FakeMarketo(() => clock.now());
    fake.types = (JSON.parse(fixture('marketo/activity-types.json')) as { result: unknown[] }).result;
    // Page 1 is empty but moreResult: Marketo scanned a window with nothing of our types.
    fake.pages = [[act('10', 1), act('11', 2)], [], [act('12', 104), act('13', 6), act('14', 11)], [act('15', 1)]];
    await fake.start();
    sink = new MemorySink();
    state = new MemoryStateStore();
    slept.length = 0;
  });
  afterEach(async () => { await fake.stop(); });
  const pullCfg = () => MarketoConfig.parse({ ...base, pull: { enabled: true, clientId: 'cid', clientSecret: 'csecret', baseUrl: fake.url } });
  const deps = (): PullDeps => ({ sink, state, clock, fetch: (u, i) => fetch(u, i), sleep: async (ms) => { slept.push(ms); } });

  it('reads types, asks for the mapped ids only, walks every page including the empty one', async () => {
    const report = await pullActivities(pullCfg(), deps());
    expect(fake.typeIdsAsked[0]!.split(',').map(Number).sort((a, b) => a - b)).toEqual([1, 2, 3, 10, 11, 104]);
    expect(report).toMatchObject({ pages: 4, activities: 5, accepted: 5, rejected: 0 });
    expect(sink.eventList().map((e) => e.type)).toEqual(['web_visit', 'form_submit', 'seminar_attended', 'email_click', 'web_visit']);
    expect(await state.get(stateKey(pullCfg()))).toBe('T4');
  });

  it('renews the token a minute before it expires, without a failed call', async () => {
    fake.expiresIn = 120;
    const d = deps();
    // Each call advances the clock 30 s: the 120 s token is renewed after ~60 s of use.
    const ticking: PullDeps = { ...d, fetch: (u, i) => { clock.ms += 30_000; return fetch(u, i); } };
    await pullActivities(pullCfg(), ticking);
    expect(fake.calls.filter((c) => c === '/identity/oauth/token').length).toBeGreaterThanOrEqual(2);
    expect(sink.eventList()).toHaveLength(5);
  });

  it('602 expired and 601 invalid → a new token and the call again; 606 and 503 → backoff', async () => {
    fake.faults.push({ marketo: '602' }, { marketo: '606' }, { status: 503 }, { marketo: '601' });
    await pullActivities(pullCfg(), deps());
    expect(fake.calls.filter((c) => c === '/identity/oauth/token').length).toBe(3);
    expect(slept).toEqual([1000, 1000]);
    expect(sink.eventList()).toHaveLength(5);
  });

  it('bad client credentials fail the run at once', async () => {
    const cfgBad = MarketoConfig.parse({ ...base, pull: { enabled: true, clientId: 'cid', clientSecret: 'nope', baseUrl: fake.url } });
    await expect(pullActivities(cfgBad, deps())).rejects.toThrow(/401/);
  });

  it('interrupted on page 3: the next run resumes from the saved token, every activity once', async () => {
    const d = deps();
    // Page 3 (token T2) keeps failing past the retry budget.
    const breaking: PullDeps = { ...d, fetch: async (u, i) => (String(u).includes('nextPageToken=T2') ? new Response('down', { status: 500 }) : fetch(u, i)) };
    await expect(pullActivities(pullCfg(), breaking)).rejects.toThrow(/500/);
    expect(await state.get(stateKey(pullCfg()))).toBe('T2');
    expect(sink.eventList()).toHaveLength(2);
    fake.calls.length = 0;
    await pullActivities(pullCfg(), d);
    expect(fake.calls).not.toContain('/rest/v1/activities/pagingtoken.json');
    expect(sink.eventList()).toHaveLength(5);
    // A run that re-reads a page (e.g. the token saved before a crash) counts duplicates, stores nothing twice.
    await state.set(stateKey(pullCfg()), 'T0');
    const again = await pullActivities(pullCfg(), d);
    expect(again).toMatchObject({ accepted: 0, duplicates: 5 });
  });
});
