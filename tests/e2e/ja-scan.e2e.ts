/**
 * Japanese all the way: Chromium started with --lang ja (the Debian build has no Japanese UI
 * pack, so the extension must bring its own catalogue), the extension's language on "auto" and
 * then explicitly ja. The panel on each of the five CRM look-alikes, the popup and the settings
 * page are read as a rep sees them (visible text, placeholders, aria-labels, titles, the options
 * of pickers); the data values of the seeded stack (names, companies, e-mail addresses, URLs,
 * record ids, event titles…) are taken out, and no Latin-script word may remain but the short
 * list docs/glossary.md allows.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from '../../demo/browser';
import type { DemoStack } from '../../demo/stack';
import type { CrmRef } from '../../utils/api/contract';
import { startConnected } from './connected';

let stack: DemoStack;
let browser: ExtensionBrowser;

/** The glossary's list of Latin-script words a Japanese screen may show (backticked, in its last section). */
function allowedLatin(): Set<string> {
  const text = readFileSync(resolve(import.meta.dirname, '../../docs/glossary.md'), 'utf8');
  const section = text.split(/^## Latin-script words allowed in the Japanese UI$/m)[1];
  if (!section) throw new Error('docs/glossary.md has no "Latin-script words allowed" section');
  return new Set([...section.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

/** Every value of the seeded data a screen may show: they are the customer's words, not ours. */
function dataValues(): string[] {
  const values = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.trim()) values.add(value.trim());
  };
  for (const { profile, events } of stack.dataset.leads) {
    [profile.id, profile.name, profile.company, profile.email, profile.jobTitle, profile.owner?.name].forEach(add);
    // Not the object type (Lead, Contact…): that is the CRM's vocabulary, which the panel must put in the rep's words.
    for (const ref of profile.crmRefs) [ref.recordId, ref.url, ref.host].forEach(add);
    for (const event of events) {
      [event.title, event.detail, event.url, event.actor].forEach(add);
      for (const value of Object.values(event.meta ?? {})) [value].flat().forEach(add);
    }
  }
  for (const user of stack.dataset.users) [user.id, user.name, user.email].forEach(add);
  for (const id of stack.ids()) add(id);
  add(stack.api.url);
  add(new URL(stack.api.url).host);
  // Longest first, so a company name is removed before a shorter name inside it.
  return [...values].sort((a, b) => b.length - a.length);
}

/** What a rep reads in a root (a document or the panel's shadow root): visible text and the words of attributes and pickers. */
async function readScreen(page: Page, panel: boolean): Promise<string[]> {
  return page.evaluate((inPanel) => {
    const root: Document | ShadowRoot | null = inPanel ? document.querySelector('leadlens-panel')?.shadowRoot ?? null : document;
    if (!root) throw new Error('no panel');
    const out: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || !node.textContent?.trim()) continue;
      // Suggestions of a datalist (time zone names) are data a user may pick, not words of ours;
      // code is syntax the user types (a URL pattern, a selector).
      if (parent.closest('script, style, template, datalist, code, kbd')) continue;
      // An option of a closed select has no box of its own; the rep still reads it when opening the picker.
      if (!parent.closest('option') && !parent.checkVisibility({ visibilityProperty: true })) continue;
      out.push(node.textContent.trim());
    }
    for (const el of root.querySelectorAll('*')) {
      if (el.closest('datalist')) continue;
      for (const attribute of ['placeholder', 'aria-label', 'title', 'alt']) {
        const value = el.getAttribute(attribute);
        if (value?.trim()) out.push(value.trim());
      }
    }
    return out;
  }, panel);
}

/**
 * Addresses and identifiers are not words to translate: URLs and match patterns (https://…,
 * *.example.com/*), e-mail addresses, IANA time zone ids (Asia/Tokyo), a CSS id selector
 * (#customer-email) and regular-expression syntax ((?<recordId>…), \d).
 */
const IDENTIFIERS = [
  /[a-z][a-z0-9+.-]*:\/\/[^\s、。,，」]*/gi, /\*\.[\w.-]+(\/\*?)?/g, /[\w.+-]+@[\w-]+(\.[\w-]+)+/g,
  /\b[A-Z][a-z]+\/[A-Z][A-Za-z_]+\b/g, /\(\?<\w+>/g, /\\[dDwWsS]/g, /#[\w-]+/g,
];

/** The Latin-script words left in `texts` once allowed words, data values and identifiers are out. */
function latinWords(texts: string[], data: string[], allowed: Set<string>): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    let rest = text;
    // Addresses first: a data value inside a URL would otherwise cut it into "words".
    for (const pattern of IDENTIFIERS) rest = rest.replace(pattern, ' ');
    for (const value of data) if (rest.includes(value)) rest = rest.split(value).join(' ');
    for (const [word] of rest.matchAll(/\p{Script=Latin}+/gu)) {
      if (!allowed.has(word) && !allowed.has(word.normalize('NFKC'))) found.add(`${word}  ←  ${text.slice(0, 160)}`);
    }
  }
  return [...found].sort();
}

/** The hot lead with a record in this CRM, else any lead there. */
async function leadIn(crm: CrmRef['crm']): Promise<string> {
  const inCrm = stack.ids().filter((id) => stack.profile(id)?.crmRefs.some((r) => r.crm === crm && r.url));
  const hot = (await stack.leads()).find((lead) => lead.band === 'hot' && inCrm.includes(lead.id))?.id;
  const id = hot ?? inCrm[0];
  if (!id) throw new Error(`no lead in ${crm}`);
  return id;
}

beforeAll(async () => {
  ({ stack, browser } = await startConnected({ lang: 'ja' }));
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe.each(['auto', 'ja'] as const)('under --lang ja, language %s: no Latin-script UI words', (language) => {
  let data: string[];
  let allowed: Set<string>;

  beforeAll(async () => {
    data = dataValues();
    allowed = allowedLatin();
    await browser.worker.evaluate(async (chosen) => {
      await chrome.storage.sync.set({ preferences: { language: chosen }, 'preferences$': { v: 2 } });
    }, language);
  });

  it.each(['salesforce', 'kintone', 'hubspot', 'dynamics', 'zoho'] as const)('the panel on %s', async (crm) => {
    const page = await browser.context.newPage();
    await page.goto(stack.recordUrl(await leadIn(crm), crm));
    const panel = page.locator('leadlens-panel');
    // The panel has loaded the lead (its call form) and its detail (the timeline) in Japanese.
    await expect.poll(() => panel.getByText('架電を記録', { exact: true }).count(), { timeout: 15_000 }).toBe(1);
    await panel.locator('.timeline li').first().waitFor({ timeout: 15_000 });
    const words = latinWords(await readScreen(page, true), data, allowed);
    // Marked Japanese, so that it wraps between phrases.
    const marked = await page.evaluate(() => {
      const aside = document.querySelector('leadlens-panel')?.shadowRoot?.querySelector('aside');
      return aside && { lang: aside.lang, wordBreak: getComputedStyle(aside).wordBreak };
    });
    await page.close();
    expect(marked).toEqual({ lang: 'ja', wordBreak: 'auto-phrase' });
    expect(words.join('\n')).toBe('');
  });

  it('the popup', async () => {
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('popup.html'));
    // Synced (not "…" nor syncing) and the hot list drawn.
    await page.getByTestId('popup-status').filter({ hasText: /同期/ }).filter({ hasNotText: /同期中/ }).waitFor({ timeout: 15_000 });
    await page.getByTestId('popup-list-hot').waitFor({ timeout: 15_000 });
    const words = latinWords(await readScreen(page, false), data, allowed);
    const marked = await page.evaluate(() => ({ lang: document.documentElement.lang, wordBreak: getComputedStyle(document.body).wordBreak }));
    await page.close();
    expect(words.join('\n')).toBe('');
    expect(marked).toEqual({ lang: 'ja', wordBreak: 'auto-phrase' });
  });

  it('the settings page', async () => {
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));
    await page.locator('#api-url').waitFor({ timeout: 15_000 });
    await page.getByText('接続', { exact: true }).first().waitFor({ timeout: 15_000 });
    const words = latinWords(await readScreen(page, false), data, allowed);
    // The browser's time picker draws AM/PM in the browser's UI language (English here), out of
    // reach of the text scan: settings must have no such picker, and show times 24-hour.
    const times = await page.evaluate(() => ({
      pickers: document.querySelectorAll('input[type=time]').length,
      values: [...document.querySelectorAll<HTMLInputElement>('input[data-time="24h"]')].map((input) => input.value),
    }));
    await page.close();
    expect(words.join('\n')).toBe('');
    expect(times.pickers).toBe(0);
    expect(times.values.length).toBeGreaterThanOrEqual(2);
    // 24:00 is the end of a day open until midnight (the e2e opens all week).
    for (const value of times.values) expect(value).toMatch(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/);
  });
});

describe('switching the language', () => {
  it('fetches the server\'s texts again in the new language (the cache held them in Japanese)', async () => {
    const leadId = await leadIn('salesforce');
    // The stack's own client sends no Accept-Language: the server's default, English.
    const english = (await stack.summary(leadId)).needReason;
    expect(english).toMatch(/\p{Script=Latin}{3,}/u);
    await browser.worker.evaluate(async () => {
      await chrome.storage.sync.set({ preferences: { language: 'en' }, 'preferences$': { v: 2 } });
    });
    const page = await browser.context.newPage();
    await page.goto(stack.recordUrl(leadId, 'salesforce'));
    const panel = page.locator('leadlens-panel');
    await expect.poll(() => panel.getByText('Log a call', { exact: true }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => panel.getByText(english!, { exact: false }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.close();
  });
});
