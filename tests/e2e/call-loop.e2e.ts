/**
 * A rep's call loop in real Chromium, against the LeadLens server and the Salesforce look-alike:
 * "No answer" keeps the lead on the to-do list with its next try, "Connected" takes it off,
 * a log can be undone before it is sent, Lost needs a reason and Lost/Complaint ask first,
 * naming the lead, and a forged event from the page clears the form. Then business hours:
 * when the team is closed, the badge counts nothing callable, the popup shows the queue for
 * the next opening and the panel's countdown stands still.
 *
 * The clock is not faked: the team policy is set so that the test means the same at any hour
 * (open all week for the loop; closed today for the hours). The exact Friday 19:01 JST case is
 * a unit table (tests/unit/policy-calendar.test.ts).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from '../../demo/browser';
import type { DemoStack } from '../../demo/stack';
import { zonedParts } from '../../utils/policy/business-hours';
import type { TeamPolicy } from '../../utils/policy/team-policy';
import { ALL_WEEK_POLICY, setTeamPolicy as setPolicyIn } from './open-all-week';
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

const setTeamPolicy = (policy: TeamPolicy) => setPolicyIn(browser, policy, stack.api);

const panel = (page: Page) => page.locator('leadlens-panel');
const badgeText = () => browser.worker.evaluate(() => chrome.action.getBadgeText({}));
/** Calls the server holds for a lead, by outcome. */
const delivered = async (leadId: string, outcome: string) => (await stack.calls(leadId)).filter((e) => e.meta?.outcome === outcome).length;

async function openRecord(leadId: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(stack.recordUrl(leadId));
  await panel(page).locator('form.log-call').waitFor({ timeout: 15_000 });
  return page;
}

async function hotNowIds(): Promise<string[]> {
  const popup = await browser.context.newPage();
  await popup.goto(browser.extensionUrl('popup.html'));
  const list = popup.getByTestId('popup-list-hot');
  await expect.poll(() => popup.locator('.tabs button').first().textContent(), { timeout: 10_000 }).toMatch(/\(\d+\)/);
  const ids = await list.locator('[data-lead-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-lead-id') ?? ''));
  await popup.close();
  return ids;
}

describe('the call loop', () => {
  it('"No answer" keeps the lead on the to-do list with its next try; "Connected" takes it off', async () => {
    await setTeamPolicy(ALL_WEEK_POLICY);
    const leadId = stack.featured.hotNow;
    const page = await openRecord(leadId);
    // The number to dial, one click away (a tel: link the rep's softphone or phone app takes).
    expect(await panel(page).getByTestId('lead-phone').getAttribute('href')).toMatch(/^tel:035\d{7}$/);
    await expect.poll(badgeText, { timeout: 20_000 }).toMatch(/^\d+$/);
    // The badge and the popup count the same to-do list (other leads may still arrive by sync).
    const badgeMatchesPopup = async () => (await badgeText()) === String((await hotNowIds()).length || '');
    expect(await hotNowIds()).toContain(leadId);

    // The rep dials, nobody picks up.
    const form = panel(page).locator('form.log-call');
    await form.getByLabel('No answer').check();
    await form.getByRole('button', { name: 'Save call' }).click();
    await expect.poll(() => panel(page).locator('.next-action[data-kind="retry"]').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => panel(page).getByTestId('next-try').count()).toBe(1);
    expect(await panel(page).locator('.cooldown[data-reason="recent_call"]').count()).toBe(0);
    // Held for the undo time, then sent once.
    await expect.poll(() => delivered(leadId, 'no_answer'), { timeout: 15_000 }).toBe(1);
    expect(await hotNowIds()).toContain(leadId);
    await expect.poll(badgeMatchesPopup, { timeout: 10_000 }).toBe(true);

    // Busy, logged by mistake: undone before it leaves.
    await form.getByLabel('Busy').check();
    await form.getByRole('button', { name: 'Save call' }).click();
    await panel(page).getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => panel(page).getByText('The call log was withdrawn before it was sent.').count()).toBe(1);

    // The next try reaches them.
    await form.getByLabel('Connected').check();
    await form.getByRole('button', { name: 'Save call' }).click();
    await expect.poll(() => delivered(leadId, 'connected'), { timeout: 15_000 }).toBe(1);
    // Writes leave in order: had Busy not been withdrawn, it would have gone first.
    expect(await delivered(leadId, 'busy')).toBe(0);
    await expect.poll(async () => (await hotNowIds()).includes(leadId), { timeout: 10_000 }).toBe(false);
    await expect.poll(badgeMatchesPopup, { timeout: 10_000 }).toBe(true);
    await expect.poll(() => panel(page).locator('[data-testid="call-window"][data-progress="reached"]').count(), { timeout: 10_000 }).toBe(1);
    await page.close();
  });

  it('Lost needs a reason; Lost and Complaint ask first, naming the lead; nothing is sent on Back', async () => {
    await setTeamPolicy(ALL_WEEK_POLICY);
    const leadId = stack.featured.videoWatched;
    const name = stack.profile(leadId)?.name ?? '';
    const page = await openRecord(leadId);
    const form = panel(page).locator('form.log-call');
    const save = form.getByRole('button', { name: 'Save call' });

    await form.getByLabel('Lost').check();
    expect(await save.isDisabled()).toBe(true);
    // Chosen from the keyboard as a rep would: Playwright's selectOption fires synthetic events,
    // which the form rightly treats as the page's and answers by clearing itself.
    const reason = form.getByLabel('Loss reason');
    while ((await reason.inputValue()) !== 'competitor') await reason.press('ArrowDown');
    await save.click();
    await expect.poll(() => form.locator('.confirm-text').textContent()).toContain(name);
    expect(await form.locator('.confirm-text').textContent()).toContain('team-wide for 14 days');
    await form.getByRole('button', { name: 'Back' }).click();

    await form.getByLabel('Complaint').check();
    await save.click();
    await expect.poll(() => form.locator('.confirm-text').textContent()).toMatch(new RegExp(`^Mark ${name}.* as do not call\\?`));
    await form.getByRole('button', { name: 'Back' }).click();
    expect(await delivered(leadId, 'lost') + await delivered(leadId, 'complaint')).toBe(0);

    // The CRM page's script clicks into the panel: the half-filled form is cleared, with a word why.
    await form.getByLabel('Meeting set').check();
    await form.getByLabel('Note').fill('来週火曜 14時');
    await page.evaluate(() => {
      const host = document.querySelector('leadlens-panel');
      host?.shadowRoot?.querySelector<HTMLInputElement>('input[value="complaint"]')?.click();
    });
    await expect.poll(() => form.getByRole('alert').textContent()).toBe('The form was cleared: an action on it did not come from you.');
    expect(await form.getByLabel('Note').inputValue()).toBe('');
    expect(await save.isDisabled()).toBe(true);
    await page.close();
  });
});

describe('business hours', () => {
  it('closed today: the badge counts 0 callable now, the popup queues the leads for the next opening, the countdown stands still', async () => {
    // Open only tomorrow (Tokyo), 09:00–19:00: now is outside business hours whatever the hour.
    const today = zonedParts(Date.now(), 'Asia/Tokyo').weekday;
    const tomorrow = (today + 1) % 7;
    // A second lead turns hot (an inquiry after the video), so the queue has a lead still to call.
    await stack.addEvent({ leadId: stack.featured.videoWatched, type: 'form_submit', title: '資料請求', channel: 'web' });
    expect((await stack.summary(stack.featured.videoWatched)).band).toBe('hot');
    await setTeamPolicy({ ...ALL_WEEK_POLICY, businessHours: { start: '09:00', end: '19:00', days: [tomorrow], timeZone: 'Asia/Tokyo' } });
    await expect.poll(badgeText, { timeout: 15_000 }).toBe('');

    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    // The event reaches the cache at the next sync: Sync now, as a rep would.
    await popup.getByRole('button', { name: 'Sync now' }).click();
    const queue = popup.getByTestId('popup-queue');
    await expect.poll(() => queue.textContent(), { timeout: 10_000 }).toMatch(/^Outside business hours — first thing at .*09:00:$/);
    expect(await popup.getByTestId('popup-list-hot').locator('[data-lead-id]').count()).toBeGreaterThan(0);
    await popup.close();

    const page = await openRecord(stack.featured.videoWatched);
    const window = panel(page).getByTestId('call-window');
    await expect.poll(() => window.getAttribute('class'), { timeout: 10_000 }).toBe('window paused');
    expect(await window.textContent()).toMatch(/resumes .*09:00/);
    await page.close();
    await setTeamPolicy(ALL_WEEK_POLICY);
  });
});
