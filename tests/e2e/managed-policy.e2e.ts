/**
 * Enterprise policy, as an administrator sets it: a Chromium policy file for this extension
 * (3rdparty → extensions → <id>) becomes chrome.storage.managed. The settings page shows those
 * fields as "Set by your administrator", read-only, and the background uses the admin's API URL.
 *
 * Writing /etc/chromium/policies needs root (CI runs as root). The file is removed afterwards.
 */
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAllWeek } from './open-all-week';
import { EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../../demo/browser';
import { startDemoStack, type DemoStack } from '../../demo/stack';
import { POLICY_DIR, POLICY_FILE, unpackedExtensionId } from './policy-file';

function canWritePolicies(): boolean {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    accessSync(POLICY_DIR, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const writable = canWritePolicies();

/** chrome.storage.managed as the worker reads it; rejects when the read has not answered in 5 s. */
async function managedInWorker(browser: ExtensionBrowser): Promise<Record<string, unknown>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      browser.worker.evaluate(() => chrome.storage.managed.get(null)),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('storage.managed did not answer within 5 s')), 5_000); }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

let stack: DemoStack;
let browser: ExtensionBrowser;

beforeAll(async () => {
  if (!writable) {
    console.warn(`managed-policy e2e: cannot write ${POLICY_FILE} (needs root); skipped`);
    return;
  }
  stack = await startDemoStack();
  writeFileSync(POLICY_FILE, JSON.stringify({
    '3rdparty': { extensions: { [unpackedExtensionId(EXTENSION_DIR)]: {
      apiUrl: stack.api.url,
      teamPolicy: { lostCooldownDays: 30 },
      pollIntervalSeconds: 45,
    } } },
  }));
  browser = await launchWithExtension({ hostRules: stack.site.hostRules, headless: true });
  await openAllWeek(browser, stack.api);
});

afterAll(async () => {
  rmSync(POLICY_FILE, { force: true });
  await browser?.close();
  await stack?.close();
});

describe.runIf(writable)('enterprise policy', () => {
  it('reaches the extension as storage.managed', async () => {
    expect(browser.extensionId).toBe(unpackedExtensionId(EXTENSION_DIR));
    // Chromium loads an extension's policy once its schema is registered, which the first read of
    // storage.managed brings about; that read answers when the load has finished. No "Reload
    // policies" on chrome://policy: a second refresh started while that load runs can keep the
    // read waiting for minutes (Chromium 156). A read that has not answered is abandoned and
    // asked again rather than left to hang the test.
    await expect.poll(() => managedInWorker(browser), { timeout: 30_000 })
      .toMatchObject({ apiUrl: stack.api.url, teamPolicy: { lostCooldownDays: 30 }, pollIntervalSeconds: 45 });

    // The browser itself lists the values as this machine's mandatory policy for the extension.
    const policyPage = await browser.context.newPage();
    await policyPage.goto('chrome://policy');
    await policyPage.getByText(stack.api.url, { exact: true }).first().waitFor();
    await policyPage.close();
  });

  it('shows admin-set fields as locked on the settings page, and connects with only a token', async () => {
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));
    const url = page.getByLabel('Scoring API URL');
    await expect.poll(() => url.inputValue()).toBe(stack.api.url);
    expect(await url.isEditable()).toBe(false);
    const lost = page.getByLabel('Days without calls after a lost deal');
    expect(await lost.inputValue()).toBe('30');
    expect(await lost.isEditable()).toBe(false);
    expect(await page.getByLabel('Check for changes every (seconds)').isEditable()).toBe(false);
    expect(await page.getByText('Set by your administrator').count()).toBeGreaterThanOrEqual(3);

    await page.getByLabel('API token').fill(stack.token);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('connection-result').textContent()).toBe('Saved.');
    await expect.poll(() => browser.worker.evaluate(() => chrome.action.getBadgeText({})), { timeout: 20_000 }).not.toBe('');
    await expect.poll(async () => (await browser.worker.evaluate(() => chrome.alarms.get('leadlens-sync')))?.periodInMinutes).toBe(45 / 60);
    await page.close();
  });
});
