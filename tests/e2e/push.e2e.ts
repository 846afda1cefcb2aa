/**
 * Push in real Chromium against the real server: an event ingested into the server turns a
 * lead hot and the badge and the open panel show it within seconds — far sooner than the poll
 * could. Then WebSocket upgrades are refused (as by a proxy that does not pass them): the poll
 * still delivers, and once upgrades pass again the stream comes back by itself.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { connectThroughOptions, E2E_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../../demo/browser';
import { createRecordSource } from '../../demo/site/sample-records';
import { startCrmSite, type CrmSite } from '../../demo/site/server';
import { frontDoor } from './front-door';
import { ALL_WEEK_POLICY, openAllWeek, rulesInDb } from './open-all-week';
import { buildApp } from '../../server/app';
import { connect, type DbHandle } from '../../server/db/connect';
import { createUser, ensureOrg } from '../../server/service/users';
import { streamPlugin } from '../../server/stream/plugin';
import { PgRelay } from '../../server/stream/relay';

const RECORD = { crm: 'salesforce' as const, objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV' };
const RECORD_URL = `https://leadlens-demo.lightning.force.com/lightning/r/Lead/${RECORD.recordId}/view`;

let handle: DbHandle;
let app: FastifyInstance;
let site: CrmSite;
let browser: ExtensionBrowser;
let door: ReturnType<typeof frontDoor>;
let apiUrl: string;
let feedToken: string;

const ingest = async (path: string, body: unknown) => {
  const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${feedToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok).toBe(true);
  return res.json();
};
const seminar = (title: string) => ({
  id: `zoom-${randomBytes(6).toString('hex')}`, lead: { externalId: 'SF-00Q5g00000AbCdEEAV' },
  type: 'seminar_attended', at: new Date().toISOString(), title,
});
const badgeText = () => browser.worker.evaluate(() => chrome.action.getBadgeText({}));
const panel = (page: Page) => page.locator('leadlens-panel');

async function popupSyncLine(): Promise<string> {
  const popup = await browser.context.newPage();
  try {
    await popup.goto(browser.extensionUrl('popup.html'));
    const line = popup.getByTestId('popup-status');
    await line.waitFor();
    return (await line.textContent()) ?? '';
  } finally {
    await popup.close();
  }
}

beforeAll(async () => {
  site = await startCrmSite({ port: 0, records: createRecordSource([{ ...RECORD, name: '田中 太郎', company: '株式会社サンプル商事', email: 'taro.tanaka@sample-shoji.example', owner: '佐藤 健' }]) });
  // The e2e build, with its test hook opening the (closed) panel to Playwright's locators.
  browser = await launchWithExtension({ hostRules: site.hostRules, headless: true, extensionDir: E2E_EXTENSION_DIR, openPanelForTests: true });
  await openAllWeek(browser);
  handle = await connect({});
  const now = Date.now();
  await ensureOrg(handle.db, 'default', now);
  await rulesInDb(handle.db, 'default').setTeamPolicy(ALL_WEEK_POLICY);
  const rep = await createUser(handle.db, 'default', { name: '佐藤 健', email: 'sato@example.jp', role: 'rep', team: 'tokyo' }, now);
  feedToken = (await createUser(handle.db, 'default', { name: 'Zoom', email: 'zoom@example.jp', role: 'ingest' }, now)).token;
  app = await buildApp({ db: handle.db, logger: false, config: { corsOrigins: [`chrome-extension://${browser.extensionId}`], rescoreIntervalMs: 0 }, plugins: [streamPlugin()] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  door = frontDoor((app.server.address() as AddressInfo).port);
  await new Promise<void>((resolve) => door.server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(door.server.address() as AddressInfo).port}`;
  await ingest('/v1/ingest/leads', { leads: [{
    externalId: 'SF-00Q5g00000AbCdEEAV', name: '田中 太郎', company: '株式会社サンプル商事', email: 'taro.tanaka@sample-shoji.example',
    // A department head at a 500-person company: the profile points that, with a seminar and an
    // inquiry, cross the default hot threshold (70).
    jobTitle: '情報システム部 部長', employees: 500,
    ownerEmail: 'sato@example.jp', crmRefs: [{ ...RECORD, url: RECORD_URL }],
  }] });
  await (await connectThroughOptions(browser, apiUrl, rep.token)).close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  door?.server.close();
  await app?.close();
  await handle?.close();
  await site?.close();
});

describe('push from the server', () => {
  it('goes live, and a seminar attendance reaches the badge and the open panel in seconds', async () => {
    await expect.poll(popupSyncLine, { timeout: 20_000, interval: 500 }).toMatch(/^Live/);
    const page = await browser.context.newPage();
    await page.goto(RECORD_URL);
    await expect.poll(() => panel(page).getByTestId('lead-name').textContent(), { timeout: 15_000 }).toBe('田中 太郎');
    expect(await panel(page).getByTestId('lead-band').textContent()).not.toBe('Hot');
    expect(await badgeText()).toBe('');

    await ingest('/v1/ingest/events', { events: [seminar('kintone活用セミナー'), { ...seminar('資料請求'), type: 'form_submit' }] });
    // The poll runs every 60 s and, while live, every 5 minutes: only the push can be this quick.
    await expect.poll(badgeText, { timeout: 10_000, interval: 100 }).toBe('1');
    await expect.poll(() => panel(page).getByTestId('lead-band').textContent(), { timeout: 10_000, interval: 100 }).toBe('Hot');
    await page.close();
  });

  it('falls back to the poll while the socket cannot connect, then comes back by itself', async () => {
    // A short poll, as a rep may set it, so the fallback shows within the test.
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    await options.evaluate(() => chrome.storage.local.set({ pollSeconds: 5 }));
    await options.close();

    door.blockUpgrades();
    await expect.poll(popupSyncLine, { timeout: 20_000, interval: 500 }).not.toMatch(/^Live/);
    const before = await badgeText();
    await ingest('/v1/ingest/leads', { leads: [{ externalId: 'SF-stock-1', name: '伊藤 美咲', jobTitle: '代表取締役', employees: 300, ownerEmail: 'sato@example.jp' }] });
    await ingest('/v1/ingest/events', { events: [{ ...seminar('AI活用ウェビナー'), lead: { externalId: 'SF-stock-1' } }, { ...seminar('お問い合わせ'), type: 'form_submit', lead: { externalId: 'SF-stock-1' } }] });
    await expect.poll(badgeText, { timeout: 20_000, interval: 250 }).toBe(String(Number(before) + 1));

    door.allowUpgrades();
    await expect.poll(popupSyncLine, { timeout: 90_000, interval: 1_000 }).toMatch(/^Live/);
  });
});

// Two server processes behind one load balancer share a PostgreSQL: the extension is connected
// to instance B (stream and API), the event arrives through instance A, and LISTEN/NOTIFY
// carries it across. CI starts a PostgreSQL; without LEADLENS_TEST_DATABASE_URL this part is skipped.
const pgUrl = process.env.LEADLENS_TEST_DATABASE_URL;
describe.runIf(pgUrl)('push across two server instances on one PostgreSQL', () => {
  const schema = `push_e2e_${randomBytes(4).toString('hex')}`;
  const handles: DbHandle[] = [];
  const relays: PgRelay[] = [];
  const apps: FastifyInstance[] = [];
  let second: ExtensionBrowser;
  let baseA: string;
  let feed: string;

  beforeAll(async () => {
    const url = pgUrl!;
    for (let i = 0; i < 2; i++) handles.push(await connect({ databaseUrl: url, schema, poolSize: 3 }));
    const now = Date.now();
    await ensureOrg(handles[0]!.db, 'default', now);
    await rulesInDb(handles[0]!.db, 'default').setTeamPolicy(ALL_WEEK_POLICY);
    const rep = await createUser(handles[0]!.db, 'default', { name: '鈴木 一郎', email: 'suzuki@example.jp', role: 'rep', team: 'osaka' }, now);
    feed = (await createUser(handles[0]!.db, 'default', { name: 'Zoom', email: 'zoom-b@example.jp', role: 'ingest' }, now)).token;
    second = await launchWithExtension({ hostRules: site.hostRules, headless: true, extensionDir: E2E_EXTENSION_DIR });
    await openAllWeek(second);
    for (const handle of handles) {
      const relay = await PgRelay.start(url);
      relays.push(relay);
      const instance = await buildApp({ db: handle.db, logger: false, config: { corsOrigins: [`chrome-extension://${second.extensionId}`], rescoreIntervalMs: 0 }, plugins: [streamPlugin({ relay })] });
      await instance.listen({ port: 0, host: '127.0.0.1' });
      apps.push(instance);
    }
    const base = (i: number) => `http://127.0.0.1:${(apps[i]!.server.address() as AddressInfo).port}`;
    baseA = base(0);
    const res = await fetch(`${baseA}/v1/ingest/leads`, {
      method: 'POST', headers: { Authorization: `Bearer ${feed}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ leads: [{ externalId: 'B-1', name: '鈴木 花子', jobTitle: '部長', employees: 500, ownerEmail: 'suzuki@example.jp' }] }),
    });
    expect(res.ok).toBe(true);
    await (await connectThroughOptions(second, base(1), rep.token)).close();
  }, 120_000);

  afterAll(async () => {
    await second?.close();
    for (const instance of apps) await instance.close();
    for (const relay of relays) await relay.close();
    await handles[0]?.db.schema.dropSchema(schema).cascade().execute().catch(() => undefined);
    for (const handle of handles) await handle.close();
  });

  it('an event ingested through instance A reaches the badge of an extension connected to instance B', async () => {
    const badgeOf = () => second.worker.evaluate(() => chrome.action.getBadgeText({}));
    const line = async () => {
      const popup = await second.context.newPage();
      try {
        await popup.goto(second.extensionUrl('popup.html'));
        return (await popup.getByTestId('popup-status').textContent()) ?? '';
      } finally {
        await popup.close();
      }
    };
    await expect.poll(line, { timeout: 20_000, interval: 500 }).toMatch(/^Live/);
    expect(await badgeOf()).toBe('');
    const res = await fetch(`${baseA}/v1/ingest/events`, {
      method: 'POST', headers: { Authorization: `Bearer ${feed}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events: [
        { ...seminar('kintone活用セミナー'), lead: { externalId: 'B-1' } },
        { ...seminar('資料請求'), type: 'form_submit', lead: { externalId: 'B-1' } },
      ] }),
    });
    expect(res.status).toBe(202);
    // Only the push is this quick: the poll runs every 5 minutes while live.
    await expect.poll(badgeOf, { timeout: 10_000, interval: 100 }).toBe('1');
  });
});
