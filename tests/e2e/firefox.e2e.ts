// Smoke run in real Firefox (Debian's firefox-esr over WebDriver BiDi): the Firefox build, set up
// through its settings page as a user would, shows the right lead's panel on a Salesforce record
// (real host name, look-alike site), answers a real click, and its popup lists the hot lead.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from '../../demo/stack';
import { TEST_OPEN_PANEL_KEY } from '../../utils/test-hooks';
import { FIREFOX_EXTENSION_ORIGIN, launchFirefox, type FirefoxWithExtension } from './firefox';

let stack: DemoStack;
let firefox: FirefoxWithExtension;

beforeAll(async () => {
  stack = await startDemoStack({ corsOrigins: [FIREFOX_EXTENSION_ORIGIN] });
  firefox = await launchFirefox(stack.site.port);
});

afterAll(async () => {
  await firefox?.close();
  await stack?.close();
});

/** Text of an element inside the panel (open root: the e2e build's test hook). */
const panelText = (page: Page, selector: string) =>
  page.$eval(`leadlens-panel >>> ${selector}`, (element) => (element as HTMLElement).innerText).catch(() => undefined);

describe('LeadLens in Firefox', () => {
  it('connects through its settings page', async () => {
    const options = await firefox.openExtensionPage('options.html');
    // Firefox grants an MV3 add-on's content-script hosts at install only from version 127 on.
    const origins = await options.evaluate(async () => (await (globalThis as unknown as { browser: typeof chrome }).browser.permissions.getAll()).origins ?? []);
    expect(origins).toContain('https://*.lightning.force.com/*');
    // The e2e build's test hook (absent from the shipped build): open the panel for the selectors below.
    await options.evaluate((key) => (globalThis as unknown as { browser: typeof chrome }).browser.storage.local.set({ [key]: true }), TEST_OPEN_PANEL_KEY);
    await options.locator('#api-url').fill(stack.api.url);
    await options.locator('#api-token').fill(stack.token);
    await options.locator('button::-p-text(Save)').click();
    await options.waitForFunction(() => document.querySelector('[data-testid=connection-result]')?.textContent?.includes('Saved.'), { polling: 100, timeout: 30_000 });
    expect(await options.$eval('[data-testid=connection-result]', (element) => element.textContent)).toContain('Saved.');
    await options.close();
  });

  it('shows the record\'s lead in the panel on a Salesforce record, and answers a real click', async () => {
    const leadId = stack.featured.hotNow;
    const name = stack.profile(leadId)?.name;
    const page = await firefox.browser.newPage();
    await page.goto(stack.recordUrl(leadId, 'salesforce'));
    await page.waitForFunction(
      (expected) => (document.querySelector('leadlens-panel')?.shadowRoot?.querySelector('[data-testid=lead-name]') as HTMLElement | null)?.innerText === expected,
      { polling: 100, timeout: 30_000 }, name,
    );
    const api = (await (await fetch(`${stack.api.url}/v1/leads/${encodeURIComponent(leadId)}`, { headers: { Authorization: `Bearer ${stack.token}` } })).json()) as { score: number };
    expect(await panelText(page, '[data-testid=lead-score]')).toBe(String(Math.round(api.score)));
    await page.locator('leadlens-panel >>> button.toggle').click();
    await page.waitForFunction(
      () => (document.querySelector('leadlens-panel')?.shadowRoot?.querySelector('button.toggle') as HTMLElement | null)?.innerText === 'Following',
      { polling: 100, timeout: 30_000 },
    );
    await page.close();
  });

  it('opens the popup with the hot lead listed', async () => {
    const popup = await firefox.openExtensionPage('popup.html');
    const hot = stack.featured.hotNow;
    await popup.waitForFunction((id) => document.querySelector(`[data-testid=popup-list-hot] [data-lead-id="${id}"]`) !== null, { polling: 100, timeout: 30_000 }, hot);
    expect(await popup.$eval('[data-testid=popup-status]', (element) => element.textContent)).toMatch(/^Synced at /);
    await popup.close();
  });
});
