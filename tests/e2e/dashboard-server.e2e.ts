/**
 * The manager's web app in real Chromium on the real server (PGlite, the dashboard wired as
 * main.ts wires it): leads and events arrive through the ingest API, the manager signs in with
 * their token, the two-hour table shows the numbers counted here from what was sent, and a
 * reassignment on the waiting screen lands in the new rep's change feed.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { launchHeadless } from '../../demo/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { connect, type DbHandle } from '../../server/db/connect';
import { migrateDashboard, serverDashboard } from '../../server/dashboard/server-wiring';
import { buildDashboard } from '../../server/dashboard/web/build';
import { createUser, ensureOrg } from '../../server/service/users';
import { ChangesResponse } from '../../utils/api/contract';

const ORG = 'acme';
const NOW = Date.parse('2026-11-25T05:00:00Z');
const MIN = 60_000;
const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00Z`);

let handle: DbHandle;
let app: FastifyInstance;
let browser: Browser;
let base = '';
const users: Record<'admin' | 'manager' | 'a' | 'b', { id: string; token: string; name: string }> = {} as never;

async function api(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return res.json();
}

const cases = [
  { lead: 'a1', owner: 'a', needAt: at('00:10'), callAt: at('00:40') },
  { lead: 'a2', owner: 'a', needAt: at('00:20'), callAt: at('03:00') },
  { lead: 'b1', owner: 'b', needAt: at('00:30') },
  { lead: 'b2', owner: 'b', needAt: at('04:30') },
] as const;

beforeAll(async () => {
  const staticDir = await buildDashboard(join(tmpdir(), `leadlens-dashboard-server-${process.pid}`));
  handle = await connect({});
  await ensureOrg(handle.db, ORG, NOW);
  await migrateDashboard(handle.db);
  const dashboard = serverDashboard(handle.db, { clock: () => NOW, staticDir });
  app = await buildApp({ db: handle.db, clock: () => NOW, logger: false, config: { orgId: ORG, rescoreIntervalMs: 0 }, plugins: [dashboard.plugin], onTokenUsed: dashboard.tokenUsed });
  for (const [key, input] of [
    ['admin', { name: 'Admin', email: 'admin@acme.jp', role: 'admin' }],
    ['manager', { name: '山田 部長', email: 'yamada@acme.jp', role: 'manager', team: 'east' }],
    ['a', { name: '佐藤 花子', email: 'sato@acme.jp', role: 'rep', team: 'east' }],
    ['b', { name: '田中 一郎', email: 'tanaka@acme.jp', role: 'rep', team: 'east' }],
  ] as const) {
    const r = await createUser(handle.db, ORG, input, NOW);
    users[key] = { id: r.user.id, token: r.token, name: input.name };
  }
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  await api('POST', '/v1/ingest/leads', users.admin.token, { leads: cases.map((c) => ({ externalId: c.lead, name: `顧客 ${c.lead.toUpperCase()}`, ownerEmail: c.owner === 'a' ? 'sato@acme.jp' : 'tanaka@acme.jp', team: 'east' })) });
  // B2 was busy before its form: hot now, so it waits on the waiting screen.
  const warmUp = ['seminar_attended', 'download', 'key_page', 'email_click', 'web_visit'].map((type, i) => ({ id: `warm-${i}`, lead: { externalId: 'b2' }, type, at: new Date(at('04:00') + i * MIN).toISOString(), title: type }));
  await api('POST', '/v1/ingest/events', users.admin.token, { events: [...warmUp, ...cases.flatMap((c) => [
    { id: `form-${c.lead}`, lead: { externalId: c.lead }, type: 'form_submit', at: new Date(c.needAt).toISOString(), title: 'お問い合わせ' },
    ...('callAt' in c ? [{ id: `call-${c.lead}`, lead: { externalId: c.lead }, type: 'call', at: new Date(c.callAt).toISOString(), title: '架電', meta: { outcome: 'connected', actorId: users[c.owner].id } }] : []),
  ])] });
  browser = await launchHeadless();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await handle?.close();
});

async function signedIn(token: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${base}/app/`);
  await page.getByTestId('token').fill(token);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('who').waitFor();
  return page;
}

describe('manager dashboard on the real server in Chromium', () => {
  it('the two-hour table shows the numbers of the ingested events', async () => {
    const page = await signedIn(users.manager.token);
    await page.getByTestId('response-table').waitFor();
    const rows = await page.$$eval('[data-testid=response-table] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    for (const rep of ['a', 'b'] as const) {
      const mine = cases.filter((c) => c.owner === rep);
      const inWindow = mine.filter((c) => 'callAt' in c && c.callAt - c.needAt <= 120 * MIN).length;
      const row = rows.find((r) => r[1] === users[rep].name);
      expect(row, users[rep].name).toBeDefined();
      expect(Number(row?.[2]), `${rep} needs`).toBe(mine.length);
      expect(Number(row?.[3]), `${rep} in window`).toBe(inWindow);
    }
    await page.context().close();
  });

  it("a reassignment on the waiting screen lands in the new rep's change feed", async () => {
    const feedA = ChangesResponse.parse(await api('GET', '/v1/leads/changes', users.a.token));
    expect(feedA.leads.map((l) => l.name)).not.toContain('顧客 B2');
    const b2 = ChangesResponse.parse(await api('GET', '/v1/leads/changes', users.b.token)).leads.find((l) => l.name === '顧客 B2');
    expect(b2).toBeDefined();

    const page = await signedIn(users.manager.token);
    await page.getByTestId('nav-waiting').click();
    const row = page.getByTestId(`waiting-${b2?.id ?? ''}`);
    await row.waitFor();
    expect(await row.getByTestId('owner').textContent()).toBe(users.b.name);
    await row.getByTestId('reassign-to').selectOption(users.a.id);
    await row.getByTestId('reassign').click();
    await page.getByTestId('notice').waitFor();
    await expect.poll(() => row.getByTestId('owner').textContent()).toBe(users.a.name);
    await page.context().close();

    const deltaA = ChangesResponse.parse(await api('GET', `/v1/leads/changes?cursor=${feedA.cursor}`, users.a.token));
    expect(deltaA.leads.map((l) => l.id)).toEqual([b2?.id]);
  });
});
