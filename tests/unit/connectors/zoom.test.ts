// @vitest-environment node
/**
 * Zoom webinars: URL validation challenge, x-zm-signature (independently computed here), the
 * 5-minute window, documented events, one attendance per person per webinar instance.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { mapZoomEvent } from '../../../server/connectors/zoom/map';
import { PinnedClock, connectorsApp, fixture } from './helpers';

const SECRET = 'zoom-secret-token-1';
const PATH = '/v1/connectors/zoom/webinars';
const NOW_S = 1626230700;

function headers(body: string, ts = String(NOW_S), secret = SECRET) {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { 'content-type': 'application/json', 'x-zm-signature': sig, 'x-zm-request-timestamp': ts };
}

describe('Zoom mapping', () => {
  const joined = JSON.parse(fixture('zoom/participant-joined.json')) as { payload: { object: { participant: Record<string, unknown> } } };
  it('participant_joined → seminar_attended at the join time, keyed by email', () => {
    expect(mapZoomEvent('webinar.participant_joined', joined.payload, 1626230691572)).toEqual({
      events: [{
        id: 'zoom:AAAAAABBBB:4444AAAiAAAAAiAiAiiAii==:attended:jchill@example.com',
        lead: { email: 'jchill@example.com' },
        type: 'seminar_attended', at: '2021-07-13T21:45:51Z', title: 'My Webinar', channel: 'zoom',
        meta: { webinarId: '1234567890', webinarUuid: '4444AAAiAAAAAiAiAiiAii==', attendee: 'Jill Chill' },
      }],
    });
  });
  it('a rejoin later, from another device, with the email in other case, is the same attendance', () => {
    const again = structuredClone(joined.payload);
    again.object.participant.join_time = '2021-07-13T22:10:00Z';
    again.object.participant.email = 'JChill@Example.com';
    again.object.participant.participant_uuid = 'other-device';
    const a = mapZoomEvent('webinar.participant_joined', joined.payload, undefined) as { events: { id: string }[] };
    const b = mapZoomEvent('webinar.participant_joined', again, undefined) as { events: { id: string }[] };
    expect(b.events[0]!.id).toBe(a.events[0]!.id);
  });
  it('registration_created → seminar_registered at event_ts', () => {
    const reg = JSON.parse(fixture('zoom/registration-created.json')) as { payload: unknown; event_ts: number };
    expect(mapZoomEvent('webinar.registration_created', reg.payload, reg.event_ts)).toMatchObject({
      events: [{ type: 'seminar_registered', at: '2021-07-14T02:44:51.572Z', lead: { email: 'jchill@example.com' }, meta: { webinarId: '1234567890' } }],
    });
  });
  it.each([
    ['guest without email', { ...joined.payload, object: { ...joined.payload.object, participant: { ...joined.payload.object.participant, email: '' } } }, /no email/],
    ['no join time', { ...joined.payload, object: { ...joined.payload.object, participant: { email: 'a@b.test' } } }, /join_time/],
    ['no account', { object: joined.payload.object }, /account_id/],
  ])('rejects %s with a reason', (_n, payload, reason) => {
    const out = mapZoomEvent('webinar.participant_joined', payload, 1);
    expect(out).toHaveProperty('rejected');
    expect((out as { rejected: string }).rejected).toMatch(reason);
  });
  it('ignores events it does not map', () => {
    expect(mapZoomEvent('webinar.participant_left', joined.payload, 1)).toHaveProperty('ignored');
  });
});

describe('Zoom route', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => { await app?.close(); app = undefined; });
  async function make() {
    const made = await connectorsApp({ zoom: [{ id: 'webinars', orgId: 'org1', secretToken: SECRET }] }, new PinnedClock(NOW_S * 1000));
    app = made.app;
    return made.sink;
  }

  it('answers the documented URL validation with HMAC(secret, plainToken)', async () => {
    const sink = await make();
    const body = fixture('zoom/url-validation.json');
    const res = await app!.inject({ method: 'POST', url: PATH, payload: body, headers: headers(body) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: createHmac('sha256', SECRET).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
    });
    expect(sink.calls).toBe(0);
  });

  it('stores an attendance once, however often the attendee rejoins', async () => {
    const sink = await make();
    const body = fixture('zoom/participant-joined.json');
    const first = await app!.inject({ method: 'POST', url: PATH, payload: body, headers: headers(body) });
    expect(first.json()).toEqual({ upserted: 0, accepted: 1, duplicates: 0, ignored: 0, rejected: [] });
    const rejoin = body.replace('2021-07-13T21:45:51Z', '2021-07-13T21:58:02Z');
    const second = await app!.inject({ method: 'POST', url: PATH, payload: rejoin, headers: headers(rejoin) });
    expect(second.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(sink.eventList()).toHaveLength(1);
    expect(sink.eventList()[0]).toMatchObject({ type: 'seminar_attended', orgId: 'org1', at: '2021-07-13T21:45:51Z' });
  });

  it('registration and attendance are two events', async () => {
    const sink = await make();
    for (const name of ['zoom/registration-created.json', 'zoom/participant-joined.json']) {
      const body = fixture(name);
      expect((await app!.inject({ method: 'POST', url: PATH, payload: body, headers: headers(body) })).statusCode).toBe(200);
    }
    expect(sink.eventList().map((e) => e.type)).toEqual(['seminar_registered', 'seminar_attended']);
  });

  it.each([
    ['wrong secret', (b: string) => headers(b, String(NOW_S), 'another-secret'), 'bad_signature'],
    ['stale timestamp', (b: string) => headers(b, String(NOW_S - 301)), 'stale_timestamp'],
    ['no signature', () => ({ 'content-type': 'application/json' }), 'missing_signature'],
  ] as const)('%s → 401, URL validation too', async (_n, h, code) => {
    const sink = await make();
    for (const name of ['zoom/participant-joined.json', 'zoom/url-validation.json']) {
      const body = fixture(name);
      const res = await app!.inject({ method: 'POST', url: PATH, payload: body, headers: h(body) });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe(code);
    }
    expect(sink.calls).toBe(0);
  });

  it('a signed event missing fields is answered 200 with the rejection and its reason', async () => {
    const sink = await make();
    const body = JSON.stringify({ event: 'webinar.participant_joined', event_ts: 1, payload: { account_id: 'A', object: { id: 1, uuid: 'u', topic: 't', participant: { user_name: 'guest', join_time: '2021-07-13T21:45:51Z' } } } });
    const res = await app!.inject({ method: 'POST', url: PATH, payload: body, headers: headers(body) });
    expect(res.statusCode).toBe(200);
    expect(res.json().rejected).toEqual([{ index: 0, error: expect.stringMatching(/no email/) }]);
    expect(sink.eventList()).toHaveLength(0);
  });
});
