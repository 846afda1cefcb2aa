/**
 * The docked panel in real Chromium on the look-alikes' real host names: at 1024, 1280 and 1440 px
 * the CRM's own right-hand logging (Salesforce's Log a Call, kintone's comment field, HubSpot's
 * right sidebar, Dynamics' Timeline note, Zoho's header actions) stays visible and clickable
 * beside the open panel; a resized width survives a
 * reload, per CRM; the folded tab shows ⛔ for a do-not-call lead; and a click on the lead's
 * number readies the call log, which then logs the call at the dial time.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from '../../demo/browser';
import type { DemoStack } from '../../demo/stack';
import type { CrmRef } from '../../utils/api/contract';
import { startConnected } from './connected';

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

/** The first lead with a record in this CRM. */
function recordIn(crm: CrmRef['crm'], ids = stack.ids()): string {
  for (const id of ids) {
    const url = stack.profile(id)?.crmRefs.find((r) => r.crm === crm && r.url)?.url;
    if (url) return url;
  }
  throw new Error(`no lead in ${crm}`);
}

/**
 * Where the page's own control is, and what the page finds at its centre: the control (or a
 * child of it) when nothing covers it, the panel's host element when the panel does.
 */
async function hitTest(control: Locator) {
  await control.scrollIntoViewIfNeeded();
  return control.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    return {
      inView: r.width > 0 && r.height > 0 && r.right <= document.documentElement.clientWidth && r.bottom <= window.innerHeight,
      hitsControl: hit !== null && el.contains(hit),
      hitsPanel: hit?.tagName.toLowerCase() === 'leadlens-panel',
      right: Math.round(r.right),
    };
  });
}

/** The open panel's box, as Chromium lays it out. */
const panelBox = (page: Page) => panel(page).locator('aside.panel').evaluate((el) => {
  const r = el.getBoundingClientRect();
  return { left: Math.round(r.left), top: Math.round(r.top), width: Math.round(r.width) };
});
const pageMargin = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).marginRight);

describe('the panel sits beside the CRM', () => {
  const CONTROLS = [
    ['salesforce', 'the Activity card\'s Log a Call', (page: Page) => page.locator('.activity-card').getByRole('button', { name: 'Log a Call' })],
    ['kintone', 'the comment field', (page: Page) => page.locator('.gaia-argoui-app-show-sidebar .ocean-ui-editor-field')],
    ['kintone', 'the comment 書き込む button', (page: Page) => page.locator('.ocean-ui-comments-commentform-submit')],
    ['hubspot', 'the right sidebar\'s + Add', (page: Page) => page.locator('[data-test-id="right-sidebar"] [data-test-id="association-add"]').first()],
    ['dynamics', 'the Timeline\'s note field', (page: Page) => page.locator('[data-id="notescontrol"] .timeline-input')],
    ['zoho', 'the record\'s Edit button', (page: Page) => page.locator('#editRecord')],
  ] as const;

  it.each(CONTROLS)('%s: %s stays clickable at 1024, 1280 and 1440 px with the panel open', async (crm, _name, control) => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto(recordIn(crm));
    await panel(page).getByTestId('lead-name').waitFor({ timeout: 15_000 });
    for (const width of [1024, 1280, 1440]) {
      await page.setViewportSize({ width, height: 800 });
      // The content script re-measures on resize: wait for the panel's column to be the page's margin.
      await expect.poll(async () => `${(await panelBox(page)).width}px` === (await pageMargin(page))).toBe(true);
      const box = await panelBox(page);
      const hit = await hitTest(control(page));
      expect({ width, ...hit }).toEqual({ width, inView: true, hitsControl: true, hitsPanel: false, right: hit.right });
      expect(hit.right).toBeLessThanOrEqual(box.left);
      // Playwright's own actionability check: the control would receive a real click.
      await control(page).click({ trial: true, timeout: 5_000 });
    }
    await page.close();
  });

  it('starts below the CRM\'s own fixed header, so its search and profile menu stay reachable', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(recordIn('salesforce'));
    await panel(page).getByTestId('lead-name').waitFor({ timeout: 15_000 });
    const header = await page.locator('#oneHeader').evaluate((el) => Math.round(el.getBoundingClientRect().bottom));
    await expect.poll(async () => (await panelBox(page)).top).toBe(header);
    expect((await hitTest(page.locator('.slds-avatar').first())).hitsControl).toBe(true);
    await page.close();
  });
});

describe('resizing', () => {
  it('drag or arrow keys resize it; the width survives a reload and belongs to that CRM only', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(recordIn('salesforce'));
    await panel(page).getByTestId('lead-name').waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await panelBox(page)).width).toBe(320);
    // Keyboard: focus the edge, ← three times (16 px each) = 368 px.
    const edge = panel(page).getByTestId('panel-resize');
    await edge.focus();
    for (let i = 0; i < 3; i++) await edge.press('ArrowLeft');
    await expect.poll(async () => (await panelBox(page)).width).toBe(368);
    // Mouse: drag the edge 40 px left = 408 px.
    const grip = await edge.boundingBox();
    if (!grip) throw new Error('no resize edge');
    await page.mouse.move(grip.x + grip.width / 2, grip.y + 200);
    await page.mouse.down();
    await page.mouse.move(grip.x + grip.width / 2 - 40, grip.y + 200, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => (await panelBox(page)).width).toBe(408);
    expect(await pageMargin(page)).toBe('408px');
    await expect.poll(() => browser.worker.evaluate(async () => (await chrome.storage.local.get('panelWidths')).panelWidths)).toEqual({ salesforce: 408 });

    await page.reload();
    await panel(page).getByTestId('lead-name').waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await panelBox(page)).width).toBe(408);
    expect(await pageMargin(page)).toBe('408px');

    // Another CRM keeps its own (the default).
    await page.goto(recordIn('kintone'));
    await panel(page).getByTestId('lead-name').waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await panelBox(page)).width).toBe(320);
    // A narrow window never gets the full stored width: the CRM keeps 640 px (1024 − 640 = 384).
    await page.goto(recordIn('salesforce'));
    await panel(page).getByTestId('lead-name').waitFor({ timeout: 15_000 });
    await page.setViewportSize({ width: 1024, height: 800 });
    await expect.poll(async () => (await panelBox(page)).width).toBe(384);
    await page.close();
  });
});

describe('the folded tab', () => {
  it('shows ⛔ in the warning colour for a do-not-call lead, and the page keeps all but the rail', async () => {
    const complained = stack.featured.complained;
    const crm = stack.profile(complained)?.crmRefs.find((r) => r.url)?.crm;
    if (!crm) throw new Error('the complained lead has no CRM record');
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(stack.recordUrl(complained, crm));
    await panel(page).getByTestId('lead-name').waitFor({ timeout: 15_000 });
    await panel(page).getByRole('button', { name: 'Collapse the LeadLens panel' }).click();
    const tab = panel(page).getByTestId('panel-tab');
    await expect.poll(() => tab.getAttribute('data-mark')).toBe('block');
    expect(await tab.locator('.tab-mark').textContent()).toBe('⛔');
    expect(await tab.getAttribute('aria-label')).toMatch(/^Open the LeadLens panel — Blocked: do not call now — score \d+$/);
    expect(await tab.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 235, 233)');
    expect(await pageMargin(page)).toBe('44px');
    // Open again: the folded state is the rep's for every tab, leave it as found.
    await tab.click();
    await panel(page).getByTestId('lead-name').waitFor();
    await page.close();
  });
});

describe('click to call', () => {
  it('readies the call log when the rep clicks the number, and logs the call at the dial time', async () => {
    const leadId = stack.featured.hotNow;
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(stack.recordUrl(leadId));
    const phone = panel(page).locator('a[data-testid="lead-phone"]');
    await phone.waitFor({ timeout: 15_000 });
    const number = (await phone.textContent()) ?? '';
    const before = (await stack.calls(leadId)).length;
    const clicked = Date.now();
    await phone.click();
    const ready = panel(page).getByTestId('log-call-dialed');
    await ready.waitFor({ timeout: 5_000 });
    expect(await ready.textContent()).toContain(number);
    // The first outcome has the focus, so the rep can answer with the keyboard right away.
    expect(await page.evaluate(() => (document.querySelector('leadlens-panel')?.shadowRoot?.activeElement as HTMLInputElement | null)?.value)).toBe('connected');
    const form = panel(page).locator('form.log-call');
    await form.getByLabel('No answer').check();
    const saving = Date.now();
    await form.getByRole('button', { name: 'Save call' }).click();
    await expect.poll(async () => (await stack.calls(leadId)).length, { timeout: 15_000 }).toBe(before + 1);
    const [call] = await stack.calls(leadId);
    // Logged at the click, not at Save: between the click and the moment Save was pressed.
    const at = Date.parse(call?.at ?? '');
    expect(at).toBeGreaterThanOrEqual(clicked - 1000);
    expect(at).toBeLessThanOrEqual(saving);
    await page.close();
  });
});
