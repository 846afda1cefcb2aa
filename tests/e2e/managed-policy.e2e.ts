/**
 * Enterprise policy, as an administrator sets it: a Chromium policy file for this extension
 * (3rdparty → extensions → <id>) becomes chrome.storage.managed. The settings page shows those
 * fields as "Set by your administrator", read-only, and the background uses the admin's API URL.
 *
 * Writing /etc/chromium/policies needs root (CI runs as root). The file is removed afterwards.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../../demo/browser';
import { DEMO_TOKEN, startDemoStack, type DemoStack } from '../../demo/stack';

const POLICY_FILE = '/etc/chromium/policies/managed/leadlens-e2e.json';

/** Chromium's id for an unpacked extension: SHA-256 of its path, first 32 hex digits as a–p. */
function unpackedExtensionId(path: string): string {
  return [...createHash('sha256').update(path).digest('hex').slice(0, 32)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

function canWritePolicies(): boolean {
  try {
    mkdirSync(dirname(POLICY_FILE), { recursive: true });
    accessSync(dirname(POLICY_FILE), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const writable = canWritePolicies();
let stack: DemoStack;
let browser: ExtensionBrowser;

beforeAll(async () => {
  if (!writable) {
    console.warn(`managed-policy e2e: cannot write ${POLICY_FILE} (needs root); skipped`);
    return;
  }
  stack = await startDemoStack({ api: { rescoreMs: 0 } });
  writeFileSync(POLICY_FILE, JSON.stringify({
    '3rdparty': { extensions: { [unpackedExtensionId(EXTENSION_DIR)]: {
      apiUrl: stack.api.url,
      teamPolicy: { lostCooldownDays: 30 },
      pollIntervalSeconds: 45,
    } } },
  }));
  browser = await launchWithExtension({ hostRules: stack.site.hostRules, headless: true });
});

afterAll(async () => {
  rmSync(POLICY_FILE, { force: true });
  await browser?.close();
  await stack?.close();
});

describe.runIf(writable)('enterprise policy', () => {
  it('reaches the extension as storage.managed', async () => {
    expect(browser.extensionId).toBe(unpackedExtensionId(EXTENSION_DIR));
    // Chromium may validate the policy before the unpacked extension's schema is registered; an
    // administrator's "Reload policies" (chrome://policy) applies it, as it does here.
    const policyPage = await browser.context.newPage();
    await policyPage.goto('chrome://policy');
    await policyPage.locator('#reload-policies').click();
    await policyPage.close();
    await expect.poll(() => browser.worker.evaluate(() => chrome.storage.managed.get(null)), { timeout: 20_000 })
      .toMatchObject({ apiUrl: stack.api.url, teamPolicy: { lostCooldownDays: 30 }, pollIntervalSeconds: 45 });
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

    await page.getByLabel('API token').fill(DEMO_TOKEN);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('connection-result').textContent()).toBe('Saved.');
    await expect.poll(() => browser.worker.evaluate(() => chrome.action.getBadgeText({})), { timeout: 20_000 }).not.toBe('');
    await expect.poll(async () => (await browser.worker.evaluate(() => chrome.alarms.get('leadlens-sync')))?.periodInMinutes).toBe(45 / 60);
    await page.close();
  });
});
