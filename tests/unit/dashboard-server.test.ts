// @vitest-environment node
/**
 * The dashboard on the real server (PGlite always, PostgreSQL when LEADLENS_TEST_DATABASE_URL is
 * set): a manager signs in with their token, the two-hour report counts the events ingested
 * through the API, a reassignment reaches both reps' change feeds and the push notifier, "last
 * synced" follows API use, and a rep is refused every manager route.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangesResponse } from '../../utils/api/contract';
import { IngestEventsResponse, IngestLeadsResponse } from '../../server/contract/ingest';
import { buildApp } from '../../server/app';
import type { DbHandle } from '../../server/db/connect';
import { migrateDashboard, serverDashboard } from '../../server/dashboard/server-wiring';
import { ChangeNotifier, type LeadsChanged } from '../../server/service/notifier';
import { createUser, ensureOrg, type NewUser } from '../../server/service/users';
import { dropSchema, ENGINES, openEngine, TestClock } from './server-harness';

const MIN = 60_000;

describe.each(ENGINES)('dashboard on the server (%s)', (engine) => {
  let handle: DbHandle & { schema?: string };
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    handle = await openEngine(engine);
    await migrateDashboard(handle.db);
  }, 120_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    await handle.close();
    if (handle.schema) await dropSchema(handle.schema);
  });

  async function org() {
    const orgId = `dash_${randomBytes(4).toString('hex')}`;
    const clock = new TestClock();
    // 14:00 in Tokyo on a Wednesday: the morning's needs have closed windows, a fresh one is open.
    clock.now = Date.parse('2026-11-25T05:00:00Z');
    const notifier = new ChangeNotifier();
    await ensureOrg(handle.db, orgId, clock.now);
    const dashboard = serverDashboard(handle.db, { clock: clock.fn });
    const app = await buildApp({
      db: handle.db, clock: clock.fn, notifier, logger: false, config: { rescoreIntervalMs: 0 },
      plugins: [dashboard.plugin], onTokenUsed: dashboard.tokenUsed,
    });
    apps.push(app);
    const user = async (input: NewUser) => {
      const r = await createUser(handle.db, orgId, input, clock.now);
      return { id: r.user.id, token: r.token };
    };
    const admin = await user({ name: 'Admin', email: `admin@${orgId}.test`, role: 'admin' });
    const bearer = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
    /** Signs in on the dashboard with an API token; returns the session cookie. */
    const signIn = async (token: string): Promise<string> => {
      const res = await app.inject({ method: 'POST', url: '/app/api/session', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token }) });
      expect(res.statusCode, res.body).toBe(200);
      const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
      expect(cookie).toMatch(/^ll_session=.+/);
      return cookie;
    };
    const page = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, cookie: string, body?: unknown): Promise<LightMyRequestResponse> =>
      app.inject({ method, url, headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
    return { orgId, clock, notifier, dashboard, app, user, admin, bearer, signIn, page };
  }

  /** A team east with a manager and two reps, a rep of team west, and their leads. */
  async function eastAndWest() {
    const o = await org();
    const manager = await o.user({ name: '山田 部長', email: 'yamada@example.jp', role: 'manager', team: 'east' });
    const a = await o.user({ name: '佐藤 花子', email: 'sato@example.jp', role: 'rep', team: 'east' });
    const b = await o.user({ name: 'Ben Tanaka', email: 'ben@example.jp', role: 'rep', team: 'east' });
    const w = await o.user({ name: 'West Rep', email: 'west@example.jp', role: 'rep', team: 'west' });
    const leads = [
      { externalId: 'a1', name: '顧客 A1', ownerEmail: 'sato@example.jp', team: 'east' },
      { externalId: 'a2', name: '顧客 A2', ownerEmail: 'sato@example.jp', team: 'east' },
      { externalId: 'b1', name: '顧客 B1', ownerEmail: 'ben@example.jp', team: 'east' },
      { externalId: 'b2', name: '顧客 B2', ownerEmail: 'ben@example.jp', team: 'east' },
      { externalId: 'w1', name: '顧客 W1', ownerEmail: 'west@example.jp', team: 'west' },
    ];
    const res = await o.bearer('POST', '/v1/ingest/leads', o.admin.token, { leads });
    expect(IngestLeadsResponse.parse(res.json())).toEqual({ upserted: leads.length, rejected: [] });
    return { ...o, manager, a, b, w };
  }

  it('the two-hour report counts what was ingested; the manager sees their team only', async () => {
    const o = await eastAndWest();
    const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00Z`);
    // Each need (a form, high intent) and the first call on it, if any; the call is by the owner.
    const cases = [
      { lead: 'a1', owner: o.a.id, needAt: at('00:10'), callAt: at('00:40') },
      { lead: 'a2', owner: o.a.id, needAt: at('00:20'), callAt: at('03:00') },
      { lead: 'b1', owner: o.b.id, needAt: at('00:30') },
      { lead: 'b2', owner: o.b.id, needAt: at('04:30') },
      { lead: 'w1', owner: o.w.id, needAt: at('00:10'), callAt: at('00:20') },
    ];
    // B2 was busy before its form (a seminar, a download, pricing pages): hot now, so it is waiting.
    const warmUp = ['seminar_attended', 'download', 'key_page', 'email_click', 'web_visit'].map((type, i) => (
      { id: `warm-${i}`, lead: { externalId: 'b2' }, type, at: new Date(at('04:00') + i * MIN).toISOString(), title: type }));
    const events = [...warmUp, ...cases.flatMap((c) => [
      { id: `form-${c.lead}`, lead: { externalId: c.lead }, type: 'form_submit', at: new Date(c.needAt).toISOString(), title: 'お問い合わせ' },
      ...(c.callAt ? [{ id: `call-${c.lead}`, lead: { externalId: c.lead }, type: 'call', at: new Date(c.callAt).toISOString(), title: '架電', meta: { outcome: 'connected', actorId: c.owner } }] : []),
    ])];
    const ingested = IngestEventsResponse.parse((await o.bearer('POST', '/v1/ingest/events', o.admin.token, { events })).json());
    expect(ingested).toMatchObject({ accepted: events.length, rejected: [] });

    // Expected numbers by hand: a window is two wall-clock hours (all of it inside business hours here).
    const now = o.clock.now;
    const expected = new Map<string, { needs: number; calledInWindow: number; missedWindows: number; waiting: number }>();
    for (const c of cases.filter((x) => x.lead !== 'w1')) {
      const row = expected.get(c.owner) ?? { needs: 0, calledInWindow: 0, missedWindows: 0, waiting: 0 };
      const end = c.needAt + 120 * MIN;
      row.needs += 1;
      if (c.callAt !== undefined && c.callAt <= end) row.calledInWindow += 1;
      else if (c.callAt !== undefined || now > end) row.missedWindows += 1;
      else row.waiting += 1;
      expected.set(c.owner, row);
    }
    expect(expected.get(o.a.id)).toEqual({ needs: 2, calledInWindow: 1, missedWindows: 1, waiting: 0 });
    expect(expected.get(o.b.id)).toEqual({ needs: 2, calledInWindow: 0, missedWindows: 1, waiting: 1 });

    const cookie = await o.signIn(o.manager.token);
    const me = await o.page('GET', '/app/api/me', cookie);
    expect(me.json()).toMatchObject({ user: { id: o.manager.id, role: 'manager', team: 'east', timeZone: 'Asia/Tokyo' } });

    const res = await o.page('GET', '/app/api/response?granularity=day', cookie);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as { windowMinutes: number; reps: { repId: string; needs: number; calledInWindow: number; missedWindows: number; waiting: number; ratePercent: number | null }[] };
    expect(report.windowMinutes).toBe(120);
    const got = new Map<string, { needs: number; calledInWindow: number; missedWindows: number; waiting: number }>();
    for (const r of report.reps) {
      const row = got.get(r.repId) ?? { needs: 0, calledInWindow: 0, missedWindows: 0, waiting: 0 };
      got.set(r.repId, { needs: row.needs + r.needs, calledInWindow: row.calledInWindow + r.calledInWindow, missedWindows: row.missedWindows + r.missedWindows, waiting: row.waiting + r.waiting });
    }
    expect(got).toEqual(expected);
    expect(report.reps.find((r) => r.repId === o.a.id)?.ratePercent).toBe(50);

    // The missed list of rep B names the lead whose window closed without a call.
    const missed = (await o.page('GET', `/app/api/response/missed?rep=${o.b.id}`, cookie)).json() as { missed: { leadName: string; status: string }[] };
    expect(missed.missed).toEqual([expect.objectContaining({ leadName: '顧客 B1', status: 'missed' })]);
    // Waiting now: B2's window is still open.
    const waiting = (await o.page('GET', '/app/api/waiting', cookie)).json() as { waiting: { leadName: string; ownerId: string }[] };
    expect(waiting.waiting.map((x) => [x.leadName, x.ownerId])).toEqual([['顧客 B2', o.b.id]]);
  });

  it("a reassignment moves the lead from rep A's change feed to rep B's and is pushed", async () => {
    const o = await eastAndWest();
    const feedA = ChangesResponse.parse((await o.bearer('GET', '/v1/leads/changes', o.a.token)).json());
    const feedB = ChangesResponse.parse((await o.bearer('GET', '/v1/leads/changes', o.b.token)).json());
    const lead = feedA.leads.find((l) => l.name === '顧客 A1');
    expect(lead).toBeDefined();
    expect(feedB.leads.map((l) => l.name)).not.toContain('顧客 A1');

    const pushed = new Promise<LeadsChanged>((resolve) => {
      const off = o.notifier.subscribe((change) => {
        if (change.leadIds.includes(lead?.id ?? '')) {
          off();
          resolve(change);
        }
      });
    });
    const cookie = await o.signIn(o.manager.token);
    // A lead of another team is not this manager's to move.
    const west = (await o.bearer('GET', '/v1/leads/changes', o.w.token)).json() as ChangesResponse;
    expect((await o.page('POST', `/app/api/leads/${west.leads[0]?.id ?? ''}/reassign`, cookie, { to: o.b.id })).statusCode).toBe(404);
    expect((await o.page('POST', `/app/api/leads/${lead?.id ?? ''}/reassign`, cookie, { to: o.w.id })).statusCode).toBe(404);

    const res = await o.page('POST', `/app/api/leads/${lead?.id ?? ''}/reassign`, cookie, { to: o.b.id });
    expect(res.statusCode, res.body).toBe(200);
    const change = await pushed;
    expect(change.orgId).toBe(o.orgId);

    const deltaA = ChangesResponse.parse((await o.bearer('GET', `/v1/leads/changes?cursor=${feedA.cursor}`, o.a.token)).json());
    const deltaB = ChangesResponse.parse((await o.bearer('GET', `/v1/leads/changes?cursor=${feedB.cursor}`, o.b.token)).json());
    expect(deltaA.removed).toEqual([lead?.id]);
    expect(deltaA.leads).toEqual([]);
    expect(deltaB.leads.map((l) => l.id)).toEqual([lead?.id]);
    // The feed position pushed is the one the lead moved to: the next page starts after it.
    expect(Number(change.seq)).toBeGreaterThan(0);
  });

  it('a CRM re-import that undoes a reassignment moves the lead back in both feeds', async () => {
    const o = await eastAndWest();
    const cookie = await o.signIn(o.manager.token);
    const lead = ChangesResponse.parse((await o.bearer('GET', '/v1/leads/changes', o.a.token)).json()).leads.find((l) => l.name === '顧客 A1');
    expect((await o.page('POST', `/app/api/leads/${lead?.id ?? ''}/reassign`, cookie, { to: o.b.id })).statusCode).toBe(200);
    const feedA = ChangesResponse.parse((await o.bearer('GET', '/v1/leads/changes', o.a.token)).json());
    const feedB = ChangesResponse.parse((await o.bearer('GET', '/v1/leads/changes', o.b.token)).json());
    expect(feedB.leads.map((l) => l.id)).toContain(lead?.id);
    // The nightly CRM sync still names the first owner: the lead is hers again, and both hear of it.
    const res = await o.bearer('POST', '/v1/ingest/leads', o.admin.token, { leads: [{ externalId: 'a1', name: '顧客 A1', ownerEmail: 'sato@example.jp', team: 'east' }] });
    expect(IngestLeadsResponse.parse(res.json())).toEqual({ upserted: 1, rejected: [] });
    const deltaA = ChangesResponse.parse((await o.bearer('GET', `/v1/leads/changes?cursor=${feedA.cursor}`, o.a.token)).json());
    const deltaB = ChangesResponse.parse((await o.bearer('GET', `/v1/leads/changes?cursor=${feedB.cursor}`, o.b.token)).json());
    expect(deltaA.leads.map((l) => [l.id, l.owner?.id])).toEqual([[lead?.id, o.a.id]]);
    expect(deltaB.removed).toEqual([lead?.id]);
  });

  it('"last synced" follows API use; a rep gets 403 on every manager and admin route', async () => {
    const o = await eastAndWest();
    const cookie = await o.signIn(o.manager.token);
    const lastSync = async (id: string) => ((await o.page('GET', '/app/api/users', cookie)).json() as { users: { id: string; lastSyncAt: number | null }[] }).users.find((u) => u.id === id)?.lastSyncAt;
    expect(await lastSync(o.a.id)).toBeNull();
    const before = o.clock.now;
    expect((await o.bearer('GET', '/v1/me', o.a.token)).statusCode).toBe(200);
    // Written off the request's path: await the row, not a delay.
    await expect.poll(() => lastSync(o.a.id)).toBe(before);
    // Within the minute a second request writes nothing; after it, the time moves.
    o.clock.advance(30_000);
    await o.bearer('GET', '/v1/me', o.a.token);
    o.clock.advance(60_000);
    await o.bearer('GET', '/v1/me', o.a.token);
    await expect.poll(() => lastSync(o.a.id)).toBe(before + 90_000);

    const rep = await o.signIn(o.a.token);
    const leadId = ((await o.bearer('GET', '/v1/leads/changes', o.a.token)).json() as ChangesResponse).leads[0]?.id ?? 'x';
    const routes: [('GET' | 'POST' | 'PUT' | 'DELETE'), string, unknown?][] = [
      ['POST', `/app/api/leads/${leadId}/reassign`, { to: o.a.id }],
      ['POST', '/app/api/rules/preview', { rules: {} }],
      ['PUT', '/app/api/rules', { baseVersion: 0, rules: {} }],
      ['GET', '/app/api/alerts'],
      ['PUT', '/app/api/alerts', {}],
      ['GET', '/app/api/users'],
      ['POST', '/app/api/users', { name: 'x', email: 'x@example.jp', role: 'rep' }],
      ['DELETE', `/app/api/users/${o.b.id}`],
      ['POST', `/app/api/users/${o.b.id}/tokens`, {}],
      ['DELETE', '/app/api/tokens/nope'],
    ];
    for (const [method, url, body] of routes) {
      const r = await o.page(method, url, rep, body);
      expect(r.statusCode, `${method} ${url}`).toBe(403);
    }
    // Nothing moved: the lead is still rep A's.
    const still = ChangesResponse.parse((await o.bearer('GET', '/v1/leads/changes', o.a.token)).json());
    expect(still.leads.map((l) => l.id)).toContain(leadId);
  });
});
