/**
 * The story end to end, from a Zoom webinar to the rep's toolbar: Zoom posts a signed
 * webinar.participant_joined for a lead the demo rep owns to the real server's Zoom connector
 * (signed as Zoom signs: v0 HMAC-SHA256 of "v0:<timestamp>:<body>" with the app's secret token);
 * the server verifies it, matches the lead by email, stores and scores the attendance, and
 * pushes the change. In real Chromium with the built extension, the badge counts one more hot
 * lead and the lead's open panel shows the need signal ("Attended seminar: …") with its call
 * window running. A payload signed with another secret changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectThroughOptions, E2E_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../../demo/browser';
import { startDemoStack, type DemoStack } from '../../demo/stack';
import { connectorsPlugin } from '../../server/connectors';
import { zoomSignature } from '../../server/connectors/zoom/signature';
import { streamPlugin } from '../../server/stream/plugin';
import { openAllWeek } from './open-all-week';

const SECRET = 'zoom-app-secret-token-e2e';
const TOPIC = 'kintone活用セミナー 第3回';

let stack: DemoStack;
let browser: ExtensionBrowser;

const badgeText = () => browser.worker.evaluate(() => chrome.action.getBadgeText({}));
const panel = (page: Page) => page.locator('leadlens-panel');

/** What Zoom sends when a registrant joins a webinar, signed with `secret`. */
async function zoomJoined(email: string, secret: string): Promise<Response> {
  const body = JSON.stringify({
    event: 'webinar.participant_joined',
    event_ts: Date.now(),
    payload: {
      account_id: 'AbCdEfGhIjKlMnOp',
      object: {
        id: '81234567890', uuid: 'iGZ4mEqRSkGCB8t0Ws9k0g==', host_id: 'z8yCxjabcdEFGHfp8uQ', topic: TOPIC, type: 5,
        start_time: new Date(Date.now() - 10 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'), timezone: 'Asia/Tokyo', duration: 60,
        participant: { user_id: '16778240', user_name: '参加者', email, join_time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), participant_uuid: 'Pa1b2c3D4e5F', registrant_id: 'R3g1strant' },
      },
    },
  });
  const ts = String(Math.floor(Date.now() / 1000));
  return fetch(`${stack.api.url}/v1/connectors/zoom/webinars`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-zm-request-timestamp': ts, 'x-zm-signature': zoomSignature(secret, ts, body) },
    body,
  });
}

beforeAll(async () => {
  stack = await startDemoStack({
    plugins: [
      streamPlugin(),
      async (root: FastifyInstance) => {
        await root.register(connectorsPlugin, { sink: root.leadlens, schedule: false, config: { zoom: [{ id: 'webinars', orgId: 'default', secretToken: SECRET }] } });
      },
    ],
  });
  browser = await launchWithExtension({ hostRules: stack.site.hostRules, headless: true, extensionDir: E2E_EXTENSION_DIR, openPanelForTests: true });
  // The server's team policy wins over the rep's own: open all week on both sides.
  await openAllWeek(browser, stack.api);
  await (await connectThroughOptions(browser, stack.api.url, stack.token)).close();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('Zoom attendance → badge and panel', () => {
  it('a signed webinar join turns the rep\'s almost-hot lead hot: badge +1, panel shows the seminar with the call window running', async () => {
    const leadId = stack.featured.almostHot;
    const email = stack.profile(leadId)?.email;
    expect(email).toBeTruthy();
    const page = await browser.context.newPage();
    await page.goto(stack.recordUrl(leadId));
    await expect.poll(() => panel(page).getByTestId('lead-name').count(), { timeout: 20_000 }).toBe(1);
    expect(await panel(page).getByTestId('lead-band').textContent()).not.toBe('Hot');
    expect(await panel(page).getByTestId('call-window').count()).toBe(0);
    await expect.poll(badgeText, { timeout: 20_000 }).toMatch(/^\d*$/);
    const before = Number((await badgeText()) || '0');

    // Signed with another secret: refused, nothing stored, the badge stays.
    const forged = await zoomJoined(email!, 'not-the-secret-token');
    expect(forged.status).toBe(401);

    const res = await zoomJoined(email!, SECRET);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: [] });

    await expect.poll(badgeText, { timeout: 15_000, interval: 100 }).toBe(String(before + 1));
    await expect.poll(() => panel(page).getByTestId('lead-band').textContent(), { timeout: 15_000, interval: 100 }).toBe('Hot');
    const window = panel(page).getByTestId('call-window');
    await expect.poll(() => window.count(), { timeout: 15_000 }).toBe(1);
    expect(await window.getAttribute('class')).toMatch(/\bopen\b/);
    expect(await window.textContent()).toContain(`Attended seminar: ${TOPIC}`);
    // Joined just now: the whole two-hour window is ahead (1 h 59 min or 2 h, by the minute tick).
    expect(await window.locator('.window-left').textContent()).toMatch(/^(1 h 59 min|2 h) left$/);
    await page.close();
  });
});
