// The whole panel (found, with the detail) rendered from hostile and awkward API strings: markup,
// script, javascript: links, 10,000-character names, Arabic, Hebrew and mixed bidi with override
// characters. API strings render as text, never HTML; only http(s) links.
// What must hold: no element or handler is made from API text, no javascript: (or any non-http)
// href, links open without opener or referrer, every string shows verbatim as text inside its own
// bidi-isolated `.api` element, and the panel keeps its structure (header, score, timeline).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { signal } from '@preact/signals';
import { render } from 'preact';
import { beforeEach, describe, expect, it } from 'vitest';
import { LeadPanel, type PanelDetail, type PanelState } from '../../components/LeadPanel';
import type { LeadSummary, TimelineEvent } from '../../utils/api/contract';
import { englishRenderRoot } from './english';

let root: HTMLDivElement;
englishRenderRoot((element) => (root = element));
beforeEach(() => {
  delete (globalThis as { __pwned?: unknown }).__pwned;
});

const NOW = Date.parse('2025-07-15T10:00:00+09:00');
const iso = (ms: number) => new Date(ms).toISOString();

// ------------------------------------------------------------------------------------------
// The strings.

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>window.__pwned=1</script>';
const MARKUP = `${IMG}${SCRIPT}<a href="javascript:alert(1)">x</a><iframe src="javascript:alert(1)"></iframe><svg onload=alert(1)>`;
const LONG_NAME = `${'長'.repeat(4_000)}${'N'.repeat(5_000)}${'ن'.repeat(1_000)}`; // 10,000 characters, no spaces
const ARABIC = 'شركة الأمل للتجارة — محمد عبد الله';
const HEBREW = 'חברת אור בע״מ, דוד כהן';
// Right-to-left override without its pop, an isolate left open, numbers inside RTL: if any of these
// leaked out of its element, the score or the labels next to it would be reordered.
const BIDI = `\u202Eevil.exe\u202D ${ARABIC} 123 abc ${HEBREW} \u2067open isolate`;

const JS_URLS = [
  'javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)', '\tjava\nscript:alert(1)', 'javascript&colon;alert(1)',
  'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', '//evil.example/x', '/relative', 'ftp://example.com/f',
];
const SAFE_URLS = ['https://example.com/pricing?q=<script>', 'http://example.com/case-study#"onmouseover=alert(1)'];

const lead: LeadSummary = {
  id: 'L1', name: LONG_NAME, company: `${MARKUP} ${ARABIC}`, owner: { id: 'u1', name: `${HEBREW} ${IMG}` },
  score: 74, scoreChange24h: 12, band: 'hot', stage: 'lead',
  needDetectedAt: iso(NOW - 37 * 60_000), needReason: `Attended seminar: ${BIDI} ${SCRIPT}`,
  crmRefs: [], updatedAt: iso(NOW),
};

const events: TimelineEvent[] = [
  ...JS_URLS.map((url, i) => ({ id: `bad-${i}`, at: iso(NOW - (i + 1) * 60_000), type: 'web_visit', title: `link ${i} ${IMG}`, url })),
  ...SAFE_URLS.map((url, i) => ({ id: `ok-${i}`, at: iso(NOW - (20 + i) * 60_000), type: 'key_page', title: `safe ${i} ${ARABIC}`, url })),
  {
    id: 'e-markup', at: iso(NOW - 30 * 60_000), type: SCRIPT, title: MARKUP, detail: `${BIDI}\n${SCRIPT}`, actor: `${HEBREW}${IMG}`, channel: IMG,
    meta: { outcome: SCRIPT, lossReason: `${IMG} ${ARABIC}`, watchedPercent: '<b>100</b>' },
  },
  { id: 'e-long', at: iso(NOW - 31 * 60_000), type: 'email_open', title: LONG_NAME, detail: HEBREW },
];

const detail: PanelDetail = {
  ...lead,
  breakdown: [
    { key: 'f-markup', label: MARKUP, points: 25, kind: 'behavior', count: 1 },
    { key: 'f-rtl', label: ARABIC, points: -8, kind: 'timing' },
  ],
  interests: [{ topic: `${SCRIPT}${HEBREW}`, weight: 0.6 }, { topic: BIDI, weight: 0.4 }],
  cooldowns: [{ reason: IMG, severity: 'warn', message: `${MARKUP} ${ARABIC}` }],
  timeline: events,
  timelineCursor: 'older',
};

/** Every API string the panel shows, and where: it must appear verbatim as text. */
const SHOWN: [string, string][] = [
  ['name', LONG_NAME], ['company', lead.company ?? ''], ['owner', lead.owner?.name ?? ''], ['need reason', lead.needReason ?? ''],
  ['factor label', MARKUP], ['factor label (RTL)', ARABIC], ['interest', `${SCRIPT}${HEBREW}`], ['interest (bidi)', BIDI],
  ['cooldown message', `${MARKUP} ${ARABIC}`],
  ...events.map((e) => [`event ${e.id} title`, e.title] as [string, string]),
  ['event detail', `${BIDI}\n${SCRIPT}`], ['event actor', `${HEBREW}${IMG}`], ['loss reason', `${IMG} ${ARABIC}`],
];

function renderPanel(state: PanelState, collapsed = false) {
  render(
    <LeadPanel state={signal(state)} collapsed={signal(collapsed)} onToggle={() => {}} onOpenSettings={() => {}} locale="en-US" timeZone="Asia/Tokyo"
      onLogCall={() => {}} onFollowChange={() => {}} onMuteChange={() => {}} onLoadOlder={() => {}} />,
    root,
  );
}

const FOUND: PanelState = { kind: 'found', lead, detail, asOf: iso(NOW), now: NOW };

/** Text nodes whose text is exactly, or contains, `needle`. */
const textNodesWith = (needle: string) => {
  const walker = document.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  const found: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if ((n as Text).data.includes(needle)) found.push(n as Text);
  return found;
};

// ------------------------------------------------------------------------------------------

describe('the full panel renders hostile API text inert', () => {
  it('creates no element and no handler from API text', () => {
    renderPanel(FOUND);
    expect(root.querySelectorAll('script, img, iframe, svg, object, embed, b, style, link, meta, base')).toHaveLength(0);
    for (const element of root.querySelectorAll('*')) {
      for (const attr of element.attributes) {
        expect(attr.name.startsWith('on'), `${element.tagName} has ${attr.name}`).toBe(false);
        // data-type / data-reason carry the API's type and reason for styling: set as values, never parsed.
        if (attr.name.startsWith('data-')) continue;
        if (attr.name === 'href') continue; // checked below: http(s) only
        expect(/<|javascript:|onerror|alert\(/i.test(attr.value), `${element.tagName} ${attr.name}="${attr.value.slice(0, 80)}"`).toBe(false);
      }
    }
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
  });

  it('links only to http(s), each opening a new tab without opener or referrer', () => {
    renderPanel(FOUND);
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(SAFE_URLS.map((u) => new URL(u).href));
    for (const a of links) {
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
      expect(a.getAttribute('target')).toBe('_blank');
    }
    expect(root.querySelectorAll('[href^="javascript" i], [href*="script:" i], [src], [srcdoc], [formaction]')).toHaveLength(0);
    // The events whose link was refused still show their title, as plain text.
    for (const i of JS_URLS.keys()) {
      const row = [...root.querySelectorAll('.ev-title')].find((p) => p.textContent === `link ${i} ${IMG}`);
      expect(row, `event bad-${i}`).toBeDefined();
      expect(row?.querySelector('a'), `event bad-${i}`).toBeNull();
    }
  });

  it.each(SHOWN)('shows the %s verbatim, as text, inside its own bidi-isolated .api element', (_what, value) => {
    renderPanel(FOUND);
    const nodes = textNodesWith(value);
    expect(nodes.length, 'present as text').toBeGreaterThan(0);
    for (const node of nodes) expect(node.parentElement?.closest('.api'), 'inside an .api element').not.toBeNull();
  });

  it('keeps the 10,000-character name whole in the header', () => {
    renderPanel(FOUND);
    expect(LONG_NAME).toHaveLength(10_000);
    expect(root.querySelector('[data-testid="lead-name"]')?.textContent).toBe(LONG_NAME);
  });

  it('isolates API text in CSS, so an RTL override cannot reorder the labels or the score around it', () => {
    const css = readFileSync(resolve(process.cwd(), 'components/panel.css'), 'utf8');
    expect(css).toMatch(/\.api\s*\{[^}]*unicode-bidi:\s*(plaintext|isolate)/);
    expect(css).toMatch(/\.api\s*\{[^}]*overflow-wrap:\s*anywhere/);
    renderPanel(FOUND);
    // The score and band are ours, never inside API text.
    expect(root.querySelector('[data-testid="lead-score"]')?.closest('.api')).toBeNull();
    expect(root.querySelector('[data-testid="lead-band"]')?.closest('.api')).toBeNull();
  });

  it('keeps its structure: one panel with its bar, header, score, call window and a timeline of every event', () => {
    renderPanel(FOUND);
    expect(root.querySelectorAll('aside.panel')).toHaveLength(1);
    const panel = root.querySelector('aside.panel');
    expect(panel?.getAttribute('data-state')).toBe('found');
    expect(panel?.querySelector(':scope > header.bar .brand')?.textContent).toBe('LeadLens');
    const view = panel?.querySelector(':scope > .body > .lead');
    expect(view?.querySelector(':scope > .header [data-testid="lead-name"]')).not.toBeNull();
    expect(view?.querySelector(':scope > .score [data-testid="lead-score"]')?.textContent).toBe('74');
    expect(view?.querySelector(':scope > .score [data-testid="lead-band"]')?.textContent).toBe('Hot');
    expect(view?.querySelector(':scope > [data-testid="call-window"]')).not.toBeNull();
    expect(view?.querySelector(':scope > form.log-call button[type="submit"]')?.textContent).toBe('Save call');
    expect(view?.querySelector(':scope > .breakdown')?.querySelectorAll('li.factor')).toHaveLength(2);
    const timeline = view?.querySelector(':scope > .timeline');
    expect(timeline?.querySelectorAll('li.event')).toHaveLength(events.length);
    expect(timeline?.querySelector('button.older')).not.toBeNull();
    // The unknown event type (markup) gets the generic glyph and label, not its own text.
    expect(timeline?.querySelector('li.event[data-type="<script>window.__pwned=1</script>"] .ev-icon.ev-generic')).not.toBeNull();
    expect(view?.querySelector(':scope > .as-of')).not.toBeNull();
  });

  it('renders hostile text inert in the error state, and the collapsed tab shows only its own marks and numbers', () => {
    renderPanel({ kind: 'error', message: MARKUP });
    expect(root.querySelectorAll('script, img, iframe, svg, a')).toHaveLength(0);
    expect(root.querySelector('.error')?.textContent).toBe(`Could not load the lead: ${MARKUP}`);
    renderPanel(FOUND, true);
    // The hostile-named warning shows as ⚠ only; 74 the score; 1:23 left (need 37 min ago, 2 h window).
    expect(root.querySelector('button.tab')?.textContent).toBe('⚠741:23');
    expect(root.querySelector('button.tab')?.getAttribute('aria-label')).toBe('Open the LeadLens panel — Check the warning before calling — score 74 — 1 h 23 min left to call');
    expect(root.textContent).not.toContain('<img');
  });
});
