// @vitest-environment node
/**
 * The team policy the server serves: the one mapping from scoring rules (by hand, both ways),
 * the migration-safe read of older rule sets, and GET /v1/policy on every engine the machine has
 * (PGlite always, PostgreSQL when LEADLENS_TEST_DATABASE_URL is set): a rep gets their own
 * team's policy, a manager's save on the dashboard and an admin's PUT change what the rep gets
 * next, and an unchanged policy answers 304.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangesResponse, TeamPolicyResponse } from '../../utils/api/contract';
import { DEFAULT_TEAM_POLICY } from '../../utils/policy/team-policy';
import { buildApp } from '../../server/app';
import type { DbHandle } from '../../server/db/connect';
import { migrateDashboard, serverDashboard } from '../../server/dashboard/server-wiring';
import { teamPolicyOf, withTeamPolicy } from '../../server/scoring/policy';
import { DEFAULT_RULES, readStoredRules, type ScoringRules } from '../../server/scoring/rules';
import { createUser, ensureOrg } from '../../server/service/users';
import { dropSchema, ENGINES, openEngine, TestClock } from './server-harness';

describe('teamPolicyOf / withTeamPolicy', () => {
  const rules: ScoringRules = {
    ...DEFAULT_RULES,
    recentlyLostDays: 21, recentCallHours: 24, contactCapCalls: 5, callLookbackDays: 14, callWindowMinutes: 90, retryMinutes: 15,
    businessHours: { start: '10:00', end: '18:30', days: [5, 1, 3], timeZone: 'Asia/Tokyo', japaneseHolidays: false, closedDates: ['2026-12-31', '2026-12-29'] },
  };

  it('maps every policy field from its rule (names differ: lost days, call look-back)', () => {
    expect(teamPolicyOf(rules)).toEqual({
      lostCooldownDays: 21, recentCallHours: 24, contactCapCalls: 5, contactCapDays: 14, callWindowMinutes: 90, retryMinutes: 15,
      businessHours: { start: '10:00', end: '18:30', days: [1, 3, 5], timeZone: 'Asia/Tokyo' },
      japaneseHolidays: false, closedDates: ['2026-12-29', '2026-12-31'],
    });
  });

  it("the server's defaults are the extension's defaults", () => {
    expect(teamPolicyOf(DEFAULT_RULES)).toEqual(DEFAULT_TEAM_POLICY);
  });

  it('writes a policy back into a rule set and keeps every scoring-only rule', () => {
    const back = withTeamPolicy(DEFAULT_RULES, teamPolicyOf(rules));
    expect(teamPolicyOf(back)).toEqual(teamPolicyOf(rules));
    expect(back.hotThreshold).toBe(DEFAULT_RULES.hotThreshold);
    expect(back.points).toEqual(DEFAULT_RULES.points);
    expect(back.recentlyLostPoints).toBe(DEFAULT_RULES.recentlyLostPoints);
  });
});

describe('readStoredRules (rule sets saved by older servers)', () => {
  const { retryMinutes: _dropped, ...beforeRetry } = DEFAULT_RULES;
  it.each([
    ['without retryMinutes: the default 30', beforeRetry, { retryMinutes: 30 }],
    ["with '9:00' clocks: padded", { ...beforeRetry, businessHours: { ...DEFAULT_RULES.businessHours, start: '9:00', end: '18:00' } }, { businessHours: { ...DEFAULT_RULES.businessHours, start: '09:00', end: '18:00' } }],
    ['with fractional days and hours: rounded up to whole ones', { ...beforeRetry, recentlyLostDays: 10.5, recentCallHours: 1.5, callLookbackDays: 0.5 }, { recentlyLostDays: 11, recentCallHours: 2, callLookbackDays: 1 }],
  ])('%s', (_name, stored, expected) => {
    expect(readStoredRules(JSON.parse(JSON.stringify(stored)))).toMatchObject(expected);
  });

  it('a set broken beyond mending is undefined (the caller keeps the defaults)', () => {
    expect(readStoredRules({ ...DEFAULT_RULES, businessHours: { ...DEFAULT_RULES.businessHours, days: [] } })).toBeUndefined();
    expect(readStoredRules('not rules')).toBeUndefined();
  });

  it('a fraction is mended on read; hours that close before they open are not', () => {
    expect(readStoredRules({ ...DEFAULT_RULES, recentCallHours: 1.5 })?.recentCallHours).toBe(2);
    expect(readStoredRules({ ...DEFAULT_RULES, businessHours: { ...DEFAULT_RULES.businessHours, start: '19:00', end: '09:00' } })).toBeUndefined();
  });
});

describe.each(ENGINES)('GET /v1/policy on %s', (engine) => {
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
    const orgId = `pol_${randomBytes(4).toString('hex')}`;
    const clock = new TestClock();
    await ensureOrg(handle.db, orgId, clock.now);
    const dashboard = serverDashboard(handle.db, { clock: clock.fn });
    const app = await buildApp({ db: handle.db, clock: clock.fn, logger: false, config: { rescoreIntervalMs: 0 }, plugins: [dashboard.plugin] });
    apps.push(app);
    const user = async (name: string, role: 'rep' | 'manager' | 'admin' | 'ingest', team?: string) =>
      (await createUser(handle.db, orgId, { name, email: `${name}@${orgId}.test`, role, ...(team ? { team } : {}) }, clock.now)).token;
    const inject = (method: 'GET' | 'PUT' | 'POST', url: string, headers: Record<string, string>, body?: unknown): Promise<LightMyRequestResponse> =>
      app.inject({ method, url, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
    const policy = async (token: string, etag?: string) => inject('GET', '/v1/policy', { authorization: `Bearer ${token}`, ...(etag ? { 'if-none-match': etag } : {}) });
    return { orgId, clock, app, user, inject, policy, admin: await user('admin', 'admin') };
  }

  it("a rep gets their own team's policy; a manager's save on the dashboard reaches the rep's next request", async () => {
    const o = await org();
    const manager = await o.user('yamada', 'manager', 'east');
    const east = await o.user('sato', 'rep', 'east');
    const west = await o.user('west', 'rep', 'west');

    const first = await o.policy(east);
    expect(first.statusCode).toBe(200);
    expect(TeamPolicyResponse.parse(first.json())).toEqual({ policy: DEFAULT_TEAM_POLICY, version: 0, team: null });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"p-/);
    // Unchanged: one 304 without a body.
    const idle = await o.policy(east, etag);
    expect(idle.statusCode).toBe(304);
    expect(idle.body).toBe('');
    // The change feed names the same ETag, on its 304s too: an idle poll needs no policy request.
    const feed = await o.inject('GET', '/v1/leads/changes', { authorization: `Bearer ${east}` });
    expect(feed.headers['leadlens-policy']).toBe(etag);
    const idleFeed = await o.inject('GET', '/v1/leads/changes', { authorization: `Bearer ${east}`, 'if-none-match': String(feed.headers.etag) });
    expect([idleFeed.statusCode, idleFeed.headers['leadlens-policy']]).toEqual([304, etag]);

    // The manager signs in on the dashboard and saves team east's rules with a 24 h wait after a call.
    const session = await o.inject('POST', '/app/api/session', {}, { token: manager });
    expect(session.statusCode, session.body).toBe(200);
    const cookie = String(session.headers['set-cookie']).split(';')[0] ?? '';
    const current = (await o.inject('GET', '/app/api/rules', { cookie })).json() as { version: number; rules: Record<string, unknown> };
    o.clock.advance(60_000);
    const saved = await o.inject('PUT', '/app/api/rules', { cookie }, { baseVersion: current.version, rules: { ...current.rules, recentCallHours: 24 } });
    expect(saved.statusCode, saved.body).toBe(200);

    const after = await o.policy(east, etag);
    expect(after.statusCode).toBe(200);
    const body = TeamPolicyResponse.parse(after.json());
    expect(body).toEqual({ policy: { ...DEFAULT_TEAM_POLICY, recentCallHours: 24 }, version: 1, updatedAt: new Date(o.clock.now).toISOString(), team: 'east' });
    expect(after.headers.etag).not.toBe(etag);
    expect((await o.inject('GET', '/v1/leads/changes', { authorization: `Bearer ${east}` })).headers['leadlens-policy']).toBe(after.headers.etag);
    // Team west is not team east: it keeps the organisation's (default) policy.
    expect(TeamPolicyResponse.parse((await o.policy(west)).json())).toMatchObject({ version: 0, team: null, policy: { recentCallHours: 48 } });
  });

  it("a manager's save on the dashboard re-scores the team's leads at once (not at the next scheduled pass)", async () => {
    const o = await org();
    const manager = await o.user('yamada', 'manager', 'east');
    // An owner e-mail the ingest schema accepts (the helper's users live under the org id's domain).
    const east = (await createUser(handle.db, o.orgId, { name: 'sato', email: 'sato@kaede.example.jp', role: 'rep', team: 'east' }, o.clock.now)).token;
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const ingested = await o.inject('POST', '/v1/ingest/leads', auth(o.admin), { leads: [{ externalId: 'k1', name: '株式会社かえで', ownerEmail: 'sato@kaede.example.jp' }] });
    expect(ingested.json()).toEqual({ upserted: 1, rejected: [] });
    const at = new Date(o.clock.now - 60_000).toISOString();
    expect((await o.inject('POST', '/v1/ingest/events', auth(o.admin), { events: [{ id: 'k1-dl', lead: { externalId: 'k1' }, type: 'download', at }] })).statusCode).toBe(202);
    const before = ChangesResponse.parse((await o.inject('GET', '/v1/leads/changes', auth(east))).json());
    expect(before.leads.map((l) => [l.name, l.band])).toEqual([['株式会社かえで', 'cold']]);

    const session = await o.inject('POST', '/app/api/session', {}, { token: manager });
    const cookie = String(session.headers['set-cookie']).split(';')[0] ?? '';
    const current = (await o.inject('GET', '/app/api/rules', { cookie })).json() as { version: number; rules: Record<string, unknown> };
    // A team that calls earlier: hot from 5 points (the download alone is 8).
    const saved = await o.inject('PUT', '/app/api/rules', { cookie }, { baseVersion: current.version, rules: { ...current.rules, hotThreshold: 5, warmThreshold: 3 } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ rescored: 1 });

    // The scheduled re-score is off in this app (rescoreIntervalMs 0): only the save moved it.
    const after = ChangesResponse.parse((await o.inject('GET', `/v1/leads/changes?cursor=${encodeURIComponent(before.cursor)}`, auth(east))).json());
    expect(after.leads.map((l) => [l.name, l.band])).toEqual([['株式会社かえで', 'hot']]);
  });

  it("an admin's PUT /v1/admin/scoring: the organisation's set for teams without their own, the retry cadence included", async () => {
    const o = await org();
    const east = await o.user('sato', 'rep', 'east');
    const put = (body: unknown) => o.inject('PUT', '/v1/admin/scoring', { authorization: `Bearer ${o.admin}` }, body);
    const orgWide = await put({ rules: { ...DEFAULT_RULES, retryMinutes: 15, businessHours: { ...DEFAULT_RULES.businessHours, start: '10:00' } } });
    expect(orgWide.statusCode, orgWide.body).toBe(200);
    expect(TeamPolicyResponse.parse((await o.policy(east)).json())).toMatchObject({ version: 1, team: null, policy: { retryMinutes: 15, businessHours: { start: '10:00' } } });
    // A set the extension could not read is refused where it is written, with the field named.
    const bad = await put({ team: 'east', rules: { ...DEFAULT_RULES, recentCallHours: 1.5 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('recentCallHours');
  });

  it('an older stored set (no retryMinutes, 9:00) is served mended, not replaced by the defaults', async () => {
    const o = await org();
    const east = await o.user('sato', 'rep', 'east');
    const { retryMinutes: _dropped, ...old } = { ...DEFAULT_RULES, recentCallHours: 12, businessHours: { ...DEFAULT_RULES.businessHours, start: '9:30' } };
    await handle.db.insertInto('scoring_rules').values({ org_id: o.orgId, team: 'east', version: 1, rules: JSON.stringify(old), created_at: o.clock.now, created_by: null }).execute();
    expect(TeamPolicyResponse.parse((await o.policy(east)).json()).policy).toEqual({
      ...DEFAULT_TEAM_POLICY, recentCallHours: 12, retryMinutes: 30, businessHours: { ...DEFAULT_TEAM_POLICY.businessHours, start: '09:30' },
    });
  });

  it.runIf(engine === 'postgres')("a rule change saved through another server process reaches this one's next request (the parsed rules are cached per stored version)", async () => {
    const o = await org();
    const east = await o.user('sato', 'rep', 'east');
    const auth = { authorization: `Bearer ${east}` };
    const feed = await o.inject('GET', '/v1/leads/changes', auth);
    const policyTag = String(feed.headers['leadlens-policy']);
    const feedTag = String(feed.headers.etag);
    // This process has now read and cached version 0 (the defaults) for team east.
    expect((await o.inject('GET', '/v1/leads/changes', { ...auth, 'if-none-match': feedTag })).headers['leadlens-policy']).toBe(policyTag);
    // A second process: its own connection pool, its own cache, the same database.
    const other = await openEngine('postgres', handle.schema ? { schema: handle.schema } : {});
    try {
      const otherApp = await buildApp({ db: other.db, clock: o.clock.fn, logger: false, config: { rescoreIntervalMs: 0 } });
      apps.push(otherApp);
      const put = await otherApp.inject({ method: 'PUT', url: '/v1/admin/scoring', headers: { authorization: `Bearer ${o.admin}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ team: 'east', rules: { ...DEFAULT_RULES, recentCallHours: 6 } }) });
      expect(put.statusCode, put.body).toBe(200);
      const idle = await o.inject('GET', '/v1/leads/changes', { ...auth, 'if-none-match': feedTag });
      expect(idle.statusCode).toBe(304);
      expect(idle.headers['leadlens-policy']).not.toBe(policyTag);
      const served = await o.policy(east, policyTag);
      expect(served.statusCode).toBe(200);
      expect(TeamPolicyResponse.parse(served.json())).toMatchObject({ version: 1, team: 'east', policy: { recentCallHours: 6 } });
      expect(served.headers.etag).toBe(idle.headers['leadlens-policy']);
    } finally {
      await other.close();
    }
  });

  it('needs a signed-in reader: no token is 401, an ingest token 403', async () => {
    const o = await org();
    const ingest = await o.user('connector', 'ingest');
    expect((await o.inject('GET', '/v1/policy', {})).statusCode).toBe(401);
    expect((await o.policy(ingest)).statusCode).toBe(403);
  });
});
