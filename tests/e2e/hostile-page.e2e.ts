/**
 * A CRM page that turns against the panel (only the background holds the
 * token; messages from content scripts are schema-checked and sender-checked). A Salesforce look-alike record page, on its real host, with its own scripts
 * misbehaving (demo/site/hostile.ts, `?hostile=<attacks>`): spoofed messages and location
 * changes, synthetic clicks through the open shadow root, a hunt for the token, fetch / XHR /
 * pushState overridden, the panel host restyled away, WXT's "newer script started" event forged.
 * What must hold: nothing logged or followed by the page, no token and no other lead in the page,
 * and the panel still shows its lead and answers a real user's click.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from '../../demo/browser';
import { DEMO_TOKEN, type DemoStack } from '../../demo/stack';
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

interface HostileReport {
  wanted: string[];
  messages: { own: boolean; origin: string; data: string }[];
  fetches: { url: string; headers: string }[];
  xhrs: { url?: string; header?: string }[];
  pushes: string[];
  actions: string[];
  errors: string[];
  /** `<extension id>:crm:`, from extId or learnt from the extension's own postMessage. */
  extensionPrefix: string | null;
  learnedPrefix: string | null;
  found: Record<string, boolean>;
  /** Timed spoofing rounds run so far (12 in all). */
  spoofRounds?: number;
  /** The lead name the panel showed when the page attacked. */
  nameSeen: string | null;
  panelText: string | null;
  hunt: { hits: string[]; length: number; resources: string[]; chromeRuntime: string; browserGlobal: string } | null;
  done: boolean;
}
declare global {
  interface Window { __hostile?: HostileReport }
}

interface SfLead { id: string; name: string; url: string }

/** Leads with a Salesforce record, one per test so that no test sees another's follow. */
function salesforceLeads(): SfLead[] {
  const out: SfLead[] = [];
  const names = new Set<string>();
  for (const id of stack.api.store.ids()) {
    const profile = stack.api.store.profile(id);
    const ref = profile?.crmRefs.find((r) => r.crm === 'salesforce' && r.objectType === 'Lead' && r.url);
    if (profile && ref?.url && !names.has(profile.name)) {
      names.add(profile.name);
      out.push({ id, name: profile.name, url: ref.url });
    }
  }
  return out;
}
let nextLead = 0;
const pick = (): { lead: SfLead; other: SfLead } => {
  const leads = salesforceLeads();
  const lead = leads[nextLead++];
  const other = leads.at(-1);
  if (!lead || !other || lead.id === other.id) throw new Error('not enough Salesforce leads in the demo data');
  return { lead, other };
};

const panel = (page: Page) => page.locator('leadlens-panel');

function hostileUrl(attacks: string, lead: SfLead, other: SfLead, extId?: string): string {
  const url = new URL(lead.url);
  url.search = new URLSearchParams({
    hostile: attacks, lead: lead.id, other: other.id, otherName: other.name, otherPath: new URL(other.url).pathname, ...(extId ? { extId } : {}),
  }).toString();
  return url.href;
}

/** Opens the hostile page and waits for its attacks, made once the panel showed the lead. */
async function openHostile(attacks: string, lead: SfLead, other: SfLead, extId?: string): Promise<{ page: Page; report: () => Promise<HostileReport> }> {
  const page = await browser.context.newPage();
  await page.goto(hostileUrl(attacks, lead, other, extId));
  await page.waitForFunction(() => window.__hostile?.done === true, undefined, { timeout: 30_000 });
  const report = async () => (await page.evaluate(() => JSON.parse(JSON.stringify(window.__hostile)) as HostileReport));
  expect((await report()).nameSeen, 'the page attacked the panel showing its lead').toBe(lead.name);
  return { page, report };
}

const activityKeys = () => new Set(stack.api.activities.keys());
const newActivities = (before: Set<string>) => [...stack.api.activities.entries()].filter(([key]) => !before.has(key)).map(([, d]) => d);
const preferences = () => browser.worker.evaluate(async () => ((await chrome.storage.sync.get('preferences')).preferences ?? {}) as { followed?: string[]; muted?: string[] });
const connection = () => browser.worker.evaluate(async () => (await chrome.storage.local.get('connection')).connection as { apiUrl: string; token: string });

/** Is the panel on screen: host displayed, panel box inside the viewport, not transparent? */
const panelOnScreen = (page: Page) => page.evaluate(() => {
  const host = document.querySelector('leadlens-panel');
  const aside = host?.shadowRoot?.querySelector('aside.panel');
  if (!host || !aside) return { present: false };
  const hostStyle = getComputedStyle(host);
  const style = getComputedStyle(aside);
  const box = aside.getBoundingClientRect();
  return {
    present: true,
    hostDisplay: hostStyle.display, hostVisibility: hostStyle.visibility, hostOpacity: hostStyle.opacity, hostTransform: hostStyle.transform, hostClip: hostStyle.clipPath,
    display: style.display, visibility: style.visibility,
    box: { left: Math.round(box.left), top: Math.round(box.top), width: Math.round(box.width), height: Math.round(box.height) },
    inViewport: box.width > 0 && box.height > 0 && box.left < innerWidth && box.right > 0 && box.top < innerHeight && box.bottom > 0,
    // What a user's click at the panel's centre would hit.
    hit: (() => {
      const x = box.left + Math.min(box.width / 2, 100);
      const y = box.top + Math.min(box.height / 2, 60);
      const top = document.elementFromPoint(x, y);
      return top === host ? 'panel' : top?.tagName ?? 'nothing';
    })(),
  };
});

describe('a hostile CRM page', () => {
  it('cannot steer the panel with spoofed messages or fake location changes', async () => {
    const { lead, other } = pick();
    const before = activityKeys();
    const prefsBefore = await preferences();
    const { page, report } = await openHostile('spoof,override', lead, other);
    // The page keeps spoofing for 12 rounds from load; let every round land.
    await page.waitForFunction(() => window.__hostile?.spoofRounds === 12);
    const r = await report();
    expect(r.actions).toEqual(expect.arrayContaining(['postMessage leadlens:lead', 'postMessage logCall', 'postMessage setFollow', 'postMessage saveConnection', 'fake wxt:locationchange']));
    expect(r.errors).toEqual([]);

    await expect.poll(() => panel(page).getByTestId('lead-name').textContent()).toBe(lead.name);
    const text = await panel(page).locator('aside.panel').innerText();
    expect(text).not.toContain('(spoofed)');
    expect(text).not.toContain('Spoofed name');
    expect(text).not.toContain(other.name);
    expect(newActivities(before)).toEqual([]);
    expect(await preferences()).toEqual(prefsBefore);
    expect(await connection()).toEqual({ apiUrl: stack.api.url, token: DEMO_TOKEN });
    expect(browser.context.pages().some((p) => p.url().includes('options.html'))).toBe(false);
    await page.close();
  });

  it('cannot log a call, follow or mute with synthetic clicks through the shadow root', async () => {
    const { lead, other } = pick();
    const before = activityKeys();
    const { page, report } = await openHostile('clicks', lead, other);
    const r = await report();
    expect(r.found).toMatchObject({ radio: true, save: true, follow: true, mute: true });
    expect(r.actions).toEqual(expect.arrayContaining(['click Save call', 'requestSubmit', 'dispatch submit', 'click Follow', 'click Mute']));
    await page.waitForTimeout(1_500);
    expect(newActivities(before)).toEqual([]);
    const prefs = await preferences();
    expect(prefs.followed ?? []).not.toContain(lead.id);
    expect(prefs.muted ?? []).not.toContain(lead.id);
    expect(await panel(page).getByRole('button', { name: 'Follow', exact: true }).count()).toBe(1);
    expect(await panel(page).getByRole('button', { name: 'Mute alerts', exact: true }).count()).toBe(1);
    await page.close();
  });

  it('finds neither the API token nor another lead in the page, whatever it reads or intercepts', async () => {
    const { lead, other } = pick();
    const { page, report } = await openHostile('read,override,spoof', lead, other);
    await page.waitForTimeout(1_000);
    const r = await report();

    // The token: nowhere in the document, the panel's shadow DOM or window's own properties.
    const found = await page.evaluate((token) => {
      const host = document.querySelector('leadlens-panel');
      const props: Record<string, string> = {};
      for (const key of Object.keys(window)) {
        try { props[key] = JSON.stringify((window as unknown as Record<string, unknown>)[key]) ?? ''; } catch { props[key] = ''; }
      }
      return {
        document: document.documentElement.outerHTML.includes(token),
        shadow: (host?.shadowRoot?.innerHTML ?? '').includes(token),
        window: JSON.stringify(props).includes(token),
        storage: JSON.stringify({ ...localStorage }).includes(token) || JSON.stringify({ ...sessionStorage }).includes(token) || document.cookie.includes(token),
        chromeRuntime: typeof (window as unknown as { chrome?: { runtime?: unknown } }).chrome?.runtime,
      };
    }, DEMO_TOKEN);
    expect(found).toEqual({ document: false, shadow: false, window: false, storage: false, chromeRuntime: 'undefined' });
    expect(r.found.shadowRootOpen).toBe(true); // WXT's default: the page can read the panel
    expect(r.hunt?.hits).toEqual([]);
    expect(r.hunt?.chromeRuntime).toBe('undefined');
    // Nothing the extension does goes through the page's fetch, XHR or history.
    expect(JSON.stringify([r.fetches, r.xhrs])).not.toContain(new URL(stack.api.url).host);
    expect(JSON.stringify([r.fetches, r.xhrs])).not.toMatch(/bearer|authorization/i);
    // What the extension says in the page's hearing (WXT announces its content script) carries no data.
    const heard = r.messages.filter((m) => !m.own).map((m) => m.data).join('\n');
    expect(heard).not.toContain(DEMO_TOKEN);
    expect(heard).not.toContain(lead.name);

    // Other leads: only this record's lead is in the panel. Names the API itself returns in this
    // lead's detail (a colleague's, a company) are this lead's data, not another lead's.
    const detail = await (await fetch(`${stack.api.url}/v1/leads/${encodeURIComponent(lead.id)}`, { headers: { Authorization: `Bearer ${DEMO_TOKEN}` } })).text();
    const panelText = r.panelText ?? '';
    expect(panelText).toContain(lead.name);
    const others = stack.api.store.ids().filter((id) => id !== lead.id).map((id) => stack.api.store.profile(id)?.name ?? '')
      .filter((name) => name.length > 1 && !detail.includes(name) && !lead.name.includes(name));
    expect(others.length).toBeGreaterThan(10);
    expect(others.filter((name) => panelText.includes(name))).toEqual([]);
    expect(heard).not.toContain(other.name);
    await page.close();
  });

  it('cannot hide the panel by restyling its host: it stays on screen and a real click on Follow works', async () => {
    const { lead, other } = pick();
    const { page, report } = await openHostile('restyle', lead, other);
    const r = await report();
    expect(r.actions).toEqual(['stylesheet hides the host', 'inline styles hide the host', 'hidden attribute on the host']);
    // The page's rules did land on the host…
    expect(await page.evaluate(() => document.querySelector('leadlens-panel')?.getAttribute('style'))).toContain('display: none !important');
    // …and lose to the shadow root's `:host { all: initial !important }` (inner !important wins the cascade).
    const onScreen = await panelOnScreen(page);
    expect(onScreen, JSON.stringify(onScreen)).toMatchObject({ present: true, hostDisplay: 'inline', hostVisibility: 'visible', hostOpacity: '1', display: 'block', visibility: 'visible', inViewport: true, hit: 'panel' });
    expect(await panel(page).getByTestId('lead-name').isVisible()).toBe(true);

    await panel(page).getByRole('button', { name: 'Follow', exact: true }).click({ timeout: 5_000 });
    await expect.poll(() => panel(page).getByRole('button', { name: 'Following' }).count()).toBe(1);
    expect((await preferences()).followed).toContain(lead.id);
    await page.close();
  });

  // WXT's ContentScriptContext stops itself on a CustomEvent named `<extension id>:crm:wxt:content-
  // script-started` dispatched on document (the id is public for a store extension). The content
  // script swallows that event while it is current (entrypoints/crm.content/index.tsx).
  it('cannot make the content script stop itself with a forged WXT "newer script started" event', async () => {
    const { lead, other } = pick();
    // The attacker knows the extension's id: a store extension's is public.
    const { page, report } = await openHostile('invalidate', lead, other, browser.extensionId);
    const r = await report();
    expect(r.extensionPrefix).toBe(`${browser.extensionId}:crm:`);
    expect(r.actions).toContain('forged content-script-started');
    // WXT handles the event while the page dispatches it, before the page reported: the panel
    // would be gone already, and the real click below shows the script still answers.
    expect(await panel(page).count(), 'the panel is still in the page').toBe(1);
    expect(await panel(page).getByTestId('lead-name').textContent()).toBe(lead.name);
    await panel(page).getByRole('button', { name: 'Follow', exact: true }).click({ timeout: 5_000 });
    await expect.poll(() => panel(page).getByRole('button', { name: 'Following' }).count()).toBe(1);
    await page.close();
  });
});
