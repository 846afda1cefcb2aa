// @vitest-environment node
/**
 * HubSpot webhooks v3: the signature (independently computed here), the 5-minute window, the
 * documented example batches, per-item rejection, dedupe on subscription+object+instant+property.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { mapHubSpotEvent, hubspotEventId } from '../../../server/connectors/hubspot/map';
import { HubSpotConfig, HubSpotEvent } from '../../../server/connectors/hubspot/schema';
import { normaliseUri, verifyV3 } from '../../../server/connectors/hubspot/signature';
import { PUBLIC, PinnedClock, connectorsApp, fixture } from './helpers';

const SECRET = 'hs-app-secret-0123';
const PATH = '/v1/connectors/hubspot/main';
const NOW = 1708986600000;
const rules = HubSpotConfig.parse({ id: 'main', orgId: 'org1', appSecret: SECRET });

function sign(body: string, ts: string, uri = `${PUBLIC}${PATH}`): string {
  return createHmac('sha256', SECRET).update(`POST${uri}${body}${ts}`).digest('base64');
}

describe('HubSpot signature v3', () => {
  const body = '[{"eventId":1}]';
  const ts = String(NOW - 1000);
  const base = { secret: SECRET, method: 'POST', uri: `${PUBLIC}${PATH}`, body, timestamp: ts, now: NOW };
  it.each([
    ['valid', { signature: sign(body, ts) }, true],
    ['other secret', { signature: createHmac('sha256', 'nope').update(`POST${PUBLIC}${PATH}${body}${ts}`).digest('base64') }, false],
    ['body changed', { body: '[{"eventId":2}]', signature: sign(body, ts) }, false],
    ['timestamp 6 min old', { timestamp: String(NOW - 360_000), signature: sign(body, String(NOW - 360_000)) }, false],
    ['timestamp 4 min old', { timestamp: String(NOW - 240_000), signature: sign(body, String(NOW - 240_000)) }, true],
    ['no signature', { signature: undefined }, false],
  ] as const)('%s', (_name, over, ok) => {
    expect(verifyV3({ ...base, ...over } as Parameters<typeof verifyV3>[0]).ok).toBe(ok);
  });

  it('decodes the escapes HubSpot decodes before signing, and leaves others', () => {
    expect(normaliseUri('https://x.test/h?a=b%3Ac%2Fd%40e&f=%20g')).toBe('https://x.test/h?a=b:c/d@e&f=%20g');
  });
});

describe('HubSpot mapping', () => {
  const ev = (over: Partial<HubSpotEvent>): HubSpotEvent => HubSpotEvent.parse({
    eventId: 1, subscriptionId: 7, portalId: 33, occurredAt: 1462216307945, objectId: 55,
    subscriptionType: 'contact.propertyChange', ...over,
  });
  const lead = (objectType: string, recordId = '55') => ({ crm: 'hubspot', objectType, recordId, host: '33' });
  it.each([
    ['lifecycle stage', { propertyName: 'lifecyclestage', propertyValue: 'marketingqualifiedlead' },
      { type: 'lifecycle_stage', lead: lead('0-1'), title: 'marketingqualifiedlead' }],
    ['form submission', { propertyName: 'recent_conversion_event_name', propertyValue: 'Contact us' },
      { type: 'form_submit', lead: lead('0-1'), title: 'Contact us' }],
    ['deal closed lost', { subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', propertyValue: 'closedlost' },
      { type: 'deal_lost', lead: lead('0-3'), title: 'closedlost' }],
    ['deal closed won', { subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', propertyValue: 'closedwon' },
      { type: 'deal_won', lead: lead('0-3'), title: 'closedwon' }],
  ] as const)('%s', (_n, over, expected) => {
    const out = mapHubSpotEvent(ev(over), rules);
    expect(out).toMatchObject({ events: [{ ...expected, at: '2016-05-02T19:11:47.945Z', channel: 'hubspot' }] });
  });
  it.each([
    ['contact creation', { subscriptionType: 'contact.creation' }],
    ['other deal stage', { subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', propertyValue: 'appointmentscheduled' }],
    ['unmapped property', { propertyName: 'firstname', propertyValue: 'Taro' }],
    ['emptied property', { propertyName: 'lifecyclestage', propertyValue: '' }],
  ] as const)('ignores %s', (_n, over) => {
    expect(mapHubSpotEvent(ev(over), rules)).toHaveProperty('ignored');
  });
  it('a per-pipeline lost stage configured by the admin counts as lost', () => {
    const custom = HubSpotConfig.parse({ id: 'x', orgId: 'o', appSecret: SECRET, closedLostStages: ['12345678'] });
    expect(mapHubSpotEvent(ev({ subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', propertyValue: '12345678' }), custom))
      .toMatchObject({ events: [{ type: 'deal_lost' }] });
  });
  it('the dedupe key ignores eventId and attemptNumber but not the property', () => {
    const a = ev({ eventId: 1, attemptNumber: 0, propertyName: 'lifecyclestage', propertyValue: 'lead' });
    expect(hubspotEventId(ev({ eventId: 999, attemptNumber: 3, propertyName: 'lifecyclestage', propertyValue: 'lead' }))).toBe(hubspotEventId(a));
    expect(hubspotEventId(ev({ propertyName: 'recent_conversion_event_name' }))).not.toBe(hubspotEventId(a));
    expect(hubspotEventId(ev({ subscriptionId: 8, propertyName: 'lifecyclestage' }))).not.toBe(hubspotEventId(a));
  });
});

describe('HubSpot route', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => { await app?.close(); app = undefined; });
  const config = { hubspot: [{ id: 'main', orgId: 'org1', appSecret: SECRET }] };

  async function post(body: string, headers: Record<string, string>, clockMs = NOW) {
    const made = await connectorsApp(config, new PinnedClock(clockMs));
    app = made.app;
    const res = await app.inject({ method: 'POST', url: PATH, payload: body, headers: { 'content-type': 'application/json', ...headers } });
    return { res, sink: made.sink };
  }

  it('takes the documented batch: the lifecycle change is stored, the creation ignored', async () => {
    const body = fixture('hubspot/documented-batch.json');
    const ts = String(NOW - 2000);
    const { res, sink } = await post(body, { 'x-hubspot-signature-v3': sign(body, ts), 'x-hubspot-request-timestamp': ts });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ upserted: 0, accepted: 1, duplicates: 0, ignored: 1, rejected: [] });
    expect(sink.eventList()).toEqual([expect.objectContaining({
      orgId: 'org1', type: 'lifecycle_stage', title: 'subscriber', at: '2016-05-02T19:11:47.945Z',
      lead: { crm: 'hubspot', objectType: '0-1', recordId: '1246965', host: '33' },
    })]);
  });

  it('takes the deal + form batch: deal_lost on the deal, form_submit on the contact', async () => {
    const body = fixture('hubspot/deal-and-form-batch.json');
    const ts = String(NOW);
    const { res, sink } = await post(body, { 'x-hubspot-signature-v3': sign(body, ts), 'x-hubspot-request-timestamp': ts });
    expect(res.json()).toMatchObject({ accepted: 2, rejected: [] });
    expect(sink.eventList().map((e) => [e.type, e.lead])).toEqual([
      ['deal_lost', { crm: 'hubspot', objectType: '0-3', recordId: '9876543210', host: '12345678' }],
      ['form_submit', { crm: 'hubspot', objectType: '0-1', recordId: '65059681032', host: '12345678' }],
    ]);
  });

  it.each([
    ['wrong signature', (b: string, ts: string) => ({ 'x-hubspot-signature-v3': sign(`${b} `, ts), 'x-hubspot-request-timestamp': ts }), NOW, 'bad_signature'],
    ['stale timestamp', (b: string, ts: string) => ({ 'x-hubspot-signature-v3': sign(b, ts), 'x-hubspot-request-timestamp': ts }), NOW + 301_000, 'stale_timestamp'],
    ['no headers', () => ({}), NOW, 'missing_signature'],
  ] as const)('%s → 401 and nothing stored', async (_n, headers, clockMs, code) => {
    const body = fixture('hubspot/documented-batch.json');
    const { res, sink } = await post(body, headers(body, String(NOW)), clockMs);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
    expect(sink.calls).toBe(0);
  });

  it('signature over the public URL, not the one a proxy forwards to', async () => {
    const body = fixture('hubspot/documented-batch.json');
    const ts = String(NOW);
    const { res } = await post(body, { 'x-hubspot-signature-v3': sign(body, ts, `http://127.0.0.1${PATH}`), 'x-hubspot-request-timestamp': ts });
    expect(res.statusCode).toBe(401);
  });

  it('one malformed event is rejected by index with a reason, the rest kept; a retry counts as duplicates', async () => {
    const good = JSON.parse(fixture('hubspot/deal-and-form-batch.json')) as Record<string, unknown>[];
    const broken = { ...good[0], objectId: undefined, occurredAt: 'yesterday' };
    const body = JSON.stringify([good[0], broken, good[1], { ...good[0], eventId: 42, attemptNumber: 1 }]);
    const ts = String(NOW);
    const { res, sink } = await post(body, { 'x-hubspot-signature-v3': sign(body, ts), 'x-hubspot-request-timestamp': ts });
    const json = res.json();
    expect(json).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(json.rejected).toHaveLength(1);
    expect(json.rejected[0].index).toBe(1);
    expect(json.rejected[0].error).toMatch(/objectId/);
    expect(json.rejected[0].error).toMatch(/occurredAt/);
    // HubSpot retries the whole delivery: nothing is stored twice.
    const again = await app!.inject({ method: 'POST', url: PATH, payload: body, headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': sign(body, ts), 'x-hubspot-request-timestamp': ts } });
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(sink.eventList()).toHaveLength(2);
  });

  it('unknown connector id → 404; a body that is not an array → 400', async () => {
    const body = '{"not":"an array"}';
    const ts = String(NOW);
    const { res } = await post(body, { 'x-hubspot-signature-v3': sign(body, ts), 'x-hubspot-request-timestamp': ts });
    expect(res.statusCode).toBe(400);
    const other = await app!.inject({ method: 'POST', url: '/v1/connectors/hubspot/nope', payload: '[]', headers: { 'content-type': 'application/json' } });
    expect(other.statusCode).toBe(404);
  });
});
