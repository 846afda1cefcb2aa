/**
 * The first slice of the loop, in real Chromium on real CRM host names: settings page → the
 * background talks to the LeadLens server → the panel on a Salesforce look-alike Lead record
 * shows the lead's name, score and band, and follows Lightning's pushState navigation.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../../demo/browser';
import { startDemoStack, type DemoStack } from '../../demo/stack';

let stack: DemoStack;
let browser: ExtensionBrowser;

beforeAll(async () => {
  stack = await startDemoStack();
  browser = await launchWithExtension({ hostRules: stack.site.hostRules, headless: true, extensionDir: E2E_EXTENSION_DIR, openPanelForTests: true });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const panel = (page: Page) => page.locator('leadlens-panel');
const summaryOf = (leadId: string) => stack.summary(leadId);

describe('first slice', () => {
  it('asks to connect before a scoring API is set', async () => {
    const page = await browser.context.newPage();
    await page.goto(stack.recordUrl(stack.featured.hotNow));
    await expect.poll(() => panel(page).getByText('LeadLens is not connected to a scoring API yet.').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.close();
  });

  it('connects through the settings page: Test connection, then Save', async () => {
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));
    await page.getByLabel('Scoring API URL').fill(stack.api.url);
    await page.getByLabel('API token').fill('wrong-token');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.getByTestId('connection-result').textContent()).toMatch(/^The scoring API rejected the token/);

    await page.getByLabel('API token').fill(stack.token);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.getByTestId('connection-result').textContent()).toMatch(/^Connected: signed in as 佐藤 健 \(sato@example\.jp\)/);

    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('connection-result').textContent()).toBe('Saved.');
    await page.close();
  });

  it('shows the lead behind a Salesforce Lead record: name, score and band from the API', async () => {
    const hot = await summaryOf(stack.featured.hotNow);
    const page = await browser.context.newPage();
    const url = stack.recordUrl(hot.id);
    expect(new URL(url).hostname).toBe('leadlens-demo.lightning.force.com');
    await page.goto(url);
    await expect.poll(() => panel(page).getByTestId('lead-name').textContent()).toBe(hot.name);
    expect(await panel(page).getByTestId('lead-score').textContent()).toBe(String(Math.round(hot.score)));
    expect(hot.band).toBe('hot');
    expect(await panel(page).getByTestId('lead-band').textContent()).toBe('Hot');
    // The API's text is shown as text.
    expect(await panel(page).getByText(hot.needReason ?? '').count()).toBe(1);
    await page.close();
  });

  it('follows pushState navigation to another record, and leaves list pages alone', async () => {
    const almost = await summaryOf(stack.featured.almostHot);
    const page = await browser.context.newPage();
    await page.goto(stack.recordUrl(stack.featured.hotNow));
    await expect.poll(() => panel(page).getByTestId('lead-name').isVisible()).toBe(true);
    await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });

    await page.locator('.related-records').getByRole('link', { name: almost.name, exact: true }).first().click();
    await expect.poll(() => panel(page).getByTestId('lead-name').textContent()).toBe(almost.name);
    expect(await panel(page).getByTestId('lead-score').textContent()).toBe(String(Math.round(almost.score)));
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(new URL(page.url()).pathname).toBe(new URL(stack.recordUrl(almost.id)).pathname);

    await page.getByRole('link', { name: 'Leads', exact: true }).first().click();
    await expect.poll(() => panel(page).count()).toBe(0);
    await page.close();
  });

  it('says so when no lead is behind the record: folded to its tab, and in words once opened', async () => {
    const page = await browser.context.newPage();
    await page.goto('https://leadlens-demo.lightning.force.com/lightning/r/Lead/00Q5g00000ZzZzZEAV/view');
    // Nothing to show beside this record: the panel folds itself, leaving the CRM its width.
    const tab = panel(page).getByTestId('panel-tab');
    await expect.poll(async () => (await tab.count()) === 1 && ((await tab.getAttribute('aria-label')) ?? '').includes('no lead behind this record')).toBe(true);
    await tab.click();
    await expect.poll(() => panel(page).getByText('No lead in LeadLens for this record.').isVisible()).toBe(true);
    await page.close();
  });
});
