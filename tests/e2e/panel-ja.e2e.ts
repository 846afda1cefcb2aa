/**
 * The panel in Japanese on all five CRMs' look-alikes at 1280 px: it renders in 日本語 and, when
 * LEADLENS_SCREENSHOTS names a folder, leaves a screenshot per CRM there for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from '../../demo/browser';
import type { DemoStack } from '../../demo/stack';
import type { CrmRef } from '../../utils/api/contract';
import { startConnected } from './connected';

let stack: DemoStack;
let browser: ExtensionBrowser;
const folder = process.env.LEADLENS_SCREENSHOTS;

beforeAll(async () => {
  ({ stack, browser } = await startConnected());
  await browser.worker.evaluate(async () => {
    await chrome.storage.sync.set({ preferences: { language: 'ja' }, 'preferences$': { v: 2 } });
  });
  if (folder) mkdirSync(folder, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** The hot lead with a record in this CRM, else any lead there. */
async function leadIn(crm: CrmRef['crm']): Promise<string> {
  const inCrm = stack.ids().filter((id) => stack.profile(id)?.crmRefs.some((r) => r.crm === crm && r.url));
  const hot = (await stack.leads()).find((lead) => lead.band === 'hot' && inCrm.includes(lead.id))?.id;
  const id = hot ?? inCrm[0];
  if (!id) throw new Error(`no lead in ${crm}`);
  return id;
}

describe('the panel in Japanese', () => {
  it.each(['salesforce', 'kintone', 'hubspot', 'dynamics', 'zoho'] as const)('%s at 1280 px', async (crm) => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(stack.recordUrl(await leadIn(crm), crm));
    const panel = page.locator('leadlens-panel');
    await expect.poll(() => panel.getByText('架電を記録', { exact: true }).count(), { timeout: 15_000 }).toBe(1);
    await panel.locator('.timeline').waitFor({ timeout: 15_000 });
    if (folder) await page.screenshot({ path: join(folder, `${crm}-1280.png`) });
    await page.close();
  });
});
