// @vitest-environment node
/**
 * Connectors through the real server (Fastify app, ingest service, scoring, scope) on PGlite
 * and, when LEADLENS_TEST_DATABASE_URL is set, PostgreSQL: each source's documented payload
 * arrives at its webhook, is verified, stored and scored, and a rep sees it in their lead.
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeadDetail, LookupResponse } from '../../utils/api/contract';
import { buildApp } from '../../server/app';
import type { DbHandle } from '../../server/db/connect';
import { ensureOrg, createUser } from '../../server/service/users';
import { connectorsPlugin } from '../../server/connectors';
import { CsvMapping, importCsv } from '../../server/connectors/csv';
import { dropSchema, ENGINES, openEngine, TestClock } from './server-harness';
import { fixture } from './connectors/helpers';

const ZOOM_SECRET = 'zoom-secret-token-1';
const HS_SECRET = 'hs-app-secret-0123';
const URL_SECRET = 'u'.repeat(32);
const ORG_SF = '00D5g000004ZxYzEAK';

describe.each(ENGINES)('connectors on the server (%s)', (engine) => {
  let handle: DbHandle & { schema?: string };
  let app: Awaited<ReturnType<typeof buildApp>>;
  const clock = new TestClock();
  const orgId = `conn_${engine}`;
  let admin = '';
  let rep = '';
  const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', ...headers } });
  const as = (token: string, url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    handle = await openEngine(engine);
    await ensureOrg(handle.db, orgId, clock.now);
    app = await buildApp({
      db: handle.db, clock: clock.fn, logger: false, config: { rescoreIntervalMs: 0, orgId },
      plugins: [async (root) => {
        await root.register(connectorsPlugin, {
          sink: root.leadlens, clock: { now: clock.fn }, schedule: false,
          config: {
            publicBaseUrl: 'https://leadlens.example.com',
            zoom: [{ id: 'webinars', orgId, secretToken: ZOOM_SECRET }],
            hubspot: [{ id: 'main', orgId, appSecret: HS_SECRET }],
            kintone: [{ id: 'main', orgId, host: 'example.cybozu.com', urlSecret: URL_SECRET, apps: [{ app: '1', target: 'leads', fields: { name: ['姓', '名'], company: '会社名', email: 'メールアドレス', ownerEmail: '担当者' } }] }],
            salesforce: [{ id: 'sf', orgId, organizationId: ORG_SF, urlSecret: URL_SECRET }],
          },
        });
      }],
    });
    admin = (await createUser(handle.db, orgId, { name: 'Admin', email: 'admin@acme.test', role: 'admin' }, clock.now)).token;
    rep = (await createUser(handle.db, orgId, { name: 'Tanaka', email: 'tanaka@example.com', role: 'rep', team: 'east' }, clock.now)).token;
    const leads = await app.inject({ method: 'POST', url: '/v1/ingest/leads', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, payload: JSON.stringify({ leads: [
      { externalId: 'jill', name: 'Jill Chill', email: 'jchill@example.com', ownerEmail: 'tanaka@example.com', team: 'east' },
      { externalId: 'hs-1', name: 'HubSpot Contact', ownerEmail: 'tanaka@example.com', team: 'east', crmRefs: [{ crm: 'hubspot', objectType: '0-1', recordId: '65059681032', host: '12345678' }] },
      { externalId: 'acct', name: '山田商事', ownerEmail: 'tanaka@example.com', team: 'east', crmRefs: [{ crm: 'salesforce', objectType: 'Account', recordId: '0015g00000QwErTAAV' }] },
    ] }) });
    expect(leads.json()).toMatchObject({ upserted: 3, rejected: [] });
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await handle.close();
    if (handle.schema) await dropSchema(handle.schema);
  }, 60_000);

  function zoomHeaders(body: string) {
    const ts = String(Math.floor(clock.now / 1000));
    return { 'x-zm-signature': `v0=${createHmac('sha256', ZOOM_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`, 'x-zm-request-timestamp': ts };
  }

  it('a Zoom attendance reaches the owner rep as a need signal with the call window running; a rejoin is one attendance', async () => {
    const joinedAt = new Date(clock.now - 10 * 60_000).toISOString();
    const body = fixture('zoom/participant-joined.json').replace('2021-07-13T21:45:51Z', joinedAt);
    const res = await post('/v1/connectors/zoom/webinars', body, zoomHeaders(body));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 1, rejected: [] });
    const lookup = LookupResponse.parse((await as(rep, '/v1/leads/lookup?email=jchill%40example.com')).json());
    const detail = LeadDetail.parse((await as(rep, `/v1/leads/${lookup.lead.id}`)).json());
    expect(detail.needReason).toBe('Attended seminar: My Webinar');
    expect(detail.needDetectedAt).toBeDefined();
    expect(detail.timeline[0]).toMatchObject({ type: 'seminar_attended', title: expect.stringContaining('My Webinar') });
    const rejoin = body.replace(joinedAt, new Date(clock.now - 60_000).toISOString());
    expect((await post('/v1/connectors/zoom/webinars', rejoin, zoomHeaders(rejoin))).json()).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('wrong Zoom signature → 401 even though the route skips bearer auth', async () => {
    const body = fixture('zoom/participant-joined.json');
    const res = await post('/v1/connectors/zoom/webinars', body, { 'x-zm-signature': 'v0=00', 'x-zm-request-timestamp': String(Math.floor(clock.now / 1000)) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('bad_signature');
  });

  it('an attendee who is not a lead is rejected with the server\'s reason, the webhook still answered 200', async () => {
    const body = fixture('zoom/participant-joined.json').replace('jchill@example.com', 'stranger@example.com');
    const res = await post('/v1/connectors/zoom/webinars', body, zoomHeaders(body));
    expect(res.statusCode).toBe(200);
    expect(res.json().rejected).toEqual([{ index: 0, error: expect.stringMatching(/unknown lead/) }]);
  });

  it('HubSpot form submission on the lead that carries the contact', async () => {
    const body = fixture('hubspot/deal-and-form-batch.json');
    const ts = String(clock.now);
    const sig = createHmac('sha256', HS_SECRET).update(`POSThttps://leadlens.example.com/v1/connectors/hubspot/main${body}${ts}`).digest('base64');
    const res = await post('/v1/connectors/hubspot/main', body, { 'x-hubspot-signature-v3': sig, 'x-hubspot-request-timestamp': ts });
    // The deal is on no lead here: rejected by index 0 with the reason; the form is stored.
    expect(res.json()).toMatchObject({ accepted: 1, rejected: [{ index: 0, error: expect.stringMatching(/unknown lead/) }] });
  });

  it('kintone: a record becomes a lead the extension finds by its kintone record, owned by the rep', async () => {
    const body = fixture('kintone/webhook-add-record.json').replace('tanaka@example.com', 'tanaka@example.com');
    expect((await post(`/v1/connectors/kintone/main/${URL_SECRET}`, body)).json()).toMatchObject({ upserted: 1 });
    const found = await as(rep, '/v1/leads/lookup?crm=kintone&objectType=1&recordId=2');
    expect(found.statusCode).toBe(200);
    expect(LookupResponse.parse(found.json()).lead).toMatchObject({ name: '佐藤 昇', owner: { name: 'Tanaka' } });
  });

  it('Salesforce Closed Lost: acknowledged, and the account lead is in cooldown', async () => {
    const xml = fixture('salesforce/opportunity-closed-lost.xml').replace('2024-06-28T06:12:45.000Z', new Date(clock.now - 3_600_000).toISOString());
    const res = await app.inject({ method: 'POST', url: `/v1/connectors/salesforce/sf/${URL_SECRET}`, payload: xml, headers: { 'content-type': 'text/xml; charset=utf-8' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<Ack>true</Ack>');
    const lead = LookupResponse.parse((await as(rep, '/v1/leads/lookup?crm=salesforce&objectType=Account&recordId=0015g00000QwErTAAV')).json()).lead;
    const detail = LeadDetail.parse((await as(rep, `/v1/leads/${lead.id}`)).json());
    expect(detail.cooldowns.map((c) => c.reason)).toContain('recently_lost');
  });

  it('CSV import in-process through the same ingest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'csv-int-'));
    const file = join(dir, 'events.csv');
    await writeFile(file, `履歴ID,メール,区分,日時,件名,視聴率\nV1,jchill@example.com,視聴,${new Date(clock.now - 7_200_000).toISOString()},導入事例,92\nV2,nobody@example.com,視聴,2026/11/25 9:00,x,10\n`);
    const mapping = CsvMapping.parse({ kind: 'events', columns: { id: '履歴ID', leadEmail: 'メール', type: '区分', at: '日時', title: '件名' }, types: { 視聴: 'video_watched' }, meta: { watchedPercent: '視聴率' } });
    const report = await importCsv({ file, mapping, sink: app.leadlens, org: { orgId } });
    expect(report).toMatchObject({ stored: 1, rejected: 1, complete: true });
  });
});
