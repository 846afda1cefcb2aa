/**
 * A CRM page that turns against the panel. A Salesforce look-alike record page, on its real host,
 * with its own scripts misbehaving (demo/site/hostile.ts, `?hostile=<attacks>`): spoofed messages
 * and location changes, synthetic clicks (through `host.shadowRoot`, which the closed root makes
 * null, on the host, at the panel's place), a hunt for the token, fetch / XHR / pushState /
 * attachShadow overridden, the panel host restyled away, WXT's "newer script started" event
 * forged. The panel runs as shipped (closed shadow root, no test hook): the test sees it through
 * the DevTools protocol (demo/panel-probe.ts), as the page cannot. What must hold: nothing logged
 * or followed by the page, no token, no panel text and no other lead in the page, and the panel
 * still shows its lead and answers a real user's click.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from '../../demo/browser';
import type { DemoStack } from '../../demo/stack';
import { probePanel, type PanelProbe } from '../../demo/panel-probe';
import { startConnected } from './connected';

let stack: DemoStack;
let browser: ExtensionBrowser;

beforeAll(async () => {
  ({ stack, browser } = await startConnected({ openPanel: false }));
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
  /** The lead name the panel showed when the page attacked. */
  nameSeen: string | null;
  panelText: string | null;
  /** The host element's own text and markup, as the page reads them. */
  hostText: string | null;
  /** Elements whose shadow root the page's patched attachShadow forced open. */
  captured: string[];
  /** Timed spoofing rounds run so far (12 in all). */
  spoofRounds: number;
  hunt: { hits: string[]; length: number; resources: string[]; chromeRuntime: string; browserGlobal: string } | null;
  done: boolean;
}
declare global {
  interface Window { __hostile?: HostileReport; __hostileGo?: boolean }
}

interface SfLead { id: string; name: string; url: string }

/** Leads with a Salesforce record, one per test so that no test sees another's follow. */
function salesforceLeads(): SfLead[] {
  const out: SfLead[] = [];
  const names = new Set<string>();
  for (const id of stack.ids()) {
    const profile = stack.profile(id);
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

const LEAD_NAME = '[data-testid=lead-name]';
/** Follow, then Mute alerts: the panel's two toggles, in that order. */
const FOLLOW = 'button.toggle';
const MUTE = 'button.toggle:nth-of-type(2)';

function hostileUrl(attacks: string, lead: SfLead, other: SfLead, extId?: string): string {
  const url = new URL(lead.url);
  url.search = new URLSearchParams({
    hostile: attacks, lead: lead.id, other: other.id, otherName: other.name, otherPath: new URL(other.url).pathname, ...(extId ? { extId } : {}),
  }).toString();
  return url.href;
}

/** Opens the hostile page; once the panel shows the lead (seen through DevTools), the page attacks. */
async function openHostile(attacks: string, lead: SfLead, other: SfLead, extId?: string): Promise<{ page: Page; probe: PanelProbe; report: () => Promise<HostileReport> }> {
  const page = await browser.context.newPage();
  await page.goto(hostileUrl(attacks, lead, other, extId));
  const probe = await probePanel(page);
  await probe.waitFor(LEAD_NAME, lead.name, 30_000);
  expect(await probe.rootMode(), 'the panel runs as shipped').toBe('closed');
  await page.evaluate(() => { window.__hostileGo = true; });
  await page.waitForFunction(() => window.__hostile?.done === true, undefined, { timeout: 30_000 });
  const report = async () => (await page.evaluate(() => JSON.parse(JSON.stringify(window.__hostile)) as HostileReport));
  expect((await report()).nameSeen, 'the page cannot read the lead off the panel').toBeNull();
  return { page, probe, report };
}

/** How many calls the server has on these leads (a spoofed or synthetic log would add one). */
const callCounts = async (...leads: SfLead[]) => Promise.all(leads.map(async (l) => (await stack.calls(l.id)).length));
const preferences = () => browser.worker.evaluate(async () => ((await chrome.storage.sync.get('preferences')).preferences ?? {}) as { followed?: string[]; muted?: string[] });
/** The saved connection, from the extension's own IndexedDB (utils/trusted-store.ts). */
const connection = () => browser.worker.evaluate(() => new Promise<unknown>((resolve, reject) => {
  const open = indexedDB.open('leadlens-trusted');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const read = open.result.transaction('items').objectStore('items').get('connection');
    read.onsuccess = () => { resolve((read.result as { value?: unknown } | undefined)?.value); open.result.close(); };
    read.onerror = () => reject(read.error);
  };
}));
/** Calls this lead has waiting in the outbox: a write is stored there before it is sent. */
const outboxOf = (leadId: string) => browser.worker.evaluate((id) => new Promise<number>((resolve, reject) => {
  const open = indexedDB.open('leadlens');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const count = open.result.transaction('outbox').objectStore('outbox').index('leadId').count(id);
    count.onsuccess = () => { resolve(count.result); open.result.close(); };
    count.onerror = () => reject(count.error);
  };
}), leadId);

/** Is the panel on screen: host displayed, panel box inside the viewport, not transparent? */
const panelOnScreen = async (probe: PanelProbe) => (await probe.evaluate<Record<string, unknown>>('aside.panel', `function () {
  const aside = this;
  const host = aside.getRootNode().host;
  const hostStyle = getComputedStyle(host);
  const style = getComputedStyle(aside);
  const box = aside.getBoundingClientRect();
  const x = box.left + Math.min(box.width / 2, 100);
  const y = box.top + Math.min(box.height / 2, 60);
  const top = document.elementFromPoint(x, y);
  return {
    present: true,
    hostDisplay: hostStyle.display, hostVisibility: hostStyle.visibility, hostOpacity: hostStyle.opacity, hostTransform: hostStyle.transform, hostClip: hostStyle.clipPath,
    display: style.display, visibility: style.visibility,
    box: { left: Math.round(box.left), top: Math.round(box.top), width: Math.round(box.width), height: Math.round(box.height) },
    inViewport: box.width > 0 && box.height > 0 && box.left < innerWidth && box.right > 0 && box.top < innerHeight && box.bottom > 0,
    // What a user's click at the panel's centre would hit (retargeted to the host from outside).
    hit: top === host ? 'panel' : top ? top.tagName : 'nothing',
  };
}`)) ?? { present: false };

describe('a hostile CRM page', () => {
  it('cannot steer the panel with spoofed messages or fake location changes', async () => {
    const { lead, other } = pick();
    const before = await callCounts(lead, other);
    const prefsBefore = await preferences();
    const { page, probe, report } = await openHostile('spoof,override', lead, other);
    // The page spoofs in rounds from load; wait for its last one.
    await page.waitForFunction(() => (window.__hostile?.spoofRounds ?? 0) >= 12, undefined, { timeout: 30_000 });
    const r = await report();
    expect(r.actions).toEqual(expect.arrayContaining(['postMessage leadlens:lead', 'postMessage logCall', 'postMessage setFollow', 'postMessage saveConnection', 'fake wxt:locationchange']));
    expect(r.errors).toEqual([]);

    expect(await probe.text(LEAD_NAME)).toBe(lead.name);
    const text = (await probe.text('aside.panel')) ?? '';
    expect(text).toContain(lead.name);
    expect(text).not.toContain('(spoofed)');
    expect(text).not.toContain('Spoofed name');
    expect(text).not.toContain(other.name);
    expect(await callCounts(lead, other)).toEqual(before);
    expect(await outboxOf(lead.id)).toBe(0);
    expect(await preferences()).toEqual(prefsBefore);
    expect(await connection()).toEqual({ apiUrl: stack.api.url, token: stack.token });
    expect(browser.context.pages().some((p) => p.url().includes('options.html'))).toBe(false);
    await page.close();
  });

  it('cannot reach the controls, nor log a call, follow or mute with synthetic clicks and keys', async () => {
    const { lead, other } = pick();
    const before = await callCounts(lead, other);
    const { page, probe, report } = await openHostile('clicks', lead, other);
    const r = await report();
    // The closed root hides every control from the page.
    expect(r.found).toMatchObject({ host: true, radio: false, save: false, follow: false, mute: false, atPanelPlace: 'leadlens-panel' });
    expect(r.actions).toEqual(expect.arrayContaining(['click the host', "click what is at the panel's place", 'press Enter and Space on the host']));
    // A real click after the page's: once it is applied, anything the page set off would be too.
    await probe.click(MUTE);
    await probe.waitFor(MUTE, 'Alerts muted');
    expect(await callCounts(lead, other)).toEqual(before);
    expect(await outboxOf(lead.id)).toBe(0);
    expect((await preferences()).followed ?? []).not.toContain(lead.id);
    expect(await probe.text(FOLLOW)).toBe('Follow');
    await page.close();
  });

  it('reads neither the panel, the API token nor another lead, whatever it reads or intercepts', async () => {
    const { lead, other } = pick();
    const { page, probe, report } = await openHostile('read,override,spoof', lead, other);
    const r = await report();

    // The token: nowhere in the document, window's own properties or the page's storage.
    const found = await page.evaluate((token) => {
      const props: Record<string, string> = {};
      for (const key of Object.keys(window)) {
        try { props[key] = JSON.stringify((window as unknown as Record<string, unknown>)[key]) ?? ''; } catch { props[key] = ''; }
      }
      return {
        document: document.documentElement.outerHTML.includes(token),
        shadowRoot: document.querySelector('leadlens-panel')?.shadowRoot ?? null,
        window: JSON.stringify(props).includes(token),
        storage: JSON.stringify({ ...localStorage }).includes(token) || JSON.stringify({ ...sessionStorage }).includes(token) || document.cookie.includes(token),
        chromeRuntime: typeof (window as unknown as { chrome?: { runtime?: unknown } }).chrome?.runtime,
      };
    }, stack.token);
    expect(found).toEqual({ document: false, shadowRoot: null, window: false, storage: false, chromeRuntime: 'undefined' });
    // The panel: its root is closed, its host holds no text, a patched attachShadow caught nothing.
    expect(r.found.shadowRootOpen).toBe(false);
    expect(r.panelText).toBeNull();
    expect(r.hostText?.trim()).toBe('');
    expect(r.captured).toEqual([]);
    expect(r.hunt?.hits).toEqual([]);
    expect(r.hunt?.chromeRuntime).toBe('undefined');
    // Nor is the token where a content script could read it (storage.local, storage.sync).
    const storageText = await browser.worker.evaluate(async () => JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.sync.get(null)]));
    expect(storageText).not.toContain(stack.token);
    // Nothing the extension does goes through the page's fetch, XHR or history.
    expect(JSON.stringify([r.fetches, r.xhrs])).not.toContain(new URL(stack.api.url).host);
    expect(JSON.stringify([r.fetches, r.xhrs])).not.toMatch(/bearer|authorization/i);
    // What the extension says in the page's hearing carries no data.
    const heard = r.messages.filter((m) => !m.own).map((m) => m.data).join('\n');
    expect(heard).not.toContain(stack.token);
    expect(heard).not.toContain(lead.name);

    // Other leads: only this record's lead is in the panel. Names the API itself returns in this
    // lead's detail (a colleague's, a company) are this lead's data, not another lead's.
    const detail = await (await fetch(`${stack.api.url}/v1/leads/${encodeURIComponent(lead.id)}`, { headers: { Authorization: `Bearer ${stack.token}` } })).text();
    const panelText = (await probe.text('aside.panel')) ?? '';
    expect(panelText).toContain(lead.name);
    const others = stack.ids().filter((id) => id !== lead.id).map((id) => stack.profile(id)?.name ?? '')
      .filter((name) => name.length > 1 && !detail.includes(name) && !lead.name.includes(name));
    expect(others.length).toBeGreaterThan(10);
    expect(others.filter((name) => panelText.includes(name))).toEqual([]);
    expect(heard).not.toContain(other.name);
    await page.close();
  });

  it('cannot hide the panel by restyling its host: it stays on screen and a real click on Follow works', async () => {
    const { lead, other } = pick();
    const { page, probe, report } = await openHostile('restyle', lead, other);
    const r = await report();
    expect(r.actions).toEqual(['stylesheet hides the host', 'inline styles hide the host', 'hidden attribute on the host']);
    // The page's rules did land on the host…
    expect(await page.evaluate(() => document.querySelector('leadlens-panel')?.getAttribute('style'))).toContain('display: none !important');
    // …and lose to the shadow root's `:host { all: initial !important }` (inner !important wins the cascade).
    const onScreen = await panelOnScreen(probe);
    expect(onScreen, JSON.stringify(onScreen)).toMatchObject({ present: true, hostDisplay: 'inline', hostVisibility: 'visible', hostOpacity: '1', display: 'block', visibility: 'visible', inViewport: true, hit: 'panel' });

    await probe.click(FOLLOW);
    await probe.waitFor(FOLLOW, 'Following');
    expect((await preferences()).followed).toContain(lead.id);
    await page.close();
  });

  // WXT's ContentScriptContext stops itself on a CustomEvent named `<extension id>:crm:wxt:content-
  // script-started` dispatched on document (the id is public for a store extension). The content
  // script swallows that event while it is current (entrypoints/crm.content/index.tsx).
  it('cannot make the content script stop itself with a forged WXT "newer script started" event', async () => {
    const { lead, other } = pick();
    // The attacker knows the extension's id: a store extension's is public.
    const { page, probe, report } = await openHostile('invalidate', lead, other, browser.extensionId);
    const r = await report();
    expect(r.extensionPrefix).toBe(`${browser.extensionId}:crm:`);
    expect(r.actions).toContain('forged content-script-started');
    // Still alive: a real click goes through the content script to the background and back.
    await probe.click(FOLLOW);
    await probe.waitFor(FOLLOW, 'Following');
    expect(await page.evaluate(() => document.querySelectorAll('leadlens-panel').length), 'the panel is still in the page').toBe(1);
    expect(await probe.text(LEAD_NAME)).toBe(lead.name);
    await page.close();
  });
});
