// @vitest-environment node
// The dashboard's routes through Fastify's inject: session sign-in, scopes per role (a rep never
// sees another rep's numbers nor any management route), CSRF guards, rules, CSV and tokens.
import Fastify, { type FastifyInstance } from 'fastify';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dashboardPlugin } from '../../server/dashboard/plugin';
import { thresholdFor, DEFAULT_TEAM_RULES, type TeamRules } from '../../server/dashboard/rules';
import { sha256 } from '../../server/dashboard/session';
import type { PreviewLead } from '../../server/dashboard/repo';
import { MemoryRepo, NOW, TOKENS, seedTeam as seed } from '../fixtures/dashboard-memory-repo';


// Toy scorer for the preview: hot when the lead's score reaches its channel's threshold.
const isHot = (lead: PreviewLead, rules: TeamRules): boolean => {
  const d = lead.data as { score: number; channel?: string };
  return d.score >= thresholdFor(rules, d.channel);
};

let app: FastifyInstance;
let repo: MemoryRepo;

beforeEach(async () => {
  repo = new MemoryRepo();
  seed(repo);
  app = Fastify();
  await app.register(dashboardPlugin, { repo, isHot, clock: () => NOW });
  await app.ready();
});
afterEach(() => app.close());

async function signIn(token: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/app/api/session', payload: { token } });
  expect(res.statusCode).toBe(200);
  return /ll_session=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1] ?? '';
}
const get = (cookie: string, url: string) => app.inject({ method: 'GET', url, headers: { cookie: `ll_session=${cookie}` } });
const send = (cookie: string, method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  app.inject({ method, url, headers: { cookie: `ll_session=${cookie}`, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}) });

describe('sign-in', () => {
  it('exchanges a token for an HttpOnly SameSite=Strict cookie, and signs out', async () => {
    const res = await app.inject({ method: 'POST', url: '/app/api/session', payload: { token: TOKENS.mgr } });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/app/);
    const sid = /ll_session=([^;]+)/.exec(cookie)?.[1] ?? '';
    expect(repo.sessions.has(sha256(sid))).toBe(true);
    expect([...repo.sessions.keys()]).not.toContain(sid);
    expect((await get(sid, '/app/api/me')).json()).toMatchObject({ user: { id: 'mgr', role: 'manager', team: 'A' } });
    await send(sid, 'DELETE', '/app/api/session');
    expect((await get(sid, '/app/api/me')).statusCode).toBe(401);
  });

  it.each<[string, string, number]>([
    ['unknown token', 'tok-unknown-zzzz', 401],
    ['connector token', TOKENS.ingest, 403],
  ])('refuses an %s', async (_n, token, status) => {
    expect((await app.inject({ method: 'POST', url: '/app/api/session', payload: { token } })).statusCode).toBe(status);
  });

  it('no cookie, no data', async () => {
    expect((await app.inject({ method: 'GET', url: '/app/api/response' })).statusCode).toBe(401);
    expect((await get('forged', '/app/api/waiting')).statusCode).toBe(401);
  });

  it('refuses cross-site writes and non-JSON bodies', async () => {
    const sid = await signIn(TOKENS.mgr);
    const cross = await app.inject({ method: 'POST', url: '/app/api/leads/L4/reassign', headers: { cookie: `ll_session=${sid}`, origin: 'https://evil.example', host: 'localhost:80', 'content-type': 'application/json' }, payload: '{"to":"rep1"}' });
    expect(cross.statusCode).toBe(403);
    const form = await app.inject({ method: 'POST', url: '/app/api/leads/L4/reassign', headers: { cookie: `ll_session=${sid}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'to=rep1' });
    expect(form.statusCode).toBe(415);
    expect(repo.reassigned).toEqual([]);
  });
});

describe('a rep', () => {
  it('sees only their own numbers', async () => {
    const sid = await signIn(TOKENS.rep1);
    const body = (await get(sid, '/app/api/response?granularity=week')).json() as { team: unknown[]; reps: { repId: string }[] };
    expect(body.team).toEqual([]);
    expect(body.reps.map((r) => r.repId)).toEqual(['rep1']);
    const waiting = (await get(sid, '/app/api/waiting')).json() as { waiting: { leadId: string }[] };
    expect(waiting.waiting.map((w) => w.leadId)).toEqual(['L6']);
    const notes = (await get(sid, '/app/api/voc/notes')).json() as { notes: { id: string }[] };
    expect(notes.notes.map((n) => n.id).sort()).toEqual(['c1', 'c2']);
  });

  it.each<[string]>([
    ['/app/api/response?rep=rep2'], ['/app/api/response/missed?rep=rep2'], ['/app/api/waiting?rep=rep2'], ['/app/api/voc?rep=rep2'],
  ])('cannot open another rep\'s numbers: %s', async (url) => {
    const sid = await signIn(TOKENS.rep1);
    expect((await get(sid, url)).statusCode).toBe(403);
  });

  it.each<['GET' | 'POST' | 'PUT' | 'DELETE', string, unknown]>([
    ['GET', '/app/api/users', undefined],
    ['POST', '/app/api/users', { name: 'x', email: 'x@example.jp' }],
    ['DELETE', '/app/api/users/rep2', undefined],
    ['POST', '/app/api/users/rep2/tokens', {}],
    ['POST', '/app/api/users/rep1/tokens', {}],
    ['DELETE', '/app/api/tokens/tk-rep2', undefined],
    ['POST', '/app/api/leads/L4/reassign', { to: 'rep1' }],
    ['POST', '/app/api/rules/preview', { rules: DEFAULT_TEAM_RULES }],
    ['PUT', '/app/api/rules', { baseVersion: 0, rules: { ...DEFAULT_TEAM_RULES, hotThreshold: 10 } }],
    ['GET', '/app/api/alerts', undefined],
    ['PUT', '/app/api/alerts', { settings: {} }],
  ])('cannot use %s %s', async (method, url, payload) => {
    const sid = await signIn(TOKENS.rep1);
    const res = method === 'GET' ? await get(sid, url) : await send(sid, method, url, payload);
    expect(res.statusCode).toBe(403);
    expect(repo.reassigned).toEqual([]);
    expect(repo.ruleVersions.size).toBe(0);
    expect(repo.tokens.every((t) => t.revokedAt === null)).toBe(true);
  });
});

describe('a manager', () => {
  it('sees the team by week, computed from the needs and calls above', async () => {
    const sid = await signIn(TOKENS.mgr);
    const body = (await get(sid, '/app/api/response?granularity=week')).json() as { team: Record<string, unknown>[]; reps: Record<string, unknown>[] };
    // Team A, week of 11-23: L1 in window (30 min), L2 late (150), L3 in window (60), L4 and L6 waiting.
    expect(body.team).toEqual([expect.objectContaining({ period: '2026-11-23', needs: 5, calledInWindow: 2, missedWindows: 1, waiting: 2, ratePercent: 67, medianMinutesToFirstCall: 60 })]);
    expect(body.reps.map((r) => [r.repId, r.repName, r.needs, r.calledInWindow, r.ratePercent])).toEqual([
      ['rep1', '田中', 3, 1, 50],
      ['rep2', '鈴木', 2, 1, 100],
    ]);
    const missed = (await get(sid, '/app/api/response/missed?rep=rep1')).json() as { missed: { leadId: string; status: string; link: string }[] };
    expect(missed.missed).toEqual([expect.objectContaining({ leadId: 'L2', status: 'late', link: 'https://acme.cybozu.com/k/12/show#record=2' })]);
    // Another team's rep is outside the scope: nothing to see.
    expect(((await get(sid, '/app/api/response/missed?rep=rep3')).json() as { missed: unknown[] }).missed).toEqual([]);
  });

  it('reassigns a waiting lead within the team only', async () => {
    const sid = await signIn(TOKENS.mgr);
    const before = (await get(sid, '/app/api/waiting')).json() as { waiting: { leadId: string; ownerName: string; timeLeftMs: number }[] };
    expect(before.waiting.map((w) => [w.leadId, w.ownerName, w.timeLeftMs / 60_000])).toEqual([['L4', '鈴木', 60], ['L6', '田中', 90]]);
    expect((await send(sid, 'POST', '/app/api/leads/L4/reassign', { to: 'rep3' })).statusCode).toBe(404);
    expect((await send(sid, 'POST', '/app/api/leads/L5/reassign', { to: 'rep1' })).statusCode).toBe(404);
    expect((await send(sid, 'POST', '/app/api/leads/L4/reassign', { to: 'rep1' })).statusCode).toBe(200);
    const after = (await get(sid, '/app/api/waiting')).json() as { waiting: { leadId: string; ownerName: string }[] };
    expect(after.waiting.map((w) => [w.leadId, w.ownerName])).toEqual([['L4', '田中'], ['L6', '田中']]);
  });

  it('previews and saves rules, with an audit log and stale-save protection', async () => {
    const sid = await signIn(TOKENS.mgr);
    const current = (await get(sid, '/app/api/rules')).json() as { version: number; rules: TeamRules; explanation: { key: string }[] };
    expect(current.version).toBe(0);
    expect(current.explanation[0]).toEqual({ key: 'explainHot', values: [70] });
    const proposed = { ...current.rules, channelHotThresholds: { seminar: 40 } };
    // Team A scores: L1 80 web, L2 65 seminar, L3 40 seminar, L4 90, L6 75 → hot at 70: L1, L4, L6; with seminar 40: + L2, L3.
    const preview = (await send(sid, 'POST', '/app/api/rules/preview', { rules: proposed })).json() as { hotNow: number; hotBefore: number; more: number; fewer: number; examplesMore: { id: string }[] };
    expect(preview).toMatchObject({ hotBefore: 3, hotNow: 5, more: 2, fewer: 0 });
    expect(preview.examplesMore.map((l) => l.id)).toEqual(['L2', 'L3']);
    expect((await send(sid, 'PUT', '/app/api/rules', { baseVersion: 0, rules: { ...proposed, halfLifeDays: -1 } })).statusCode).toBe(400);
    expect((await send(sid, 'PUT', '/app/api/rules', { baseVersion: 0, rules: proposed })).json()).toMatchObject({ version: 1 });
    expect((await send(sid, 'PUT', '/app/api/rules', { baseVersion: 0, rules: { ...proposed, hotThreshold: 60 } })).statusCode).toBe(409);
    const audit = ((await get(sid, '/app/api/rules')).json() as { audit: { version: number; byName: string; changes: unknown[] }[] }).audit;
    expect(audit).toEqual([{ version: 1, at: NOW, by: 'mgr', byName: '佐藤 課長', changes: [{ path: 'channelHotThresholds.seminar', after: 40 }] }]);
    // Another team's rules are untouched.
    expect(repo.ruleVersions.has('B')).toBe(false);
  });

  it('exports the voice of the customer as Excel-ready CSV', async () => {
    const sid = await signIn(TOKENS.mgr);
    const res = await get(sid, '/app/api/voc/export.csv?lang=ja');
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parseCsv(res.body, { bom: true }) as string[][];
    expect(rows).toEqual([
      ['日時', '担当', 'リード', '結果', '失注理由', 'メモ'],
      ['2026-11-25 15:00', '鈴木', 'リードL3', 'クレーム', '', '電話が多い'],
      ['2026-11-24 13:30', '田中', 'リードL2', '失注', '価格', '価格が高い, "再検討"'],
      ['2026-11-24 10:30', '田中', 'リードL1', '通話', '', "'=1+1 予算は来期"],
    ]);
    const voc = (await get(sid, '/app/api/voc?granularity=week')).json() as { total: { calls: number; complaintsPer100Calls: number } };
    expect(voc.total).toMatchObject({ calls: 3, complaintsPer100Calls: 33.3 });
  });

  it('adds reps and issues tokens shown once; revoking one ends its sign-in', async () => {
    const sid = await signIn(TOKENS.mgr);
    expect((await send(sid, 'POST', '/app/api/users', { name: '伊藤', email: 'ito@example.jp', role: 'manager' })).statusCode).toBe(403);
    expect((await send(sid, 'POST', '/app/api/users', { name: '伊藤', email: 'rep1@example.jp' })).statusCode).toBe(409);
    const created = (await send(sid, 'POST', '/app/api/users', { name: '伊藤', email: 'ito@example.jp' })).json() as { id: string };
    const issued = await send(sid, 'POST', `/app/api/users/${created.id}/tokens`, {});
    expect(issued.headers['cache-control']).toBe('no-store');
    const { id: tokenId, token } = issued.json() as { id: string; token: string };
    expect(token).toMatch(/^ll_[A-Za-z0-9_-]{43}$/);
    expect(repo.tokens.find((t) => t.id === tokenId)?.hash).toBe(sha256(token));
    const users = (await get(sid, '/app/api/users')).json() as { users: { id: string; team: string; lastSyncAt: number | null }[] };
    expect(users.users.map((u) => u.id)).toEqual(['mgr', 'rep1', 'rep2', created.id]);
    expect(users.users.find((u) => u.id === 'rep1')?.lastSyncAt).toBe(NOW - 60_000);
    const itoSid = await signIn(token);
    expect((await get(itoSid, '/app/api/me')).json()).toMatchObject({ user: { id: created.id, role: 'rep', team: 'A' } });
    expect((await send(sid, 'DELETE', `/app/api/tokens/${tokenId}`)).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/app/api/session', payload: { token } })).statusCode).toBe(401);
    // Another team's rep and their tokens are out of reach.
    expect((await send(sid, 'POST', '/app/api/users/rep3/tokens', {})).statusCode).toBe(404);
    expect((await send(sid, 'DELETE', '/app/api/tokens/tk-rep3')).statusCode).toBe(404);
    expect((await send(sid, 'DELETE', '/app/api/users/rep3')).statusCode).toBe(404);
    // Removing a rep ends their sessions too.
    const rep2Sid = await signIn(TOKENS.rep2);
    expect((await send(sid, 'DELETE', '/app/api/users/rep2')).statusCode).toBe(200);
    expect((await get(rep2Sid, '/app/api/me')).statusCode).toBe(401);
  });
});

describe('an admin', () => {
  it('chooses the team', async () => {
    const sid = await signIn(TOKENS.admin);
    const b = (await get(sid, '/app/api/waiting?team=B')).json() as { waiting: { leadId: string }[] };
    expect(b.waiting.map((w) => w.leadId)).toEqual(['L5']);
    const all = (await get(sid, '/app/api/waiting')).json() as { waiting: { leadId: string }[] };
    expect(all.waiting.map((w) => w.leadId).sort()).toEqual(['L4', 'L5', 'L6']);
  });
});
