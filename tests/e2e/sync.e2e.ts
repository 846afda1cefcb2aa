/**
 * The sync engine in real Chromium against the LeadLens server: the badge counts the hot leads
 * callable now after the first sync, goes up by one within one poll when a live seminar
 * attendance makes a lead hot, and keeps its count and the cached panel data, marked stale,
 * when the API goes away.
 */
import type { LeadSummary } from '../../utils/api/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAllWeek } from './open-all-week';
import { connectThroughOptions, E2E_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../../demo/browser';
import { startDemoStack, type DemoStack } from '../../demo/stack';

let stack: DemoStack;
let browser: ExtensionBrowser;
let apiClosed = false;

const POLL_SECONDS = 2;

beforeAll(async () => {
  stack = await startDemoStack();
  browser = await launchWithExtension({ hostRules: stack.site.hostRules, headless: true, extensionDir: E2E_EXTENSION_DIR, openPanelForTests: true });
  await openAllWeek(browser, stack.api);
  // Unpacked extensions may poll every few seconds; packed ones are held to 30 s by Chrome.
  await browser.worker.evaluate((seconds) => chrome.storage.local.set({ pollSeconds: seconds }), POLL_SECONDS);
  await (await connectThroughOptions(browser, stack.api.url, stack.token)).close();
});

afterAll(async () => {
  await browser?.close();
  if (!apiClosed) await stack?.close();
  else await stack?.site.close();
});

const badgeText = () => browser.worker.evaluate(() => chrome.action.getBadgeText({}));
const badgeTitle = () => browser.worker.evaluate(() => chrome.action.getTitle({}));

/** What the badge must say, computed from the server's own answers: hot, no block in force, mine. */
async function expectedCount(): Promise<number> {
  const now = Date.now();
  return (await stack.leads())
    .filter((lead: LeadSummary) => lead.band === 'hot' && lead.owner?.id === stack.api.repUserId && (!lead.cooldownUntil || Date.parse(lead.cooldownUntil) <= now))
    .length;
}

describe('background sync', () => {
  it('shows the number of hot leads callable now after the first sync', async () => {
    const expected = await expectedCount();
    expect(expected).toBeGreaterThan(0);
    await expect.poll(badgeText, { timeout: 20_000 }).toBe(String(expected));
    expect(await badgeTitle()).toContain(`${expected} hot leads callable now`);
  });

  it('counts a lead that turns hot through a live seminar attendance within one poll', async () => {
    const before = Number(await badgeText());
    const almostHot = stack.featured.almostHot;
    expect((await stack.summary(almostHot)).band).toBe('warm');
    const startedAt = Date.now();
    await stack.addEvent({ leadId: almostHot, type: 'seminar_attended', title: 'kintone活用セミナー', channel: 'seminar' });
    expect((await stack.summary(almostHot)).band).toBe('hot');
    await expect.poll(badgeText, { timeout: (POLL_SECONDS + 8) * 1000, interval: 200 }).toBe(String(before + 1));
    expect(Date.now() - startedAt).toBeLessThan((POLL_SECONDS + 8) * 1000);
  });

  it('keeps the badge and the cached panel data, marked stale, when the API stops', async () => {
    const hot = stack.featured.hotNow;
    const name = stack.profile(hot)?.name ?? '';
    const page = await browser.context.newPage();
    await page.goto(stack.recordUrl(hot));
    await expect.poll(() => page.locator('leadlens-panel').getByTestId('lead-name').textContent()).toBe(name);
    const count = await badgeText();

    await stack.api.close();
    apiClosed = true;
    await expect.poll(badgeTitle, { timeout: 20_000 }).toMatch(/Sync is failing: Cannot reach http:\/\/127\.0\.0\.1:\d+ \(offline, or CORS not allowed\)/);
    expect(await badgeText()).toBe(count);

    await page.reload();
    const panel = page.locator('leadlens-panel');
    await expect.poll(() => panel.getByTestId('lead-name').textContent()).toBe(name);
    expect(await panel.locator('aside[data-stale="true"]').count()).toBe(1);
    expect(await panel.getByText(/^as of \d\d:\d\d$/).count()).toBe(1);
    await page.close();
  });
});
