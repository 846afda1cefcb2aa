/**
 * The lead panel on every supported CRM, on its real host name: the record is recognised, the
 * panel follows kintone's hash navigation, a call logged from the panel reaches the server exactly
 * once and shows "sending" then "sent", and a synthetic click from the page logs nothing.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from '../../demo/browser';
import type { DemoStack } from '../../demo/stack';
import { startConnected } from './connected';
import type { CrmRef } from '../../utils/api/contract';
import { ADAPTERS } from '../../utils/crm/registry';

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

/** A lead with a record in this CRM, and that record's look-alike URL. */
function leadIn(crm: CrmRef['crm']): { id: string; name: string; url: string } {
  for (const id of stack.ids()) {
    const profile = stack.profile(id);
    const ref = profile?.crmRefs.find((r) => r.crm === crm && r.url);
    if (profile && ref?.url) return { id, name: profile.name, url: ref.url };
  }
  throw new Error(`no lead in ${crm}`);
}

describe('lead panel', () => {
  it.each(ADAPTERS.map((adapter) => adapter.id))('recognises a %s record on its real host', async (crm) => {
    const lead = leadIn(crm);
    const page = await browser.context.newPage();
    await page.goto(lead.url);
    await expect.poll(() => panel(page).getByTestId('lead-name').textContent(), { timeout: 15_000 }).toBe(lead.name);
    await page.close();
  });

  it('follows kintone to the next record when only the hash changes', async () => {
    const first = leadIn('kintone');
    const page = await browser.context.newPage();
    await page.goto(first.url);
    await expect.poll(() => panel(page).getByTestId('lead-name').textContent()).toBe(first.name);
    const before = await page.evaluate(() => performance.timeOrigin);
    const record = Number(new URL(first.url).hash.replace('#record=', ''));
    const next = stack.ids().map((id) => stack.profile(id))
      .flatMap((p) => (p?.crmRefs ?? []).filter((r) => r.crm === 'kintone' && r.objectType === '12').map((r) => ({ n: Number(r.recordId), name: p?.name ?? '' })))
      .find((r) => r.n !== record);
    if (!next) throw new Error('no second kintone record');
    await page.evaluate((n) => { location.hash = `record=${n}`; }, next.n);
    await expect.poll(() => panel(page).getByTestId('lead-name').textContent()).toBe(next.name);
    expect(await page.evaluate(() => performance.timeOrigin)).toBe(before);
    await page.close();
  });

  it('logs a call once: sending, then sent, and the API has it exactly once', async () => {
    const leadId = stack.featured.hotNow;
    const page = await browser.context.newPage();
    await page.goto(stack.recordUrl(leadId));
    const form = panel(page).locator('form.log-call');
    await form.waitFor({ timeout: 15_000 });
    // What the server stored: the call events on this lead's timeline.
    const calls = () => stack.calls(leadId);
    const before = (await calls()).length;

    // The page's own script clicks Save: an untrusted event, which must log nothing.
    await form.getByLabel('No answer').check();
    await page.evaluate(() => {
      const host = document.querySelector('leadlens-panel');
      const save = host?.shadowRoot?.querySelector<HTMLButtonElement>('form.log-call button[type=submit]');
      save?.click();
      save?.form?.requestSubmit();
    });
    // The forged click cleared the form and said so. A real Save afterwards: calls leave in the
    // order they were logged, so had the page's submit been taken, it would reach the API first.
    await expect.poll(() => form.getByRole('alert').count()).toBe(1);
    await form.getByLabel('No answer').check();
    await form.getByLabel('Note').fill('不在。明日10時に再架電');
    await form.getByRole('button', { name: 'Save call' }).click();
    await expect.poll(async () => (await calls()).length, { timeout: 10_000 }).toBeGreaterThan(before);
    const timeline = panel(page).locator('.timeline');
    await expect.poll(() => timeline.getByText('不在。明日10時に再架電').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const after = await calls();
    expect(after).toHaveLength(before + 1);
    expect(after.filter((e) => e.detail === '不在。明日10時に再架電')).toHaveLength(1);
    await page.close();
  });

  it('folds and opens the panel from the keyboard shortcut command, and remembers it', async () => {
    const page = await browser.context.newPage();
    await page.goto(stack.recordUrl(stack.featured.hotNow));
    await panel(page).getByTestId('lead-name').waitFor();
    // What the browser does on Alt+Shift+L: the command reaches the background, which tells the tab.
    const toggle = async () => {
      await page.bringToFront();
      await browser.worker.evaluate(async () => {
        const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
        await chrome.tabs.sendMessage(tab?.id ?? -1, { type: 'leadlens:toggle' });
      });
    };
    await toggle();
    await expect.poll(() => panel(page).getByRole('button', { name: 'Open the LeadLens panel' }).count()).toBe(1);
    await page.reload();
    await expect.poll(() => panel(page).getByRole('button', { name: 'Open the LeadLens panel' }).count()).toBe(1);
    await toggle();
    await expect.poll(() => panel(page).getByTestId('lead-name').count()).toBe(1);
    await page.close();
  });

  it("speaks the rep's chosen language: 日本語 on an English browser", async () => {
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    await options.getByLabel('Display language').selectOption('ja');
    // The settings page redraws itself in Japanese.
    await expect.poll(() => options.getByLabel('スコアリング API の URL').count(), { timeout: 10_000 }).toBe(1);
    const page = await browser.context.newPage();
    await page.goto(stack.recordUrl(stack.featured.hotNow));
    await expect.poll(() => panel(page).getByText('スコア', { exact: true }).count(), { timeout: 10_000 }).toBe(1);
    await options.getByLabel('LeadLens の表示言語').selectOption('auto');
    await expect.poll(() => options.getByLabel('Scoring API URL').count(), { timeout: 10_000 }).toBe(1);
    await page.close();
    await options.close();
  });

  it('follows a lead from the panel', async () => {
    const page = await browser.context.newPage();
    await page.goto(stack.recordUrl(stack.featured.almostHot));
    await panel(page).getByRole('button', { name: 'Follow', exact: true }).click();
    await expect.poll(() => panel(page).getByRole('button', { name: 'Following' }).count()).toBe(1);
    const followed = await browser.worker.evaluate(async () => ((await chrome.storage.sync.get('preferences')).preferences as { followed?: string[] }).followed);
    expect(followed).toContain(stack.featured.almostHot);
    await page.close();
  });
});
