// Real-browser smoke run of the look-alike site (not part of vitest):
//   npx tsx demo/site/smoke.ts
// Starts the site, launches Debian's Chromium with the CRM host names mapped to it, opens a
// record page of each CRM under its real host name, checks Lightning's pushState navigation and
// kintone's hash navigation happen without a page load, and saves screenshots to
// /tmp/site-shots/<crm>.png. Ends with "N passed, M failed"; exit code 1 on any failure.
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { launchHeadless } from '../browser';
import { EXAMPLE_HOST } from './hosts';
import { sampleRecords } from './sample-records';
import { startCrmSite } from './server';

const SHOTS = '/tmp/site-shots';
let passed = 0;
let failed = 0;

function check(ok: boolean, what: string): void {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
}

/** Waits until the page script has rendered objectType/recordId (body[data-lookalike-rendered]). */
async function waitRendered(page: Page, key: string): Promise<void> {
  await page.waitForFunction((k) => document.body.getAttribute('data-lookalike-rendered') === k, key, { timeout: 10_000 });
}

async function setMarker(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as Record<string, unknown>)['__lookalikeMarker'] = 'same-document';
  });
}

async function markerKept(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as Record<string, unknown>)['__lookalikeMarker'] === 'same-document');
}

const started = Date.now();
const site = await startCrmSite({ records: sampleRecords });
const browser = await launchHeadless([`--host-resolver-rules=${site.hostRules}`, '--ignore-certificate-errors']);

try {
  await mkdir(SHOTS, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ja-JP' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  let loads = 0;
  page.on('load', () => loads++);

  // --- Salesforce: pushState navigation to a related record, then back.
  const sf = `${site.origin(EXAMPLE_HOST.salesforce)}/lightning/r/Lead/00Q5g00000AbCdEEAV/view`;
  await page.goto(sf);
  await page.waitForSelector('records-lwc-highlights-panel slot[name="primaryField"]');
  check((await page.title()) === '田中 太郎 | Lead | Salesforce', `salesforce title: ${await page.title()}`);
  check((await page.textContent('slot[name="primaryField"]'))?.trim() === '田中 太郎', 'salesforce highlights show the name');
  await page.screenshot({ path: `${SHOTS}/salesforce.png` });
  await setMarker(page);
  const loadsBefore = loads;
  await page.click('a[data-lookalike-record-id="0035g00000QrStUAAV"]');
  await waitRendered(page, 'Contact/0035g00000QrStUAAV');
  check(new URL(page.url()).pathname === '/lightning/r/Contact/0035g00000QrStUAAV/view', `salesforce URL after click: ${page.url()}`);
  check(await markerKept(page), 'salesforce related-record click kept the document (pushState, no reload)');
  check(loads === loadsBefore, 'salesforce related-record click fired no load event');
  check((await page.title()) === '佐藤 花子 | Contact | Salesforce', `salesforce title follows the record: ${await page.title()}`);
  check((await page.textContent('slot[name="primaryField"]'))?.trim() === '佐藤 花子', 'salesforce highlights re-rendered');
  await page.screenshot({ path: `${SHOTS}/salesforce-after-nav.png` });
  await page.goBack();
  await waitRendered(page, 'Lead/00Q5g00000AbCdEEAV');
  check(new URL(page.url()).pathname === '/lightning/r/Lead/00Q5g00000AbCdEEAV/view' && (await markerKept(page)), 'salesforce back button re-renders the lead in the same document');
  await page.goto(`${site.origin(EXAMPLE_HOST.salesforce)}/lightning/r/Lead/00Q5g00000AbCdE/view`);
  check((await page.textContent('slot[name="primaryField"]'))?.trim() === '田中 太郎', 'salesforce accepts the 15-char id');

  // --- kintone: the record comes from the hash; "next" changes only the hash.
  await page.goto(`${site.origin(EXAMPLE_HOST.kintone)}/k/12/show#record=1`);
  await waitRendered(page, '12/1');
  check((await page.textContent('.field-5522181 .control-value-content-gaia'))?.trim() === '鈴木 一郎', 'kintone record 1 rendered from the hash');
  await setMarker(page);
  const kLoads = loads;
  await page.click('a.gaia-argoui-app-infobar-pager-next');
  await waitRendered(page, '12/2');
  const hash = new URL(page.url()).hash;
  check(hash.startsWith('#record=2&'), `kintone hash after next: ${hash}`);
  check((await markerKept(page)) && loads === kLoads, 'kintone next arrow kept the document (hashchange, no reload)');
  check((await page.textContent('.field-5522181 .control-value-content-gaia'))?.trim() === '高橋 美咲', 'kintone record 2 rendered');
  await page.screenshot({ path: `${SHOTS}/kintone.png` });
  await page.goto(`${site.origin('leadlens-demo.kintone.com')}/k/guest/5/12/show#record=3`);
  await waitRendered(page, '12/3');
  check((await page.textContent('.field-5522181 .control-value-content-gaia'))?.trim() === 'David Kim', 'kintone guest space on *.kintone.com');

  // --- HubSpot, Dynamics, Zoho: the record page under the real host name.
  await page.goto(`${site.origin(EXAMPLE_HOST.hubspot)}/contacts/20112233/record/0-1/51234567801`);
  check((await page.textContent('[data-selenium-test="highlightTitle"]'))?.trim() === '伊藤 さくら', 'hubspot contact highlight');
  await page.screenshot({ path: `${SHOTS}/hubspot.png` });

  await page.goto(`${site.origin(EXAMPLE_HOST.dynamics)}/main.aspx?etn=lead&id=%7B5D4C2F1E-8A3B-4C6D-9E0F-1A2B3C4D5E6F%7D&pagetype=entityrecord&appid=d2c0a9b1-6f3e-4e8a-9b7c-5a4d3e2f1c0b`);
  check((await page.getAttribute('[data-id="header_title"]', 'title')) === '渡辺 直樹', 'dynamics lead header title (braced, upper-case, encoded id)');
  await page.screenshot({ path: `${SHOTS}/dynamics.png` });

  await page.goto(`${site.origin(EXAMPLE_HOST.zoho)}/crm/org60012345/tab/Leads/4876876000000512001`);
  check((await page.textContent('#dv_title'))?.trim() === '中村 優子', 'zoho lead title');
  await page.screenshot({ path: `${SHOTS}/zoho.png` });

  await page.goto(`${site.origin(EXAMPLE_HOST.zoho)}/crm/org60012345/tab/Leads/4876876000000599999`);
  check((await page.getAttribute('body', 'data-lookalike-status')) === 'not-found', 'zoho unknown record shows the not-found view');

  check(errors.length === 0, `no page errors${errors.length ? ': ' + errors.join(' | ') : ''}`);
} catch (err) {
  check(false, `smoke run threw: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
} finally {
  await browser.close();
  await site.close();
}

console.log(`screenshots in ${SHOTS}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
