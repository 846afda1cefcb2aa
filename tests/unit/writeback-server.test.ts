// @vitest-environment node
/**
 * Write-back through the real server (Fastify app, lead service, outbox table, worker) on PGlite
 * and, when LEADLENS_TEST_DATABASE_URL is set, PostgreSQL: a call logged with
 * POST /v1/leads/{id}/activities reaches each configured CRM's fake once — across replays,
 * 429s, a timeout that did land, a restart, and two workers draining one database.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LookupResponse } from '../../utils/api/contract';
import { buildApp, type WriteBackOptions } from '../../server/app';
import { parseWriteBackConfig, writeBackTargets } from '../../server/connectors/writeback/config';
import { OutboxWorker } from '../../server/connectors/writeback/worker';
import { migrateDashboard, serverDashboard } from '../../server/dashboard/server-wiring';
import type { DbHandle } from '../../server/db/connect';
import { createUser, ensureOrg } from '../../server/service/users';
import { FakeCrm } from './connectors/fakes/crm-writeback';
import { dropSchema, ENGINES, openEngine, TestClock } from './server-harness';

const SF_LEAD = '00Q5g00000AbCdEFGH';

describe.each(ENGINES)('write-back through the server (%s)', (engine) => {
  let handle: DbHandle & { schema?: string };
  const fake = new FakeCrm();
  const clock = new TestClock();
  const orgId = `wb_${engine}`;
  const apps: FastifyInstance[] = [];
  let admin = '';
  let rep = '';
  let leadId = '';
  let keys = 0;

  const targets = () => writeBackTargets(parseWriteBackConfig({
    salesforce: [{ id: 'main', orgId, instanceUrl: fake.url, accessToken: 'sf-session-token' }],
    kintone: [{ id: 'main', orgId, host: 'example.cybozu.com', apiToken: 'kintone-api-token', baseUrl: fake.url }],
    hubspot: [{ id: 'main', orgId, portalId: '12345678', accessToken: 'pat-na1-hubspot', baseUrl: fake.url }],
    marketo: [{ id: 'mkto', orgId, munchkinId: '123-ABC-456', clientId: 'cid', clientSecret: 'mkto-secret', baseUrl: fake.url, action: { addToList: 1001 } }],
    webhook: [{ id: 'ma', orgId, url: `${fake.url}/hooks/recycle`, secret: 'hook-secret-0123456789abcdef' }],
  }));

  async function server(writeBack: Partial<WriteBackOptions> = {}): Promise<FastifyInstance> {
    const app = await buildApp({
      db: handle.db, clock: clock.fn, logger: false, config: { rescoreIntervalMs: 0, orgId },
      plugins: [serverDashboard(handle.db, { clock: clock.fn }).plugin],
      writeBack: { targets: targets(), start: false, random: () => 0, timeoutMs: 500, ...writeBack },
    });
    await app.ready();
    apps.push(app);
    return app;
  }
  const inject = (app: FastifyInstance, method: 'GET' | 'POST', url: string, token: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
  const logCall = (app: FastifyInstance, extra: Record<string, unknown> = {}, key = `k-${++keys}`) =>
    inject(app, 'POST', `/v1/leads/${leadId}/activities`, rep, { type: 'call', outcome: 'connected', note: '予算確認済み', at: new Date(clock.now).toISOString(), ...extra }, { 'idempotency-key': key });
  const outbox = async (app: FastifyInstance, query = '') => (await inject(app, 'GET', `/v1/admin/outbox${query}`, admin)).json() as {
    counts: Record<string, number>; items: { id: string; target: string; status: string; attempts: number; lastStatus: string | null; lastAnswer: string | null; remoteId: string | null; nextAttemptAt: string }[];
  };

  beforeAll(async () => {
    await fake.start();
    handle = await openEngine(engine);
    await migrateDashboard(handle.db);
    await ensureOrg(handle.db, orgId, clock.now);
    admin = (await createUser(handle.db, orgId, { name: 'Admin', email: 'admin@wb.test', role: 'admin' }, clock.now)).token;
    rep = (await createUser(handle.db, orgId, { name: '佐藤 健', email: 'sato@example.jp', role: 'rep', team: 'east' }, clock.now)).token;
    const app = await server();
    const ingest = await inject(app, 'POST', '/v1/ingest/leads', admin, { leads: [
      { externalId: 'yamada', name: '山田 太郎', email: 'yamada@example.jp', ownerEmail: 'sato@example.jp', team: 'east', crmRefs: [
        { crm: 'salesforce', objectType: 'Lead', recordId: SF_LEAD, host: fake.url.replace(/^http:\/\//, '') },
        { crm: 'kintone', objectType: '12', recordId: '34', host: 'example.cybozu.com' },
        { crm: 'hubspot', objectType: '0-1', recordId: '65059681032', host: '12345678' },
      ] },
      { externalId: 'nocrm', name: 'CRM のない人', email: 'nocrm@example.jp', ownerEmail: 'sato@example.jp', team: 'east' },
    ] });
    expect(ingest.statusCode).toBe(200);
    leadId = LookupResponse.parse((await inject(app, 'GET', `/v1/leads/lookup?crm=kintone&objectType=12&recordId=34`, rep)).json()).lead.id;
  }, 60_000);

  // A started worker left running would drain the next test's rows.
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  afterAll(async () => {
    await handle.close();
    if (handle.schema) await dropSchema(handle.schema);
    await fake.stop();
  });

  beforeEach(async () => {
    await handle.db.deleteFrom('outbox').where('org_id', '=', orgId).execute();
    fake.seen.length = 0;
    fake.faults.length = 0;
    fake.tasks.clear();
    fake.comments.clear();
    fake.calls.clear();
    fake.listMembers.clear();
    fake.hooks.clear();
  });

  it('a logged call is queued once per CRM the lead is in (a replayed request adds nothing) and each receives it', async () => {
    const app = await server();
    expect((await logCall(app, {}, 'same-key')).statusCode).toBe(201);
    expect((await logCall(app, {}, 'same-key')).statusCode).toBe(201);
    expect((await outbox(app)).counts).toEqual({ pending: 3, sent: 0, failed: 0 });
    expect(await app.leadlens.outbox!.drainOnce()).toBe(3);
    expect(fake.tasks.size).toBe(1);
    expect(fake.comments.get('12:34')).toHaveLength(1);
    expect(fake.calls.size).toBe(1);
    const view = await outbox(app);
    expect(view.counts).toEqual({ pending: 0, sent: 3, failed: 0 });
    expect(view.items.map((i) => [i.target, i.status, i.lastStatus, i.remoteId]).sort()).toEqual([
      ['hubspot:main', 'sent', '201', '50000000001'], ['kintone:main', 'sent', '200', '1'], ['salesforce:main', 'sent', '201', '00T000000000001'],
    ]);
  });

  it('a lead with no record in any configured CRM queues nothing; a server without write-back config queues nothing', async () => {
    const app = await server();
    const nocrm = LookupResponse.parse((await inject(app, 'GET', '/v1/leads/lookup?email=nocrm%40example.jp', rep)).json()).lead.id;
    expect((await inject(app, 'POST', `/v1/leads/${nocrm}/activities`, rep, { type: 'call', outcome: 'busy', at: new Date(clock.now).toISOString() }, { 'idempotency-key': 'nocrm-1' })).statusCode).toBe(201);
    const plain = await buildApp({ db: handle.db, clock: clock.fn, logger: false, config: { rescoreIntervalMs: 0, orgId } });
    apps.push(plain);
    expect((await logCall(plain)).statusCode).toBe(201);
    expect((await outbox(plain)).counts).toEqual({ pending: 0, sent: 0, failed: 0 });
    expect((await outbox(plain)).items).toEqual([]);
  });

  it('a recycle to nurture goes to Marketo\'s list and the team\'s webhook, not to the CRMs', async () => {
    const app = await server();
    const recycle = await inject(app, 'POST', `/v1/leads/${leadId}/recycle`, rep, { track: 'kintone活用ナーチャリング', frequency: 'monthly', email: 'yamada@example.jp' }, { 'idempotency-key': 'rc-1' });
    expect(recycle.statusCode).toBe(202);
    expect((await outbox(app)).items.map((i) => i.target).sort()).toEqual(['marketo:mkto', 'webhook:ma']);
    expect(await app.leadlens.outbox!.drainOnce()).toBe(2);
    expect([...fake.listMembers.get(1001)!]).toEqual([318581]);
    expect([...fake.hooks.values()]).toEqual([expect.objectContaining({ type: 'lead.recycled', lead: { id: leadId, email: 'yamada@example.jp' }, track: 'kintone活用ナーチャリング' })]);
    expect(fake.tasks.size + fake.calls.size).toBe(0);
  });

  it('the started worker delivers a call as soon as it is logged', async () => {
    const app = await server({ start: true, pollMs: 60_000 });
    expect((await logCall(app)).statusCode).toBe(201);
    await expect.poll(() => fake.tasks.size, { timeout: 5000 }).toBe(1);
    const task = [...fake.tasks.values()][0]!;
    expect(task).toMatchObject({ WhoId: SF_LEAD, Status: 'Completed', Subject: '架電: 本人と通話' });
    await expect.poll(async () => (await outbox(app)).counts.sent, { timeout: 5000 }).toBe(3);
  });

  it('a 429 waits for its Retry-After; a permanent 4xx fails with the vendor\'s message until the admin retries it', async () => {
    const app = await server();
    fake.faults.push({ path: '/services/data', status: 429, headers: { 'retry-after': '120' }, body: [{ message: 'slow down', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] });
    fake.faults.push({ path: '/crm/', status: 401, body: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' } });
    await logCall(app);
    await app.leadlens.outbox!.drainOnce();
    let view = await outbox(app);
    const sf = view.items.find((i) => i.target === 'salesforce:main')!;
    expect(sf).toMatchObject({ status: 'pending', attempts: 1, lastStatus: '429', nextAttemptAt: new Date(clock.now + 120_000).toISOString() });
    const failed = (await outbox(app, '?status=failed')).items;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ target: 'hubspot:main', status: 'failed', lastStatus: '401' });
    expect(failed[0]!.lastAnswer).toContain('Authentication credentials not found.');
    expect(await app.leadlens.outbox!.drainOnce()).toBe(0);
    clock.advance(120_000);
    expect(await app.leadlens.outbox!.drainOnce()).toBe(1);
    expect(fake.tasks.size).toBe(1);
    expect((await inject(app, 'POST', `/v1/admin/outbox/${failed[0]!.id}/retry`, admin)).statusCode).toBe(200);
    expect((await inject(app, 'POST', `/v1/admin/outbox/${failed[0]!.id}/retry`, admin)).statusCode).toBe(404);
    expect((await inject(app, 'GET', '/v1/admin/outbox', rep)).statusCode).toBe(403);
    expect(await app.leadlens.outbox!.drainOnce()).toBe(1);
    view = await outbox(app);
    expect(view.counts).toEqual({ pending: 0, sent: 3, failed: 0 });
    expect(fake.calls.size).toBe(1);
  });

  it('the dashboard shows an admin (only) what failed with the target\'s answer, and its retry sends it again', async () => {
    const app = await server();
    const signIn = async (token: string) => String((await app.inject({ method: 'POST', url: '/app/api/session', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token }) })).headers['set-cookie']).split(';')[0]!;
    const page = (method: 'GET' | 'POST', url: string, cookie: string) => app.inject({ method, url, headers: { cookie, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) }, ...(method === 'POST' ? { payload: '{}' } : {}) });
    fake.faults.push({ path: '/k/v1/record/comment.json', status: 403, body: { code: 'GAIA_NO01', id: 'x', message: 'この操作は許可されていません。' } });
    await logCall(app);
    await app.leadlens.outbox!.drainOnce();
    const cookie = await signIn(admin);
    const view = (await page('GET', '/app/api/outbox?status=failed', cookie)).json() as { targets: { id: string }[]; counts: Record<string, number>; items: { id: string; target: string; lastAnswer: string }[] };
    expect(view.targets.map((x) => x.id)).toEqual(['salesforce:main', 'kintone:main', 'hubspot:main', 'marketo:mkto', 'webhook:ma']);
    expect(view.counts).toEqual({ pending: 0, sent: 2, failed: 1 });
    expect(view.items).toEqual([expect.objectContaining({ target: 'kintone:main', lastAnswer: expect.stringContaining('この操作は許可されていません。') })]);
    expect((await page('GET', '/app/api/outbox', await signIn(rep))).statusCode).toBe(403);
    expect((await page('POST', `/app/api/outbox/${view.items[0]!.id}/retry`, cookie)).statusCode).toBe(200);
    expect(await app.leadlens.outbox!.drainOnce()).toBe(1);
    expect(fake.comments.get('12:34')).toHaveLength(1);
    expect(((await page('GET', '/app/api/outbox', cookie)).json() as { counts: unknown }).counts).toEqual({ pending: 0, sent: 3, failed: 0 });
  });

  it('a kintone comment that landed while the answer timed out is not posted twice', async () => {
    const app = await server({ timeoutMs: 300 });
    fake.faults.push({ path: '/k/v1/record/comment.json', landThenHang: true });
    await logCall(app);
    await app.leadlens.outbox!.drainOnce();
    const kt = (await outbox(app)).items.find((i) => i.target === 'kintone:main')!;
    expect(kt).toMatchObject({ status: 'pending', lastStatus: 'timeout' });
    expect(fake.comments.get('12:34')).toHaveLength(1);
    clock.advance(60_000);
    expect(await app.leadlens.outbox!.drainOnce()).toBe(1);
    expect(fake.comments.get('12:34')).toHaveLength(1);
    expect((await outbox(app)).items.find((i) => i.target === 'kintone:main')).toMatchObject({ status: 'sent', remoteId: '1' });
  });

  it('a restart resumes what was pending, and a crashed worker\'s lease runs out', async () => {
    const first = await server();
    await logCall(first);
    // A worker that claimed the rows and died before sending: its lease holds them for 2 minutes.
    const dead = new OutboxWorker({ db: handle.db, targets: targets(), fetch: () => new Promise<Response>(() => {}), clock: clock.fn });
    const { claim } = await import('../../server/connectors/writeback/store');
    expect(await claim(handle.db, dead.owner, clock.now, 120_000, 10)).toHaveLength(3);
    await apps.splice(apps.indexOf(first), 1)[0]!.close();
    const second = await server({ start: true, pollMs: 50 });
    expect(await second.leadlens.outbox!.drainOnce()).toBe(0);
    clock.advance(120_000);
    await expect.poll(async () => (await outbox(second)).counts.sent, { timeout: 5000 }).toBe(3);
    expect(fake.tasks.size).toBe(1);
    // The second attempt knew the first may have landed: kintone was asked before posting.
    expect(fake.seen.filter((s) => s.path.startsWith('/k/v1/record/comments.json'))).toHaveLength(1);
  });

  it('two workers draining one database send each row once', async () => {
    const app = await server();
    for (let i = 0; i < 6; i += 1) await logCall(app);
    const a = new OutboxWorker({ db: handle.db, targets: targets(), fetch: (u, init) => fetch(u, init), clock: clock.fn, batch: 2 });
    const b = new OutboxWorker({ db: handle.db, targets: targets(), fetch: (u, init) => fetch(u, init), clock: clock.fn, batch: 2 });
    const drain = async (w: OutboxWorker) => { let n = 0; for (let got = 1; got > 0; n += got) got = await w.drainOnce(); return n; };
    const [na, nb] = await Promise.all([drain(a), drain(b)]);
    expect(na + nb).toBe(18);
    expect(fake.tasks.size).toBe(6);
    expect(fake.calls.size).toBe(6);
    expect(fake.comments.get('12:34')).toHaveLength(6);
    expect((await outbox(app)).counts).toEqual({ pending: 0, sent: 18, failed: 0 });
  });
});
