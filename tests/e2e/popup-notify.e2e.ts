/**
 * A new user's first minutes, in real Chromium: settings → the badge fills; the popup lists
 * the hot leads in call-window order and opens the right CRM record; a live seminar attendance
 * becomes a notification naming the lead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../../demo/browser';
import { startDemoStack, type DemoStack } from '../../demo/stack';
import type { LeadSummary } from '../../utils/api/contract';
import { orderHotNow } from '../../utils/popup/lists';
import { openAllWeek } from './open-all-week';

let stack: DemoStack;
let browser: ExtensionBrowser;

beforeAll(async () => {
  stack = await startDemoStack();
  browser = await launchWithExtension({ hostRules: stack.site.hostRules, headless: true, extensionDir: E2E_EXTENSION_DIR, openPanelForTests: true });
  await browser.worker.evaluate(async () => {
    await chrome.storage.local.set({ pollSeconds: 2 });
    // Alerts at any hour and on any day, so the test does not depend on when CI runs.
    await chrome.storage.sync.set({
      preferences: { notifications: { quietHours: { enabled: false, start: '20:00', end: '08:00' }, workingDays: [0, 1, 2, 3, 4, 5, 6] } },
      'preferences$': { v: 2 },
    });
  });
  await openAllWeek(browser, stack.api);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const badgeText = () => browser.worker.evaluate(() => chrome.action.getBadgeText({}));

/** From the server's own answers: hot, no block in force, owned by the demo rep. */
async function hotCallableMine(now: number): Promise<LeadSummary[]> {
  return (await stack.leads())
    .filter((lead) => lead.band === 'hot' && lead.owner?.id === stack.api.repUserId && (!lead.cooldownUntil || Date.parse(lead.cooldownUntil) <= now));
}

describe('settings, popup and notifications', () => {
  it('fills the badge once a new user saves the connection on the settings page', async () => {
    expect(await badgeText()).toBe('');
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));
    await page.getByLabel('Scoring API URL').fill(stack.api.url);
    await page.getByLabel('API token').fill(stack.token);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.getByTestId('connection-result').textContent()).toMatch(/^Connected: signed in as 佐藤 健/);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(badgeText, { timeout: 20_000 }).toBe(String((await hotCallableMine(Date.now())).length));
    await page.close();
  });

  it('lists the hot leads in call-window order and opens the right record in the CRM the rep works in', async () => {
    // The rep works in Salesforce: one record page seen there.
    const crm = await browser.context.newPage();
    await crm.goto(stack.recordUrl(stack.featured.hotNow));
    await crm.locator('leadlens-panel').getByTestId('lead-name').waitFor();
    await crm.close();

    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    const rows = popup.getByTestId('popup-list-hot').locator('[data-lead-id]');
    const expected = orderHotNow(await hotCallableMine(Date.now()), 120, Date.now()).map((row) => row.lead.id);
    await expect.poll(() => rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-lead-id')))).toEqual(expected);
    await expect.poll(() => popup.getByTestId('popup-status').textContent()).toMatch(/^Synced at \d\d:\d\d/);

    const first = expected[0] ?? '';
    const [record] = await Promise.all([browser.context.waitForEvent('page'), rows.first().click()]);
    await record.waitForLoadState('domcontentloaded');
    expect(record.url()).toBe(stack.recordUrl(first));
    const name = stack.profile(first)?.name ?? '';
    await expect.poll(() => record.locator('leadlens-panel').getByTestId('lead-name').textContent()).toBe(name);
    await record.close();
    await popup.close();
  });

  it('notifies once when a live seminar attendance makes a lead hot, naming the lead and what to do', async () => {
    const leadId = stack.featured.almostHot;
    const name = stack.profile(leadId)?.name ?? '';
    await stack.addEvent({ leadId, type: 'seminar_attended', title: 'kintone活用セミナー', channel: 'seminar' });
    const shown = () => browser.worker.evaluate(async () => {
      const [ids, stored] = await Promise.all([chrome.notifications.getAll(), chrome.storage.local.get('shownNotifications')]);
      const byId = (stored.shownNotifications ?? {}) as Record<string, { leadId?: string; title: string; message: string }>;
      return Object.keys(ids).map((id) => ({ id, ...byId[id] }));
    });
    await expect.poll(async () => (await shown()).filter((n) => n.leadId === leadId).length, { timeout: 15_000 }).toBe(1);
    const note = (await shown()).find((n) => n.leadId === leadId);
    expect(`${note?.title} ${note?.message}`).toContain(name);
    expect(`${note?.title} ${note?.message}`).toMatch(/seminar/i);

    // The next polls do not announce the same need again. The worker syncs one poll at a time:
    // once the second poll after this point has reached the API, the first one has been applied.
    const polls = () => stack.api.requestLog.filter((r) => r.route === 'GET /v1/leads/changes').length;
    const seen = polls();
    await expect.poll(polls, { timeout: 20_000 }).toBeGreaterThanOrEqual(seen + 2);
    expect((await shown()).filter((n) => n.leadId === leadId)).toHaveLength(1);
  });
});
