/**
 * The team policy belongs to the team: an administrator changes the team's rules on the LeadLens
 * server through the admin API (PUT /v1/admin/scoring), and after the rep's next sync the settings
 * page shows the new value read-only ("Set by your team on the LeadLens server", with the
 * version), and the panel on the CRM record decides by it. Real Chromium, the real server, the
 * Salesforce look-alike.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from '../../demo/browser';
import type { DemoStack } from '../../demo/stack';
import { startConnected } from './connected';
import { ALL_WEEK_POLICY, serverPolicyIn, syncUntilPolicy } from './open-all-week';

const HOUR_MS = 3_600_000;

let stack: DemoStack;
let browser: ExtensionBrowser;

beforeAll(async () => {
  ({ stack, browser } = await startConnected());
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const panel = (page: Page) => page.locator('leadlens-panel');

describe('team policy from the server', () => {
  it("a manager's shorter wait after a call reaches the rep's settings (read-only) and the panel at the next sync", async () => {
    // The connection's first sync brought the team's policy (open all week, 48 h after a call).
    await syncUntilPolicy(browser, ALL_WEEK_POLICY);
    const leadId = stack.featured.hotNow;
    // A colleague reached the lead three hours ago.
    await stack.addEvent({ leadId, type: 'call', title: '架電', meta: { outcome: 'connected' }, at: new Date(Date.now() - 3 * HOUR_MS) });

    const record = await browser.context.newPage();
    await record.goto(stack.recordUrl(leadId));
    const recentCall = panel(record).locator('.cooldown[data-reason="recent_call"]');
    await recentCall.waitFor({ timeout: 20_000 });

    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    const wait = options.getByLabel('Hours to wait after a call');
    await expect.poll(() => wait.inputValue(), { timeout: 10_000 }).toBe('48');
    expect(await wait.isEditable()).toBe(false);

    // The team now waits 2 hours after a call.
    const version = await stack.api.setTeamPolicy({ ...ALL_WEEK_POLICY, recentCallHours: 2 });

    // The rep's next sync: "Sync now" in the popup.
    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    await popup.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => (await serverPolicyIn(browser))?.version, { timeout: 20_000 }).toBe(version);
    await popup.close();

    await options.reload();
    await expect.poll(() => wait.inputValue(), { timeout: 10_000 }).toBe('2');
    expect(await wait.isEditable()).toBe(false);
    expect(await options.locator('#team-recent-call-hours-managed').textContent()).toBe('Set by your team on the LeadLens server');
    expect(await options.getByTestId('team-policy-version').textContent()).toMatch(new RegExp(`^Version ${version}, saved `));

    // Three hours ago is longer than two: the panel no longer warns about the call.
    await expect.poll(() => recentCall.count(), { timeout: 20_000 }).toBe(0);
    await record.close();
    await options.close();
  });
});
