/**
 * A custom rule for an in-house CRM, end to end: added on the settings page (the site's access
 * asked for in the click, the rule saved once granted), the content script registered at run
 * time on that site, and the panel on a customer page of the in-house look-alike
 * (crm.example-corp.jp) showing the lead found by the email the rule's selector reads.
 *
 * Headless Chromium cannot answer the permission prompt: it is a browser dialog, out of
 * Playwright's reach, and Chromium auto-confirms it only in its own test binaries (no command-line
 * switch; --apps-gallery-install-auto-confirm-for-tests has no effect on it). So the site is allowed
 * first the way a user can do it in chrome://extensions (Details → Site access → add a site),
 * through that page's own API: Chromium then holds the origin as granted by the user, and
 * permissions.request answers true without a dialog — but only when called during a user
 * gesture, which is what the settings page's click must provide.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from '../../demo/browser';
import { INHOUSE_HOST } from '../../demo/site/inhouse';
import type { DemoStack } from '../../demo/stack';
import { startConnected } from './connected';

const ORIGIN = `https://${INHOUSE_HOST}/*`;

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

/**
 * How many of the extension's isolated worlds (its content script) run in the page. Injection
 * happens at document_end, before the load event; Runtime.enable then reports every context
 * that exists.
 */
async function contentScriptWorlds(page: Page): Promise<number> {
  await page.waitForLoadState('load');
  const cdp = await page.context().newCDPSession(page);
  const origins: string[] = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => origins.push(context.origin));
  await cdp.send('Runtime.enable');
  await cdp.detach();
  return origins.filter((origin) => origin === `chrome-extension://${browser.extensionId}`).length;
}

/** chrome://extensions → Site access → "Add a site", as its page does it (chrome.developerPrivate). */
async function allowSiteInExtensionSettings(origin: string): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(`chrome://extensions/?id=${browser.extensionId}`);
  await page.evaluate(async ([id, host]) => {
    const api = (globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } } }).chrome.developerPrivate;
    await api.addHostPermission(id, host);
  }, [browser.extensionId, origin] as const);
  await page.close();
}

const registeredMatches = () =>
  browser.worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).flatMap((s) => s.matches ?? []));
const grantedOrigins = () => browser.worker.evaluate(async () => (await chrome.permissions.getAll()).origins ?? []);

describe('custom rule for an in-house CRM', () => {
  it('is not run on the in-house CRM before any rule exists', async () => {
    expect(await registeredMatches()).toEqual([]);
    const page = await browser.context.newPage();
    await page.goto(stack.customerUrl(stack.featured.hotNow));
    await page.locator('#customer-email').waitFor();
    expect(await contentScriptWorlds(page)).toBe(0);
    expect(await panel(page).count()).toBe(0);
    await page.close();
  });

  it('adds a rule from the settings page, then shows the lead found by email on a customer page', async () => {
    await allowSiteInExtensionSettings(ORIGIN);
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    const section = options.locator('section', { has: options.getByRole('heading', { name: 'Custom CRM rules' }) });
    await section.getByLabel('Label').fill('Example Corp CRM');
    await section.getByLabel('URL pattern').fill(String.raw`https://crm.example-corp.jp/customers/\d+$`);
    await section.getByLabel('Email selector').fill('#customer-email');

    // What the rule would recognise, before it is added.
    await section.getByLabel('Test the rule on a URL').fill(`https://${INHOUSE_HOST}/customers/10001`);
    await section.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => section.getByTestId('custom-rule-test-result').textContent()).toBe('Finds the lead by the email address in #customer-email');
    await section.getByLabel('Test the rule on a URL').fill(`https://${INHOUSE_HOST}/customers`);
    await section.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => section.getByTestId('custom-rule-test-result').textContent()).toBe('The rule does not match this URL.');

    await section.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => section.getByTestId('custom-rules-status').textContent(), { timeout: 10_000 }).toBe('Saved.');
    await expect.poll(() => section.getByTestId('custom-rule').textContent()).toContain('Example Corp CRM');
    expect(await grantedOrigins()).toContain(ORIGIN);
    const stored = await browser.worker.evaluate(async () => (await chrome.storage.sync.get('customRules')).customRules);
    expect(stored).toEqual([expect.objectContaining({ label: 'Example Corp CRM', pattern: String.raw`https://crm.example-corp.jp/customers/\d+$`, emailSelector: '#customer-email' })]);
    await expect.poll(registeredMatches, { timeout: 10_000 }).toEqual([ORIGIN]);
    await options.close();

    const leadId = stack.featured.hotNow;
    const page = await browser.context.newPage();
    await page.goto(stack.customerUrl(leadId));
    await expect.poll(() => panel(page).getByTestId('lead-name').textContent(), { timeout: 15_000 }).toBe(stack.profile(leadId)?.name);
    // The check the other tests rely on for "not run here" sees the script where it does run.
    expect(await contentScriptWorlds(page)).toBe(1);
    await page.close();
  });

  it('says in the console which rule found nothing, and shows no panel', async () => {
    const page = await browser.context.newPage();
    const debug: string[] = [];
    page.on('console', (message) => { if (message.type() === 'debug') debug.push(message.text()); });
    // A customer number the in-house CRM does not have: its "not found" page has no email.
    await page.goto(`https://${INHOUSE_HOST}/customers/99999999`);
    await expect.poll(() => debug, { timeout: 10_000 }).toContain("LeadLens custom rule 'Example Corp CRM': email selector '#customer-email' matched nothing");
    expect(await panel(page).count()).toBe(0);
    await page.close();
  });

  it('removes the rule, gives the site back and stops running there', async () => {
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    await options.getByRole('button', { name: 'Remove the rule Example Corp CRM' }).click();
    await expect.poll(() => options.getByTestId('custom-rules-status').textContent()).toBe('Saved.');
    await expect.poll(grantedOrigins, { timeout: 10_000 }).not.toContain(ORIGIN);
    await expect.poll(registeredMatches, { timeout: 10_000 }).toEqual([]);
    await options.close();

    const page = await browser.context.newPage();
    await page.goto(stack.customerUrl(stack.featured.hotNow));
    await page.locator('#customer-email').waitFor();
    expect(await contentScriptWorlds(page)).toBe(0);
    expect(await panel(page).count()).toBe(0);
    await page.close();
  });
});
