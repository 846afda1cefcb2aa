// The docked panel: widths (clamp, keyboard steps), folding, what the folded tab says, the
// page's reserved margin, the header measure, the resize handle, and the call log readied by a
// click on the number. Expected values are worked out by hand from the rules in the comments.
import { signal } from '@preact/signals';
import { render, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LeadPanel, type PanelState } from '../../components/LeadPanel';
import { Header } from '../../components/panel/Header';
import { LogCallForm, type Dial } from '../../components/panel/LogCallForm';
import { ResizeHandle } from '../../components/panel/ResizeHandle';
import { compactLeft, tabView } from '../../components/panel/tab';
import type { LeadSummary } from '../../utils/api/contract';
import { headerBottom, isFolded, reserve, toggleFold } from '../../utils/content/dock';
import { clampWidth, keyedWidth, maxWidth } from '../../utils/panel-width';
import { callTime } from '../../utils/policy/call-time';
import type { CallWindowState } from '../../utils/policy/call-window';
import type { EvaluatedCooldown } from '../../utils/policy/cooldown-merge';
import { englishRenderRoot } from './english';

let root: HTMLDivElement;
englishRenderRoot((element) => (root = element));
const show = (node: ComponentChild) => {
  act(() => render(node, root));
  return root;
};

const MIN = 60_000;
const NOW = Date.parse('2025-07-15T10:00:00+09:00');
const iso = (ms: number) => new Date(ms).toISOString();

describe('panel width', () => {
  // max = min(560, viewport − 640), never under 280.
  it.each([
    [1024, 384], [1280, 560], [1440, 560], [900, 280], [800, 280],
  ])('widest at %i px: %i', (viewport, max) => {
    expect(maxWidth(viewport)).toBe(max);
  });

  it.each([
    ['nothing stored', undefined, 1280, 320],
    ['not a number', '400', 1280, 320],
    ['NaN', Number.NaN, 1280, 320],
    ['too narrow', 200, 1280, 280],
    ['too wide', 700, 1280, 560],
    ['wider than 1024 px leaves the CRM', 500, 1024, 384],
    ['a fraction', 300.4, 1280, 300],
    ['the default on a small window', 320, 800, 280],
  ] as const)('clamps %s', (_name, width, viewport, expected) => {
    expect(clampWidth(width, viewport)).toBe(expected);
  });

  it.each([
    ['ArrowLeft', 320, 560, false, 336],
    ['ArrowRight', 320, 560, false, 304],
    ['ArrowLeft', 320, 560, true, 384],
    ['ArrowLeft', 550, 560, false, 560],
    ['ArrowRight', 290, 560, false, 280],
    ['Home', 400, 560, false, 280],
    ['End', 300, 384, false, 384],
    ['a', 320, 560, false, undefined],
  ] as const)('%s from %i (max %i, big %s) → %s', (key, width, max, big, expected) => {
    expect(keyedWidth(key, width, max, big)).toBe(expected);
  });
});

describe('folding', () => {
  it.each([
    ['open by choice, a lead', false, 'found', false, false],
    ['folded by choice', true, 'found', false, true],
    ['no lead behind the record folds by itself', false, 'not_found', false, true],
    ['…until the rep opens it there', false, 'not_found', true, false],
    ['loading stays as chosen', false, 'loading', false, false],
    ['not connected stays open (it says what to do)', false, 'not_connected', false, false],
  ] as const)('%s', (_name, chosen, kind, openedHere, folded) => {
    expect(isFolded(chosen, kind, openedHere)).toBe(folded);
  });

  it.each([
    ['fold an open panel: stored', false, 'found', false, { chosen: true, openedHere: false, persist: true }],
    ['open a folded panel: stored', true, 'found', false, { chosen: false, openedHere: false, persist: true }],
    ['open an auto-folded one: this record only', false, 'not_found', false, { chosen: false, openedHere: true, persist: false }],
    ['fold it again: back to auto, nothing stored', false, 'not_found', true, { chosen: false, openedHere: false, persist: false }],
    ['open while folded by choice on a no-lead record: stored', true, 'not_found', false, { chosen: false, openedHere: false, persist: true }],
  ] as const)('%s', (_name, chosen, kind, openedHere, expected) => {
    expect(toggleFold(chosen, kind, openedHere)).toEqual(expected);
  });
});

const cooldown = (severity: 'block' | 'warn', until?: number): EvaluatedCooldown => ({
  reason: severity === 'block' ? 'do_not_call' : 'recent_call', severity, ...(until === undefined ? {} : { until: iso(until) }),
  labelKey: 'cooldownReasonOther', messageKey: 'cooldownBlockedMsg', params: [], source: 'api',
});
const open83: CallWindowState = { state: 'open', detectedAt: iso(NOW - 37 * MIN), detectedAgoMs: 37 * MIN, remainingMs: 83 * MIN, endsAt: iso(NOW + 83 * MIN) };
const paused: CallWindowState = { ...open83, state: 'paused', remainingMs: 30 * MIN, resumesAt: iso(NOW + 14 * 60 * MIN) };
const missed: CallWindowState = { state: 'missed', detectedAt: iso(NOW - 3 * 60 * MIN), detectedAgoMs: 3 * 60 * MIN, missedByMs: 60 * MIN, endedAt: iso(NOW - 60 * MIN) };

describe('what the folded tab says', () => {
  const lead = { score: 18.4, band: 'cold' };
  it.each([
    ['no lead', undefined, [], { state: 'none' } as CallWindowState, { mark: 'none', band: 'none' }],
    ['do not call: ⛔, no countdown even with a window open', lead, [cooldown('block')], open83, { mark: 'block', score: 18, band: 'cold' }],
    ['a dated block still ahead', lead, [cooldown('warn'), cooldown('block', NOW + MIN)], { state: 'none' } as CallWindowState, { mark: 'block', score: 18, band: 'cold' }],
    ['a block that has ended is no block', lead, [cooldown('block', NOW - MIN)], { state: 'none' } as CallWindowState, { mark: 'none', score: 18, band: 'cold' }],
    ['a warning and the window running', { score: 74.6, band: 'hot' }, [cooldown('warn')], open83, { mark: 'warn', score: 75, band: 'hot', leftMs: 83 * MIN }],
    ['the window paused overnight', { score: 60, band: 'warm' }, [], paused, { mark: 'none', score: 60, band: 'warm', leftMs: 30 * MIN, paused: true }],
    ['a missed window shows no time', lead, [], missed, { mark: 'none', score: 18, band: 'cold' }],
  ] as const)('%s', (_name, l, cooldowns, window, expected) => {
    expect(tabView(l, cooldowns, window, NOW)).toEqual(expected);
  });

  it.each([[83 * MIN, '1:23'], [7 * MIN + 59_000, '0:07'], [59_000, '0:00'], [-MIN, '0:00'], [26 * 60 * MIN, '26:00']])('%i ms → %s', (ms, text) => {
    expect(compactLeft(ms)).toBe(text);
  });
});

describe('the call time of a call dialled from the panel', () => {
  it.each([
    ['no dial: now', undefined, iso(NOW)],
    ['dialled 6 min ago: then', iso(NOW - 6 * MIN), iso(NOW - 6 * MIN)],
    ['dialled exactly 4 h ago: then', iso(NOW - 240 * MIN), iso(NOW - 240 * MIN)],
    ['dialled over 4 h ago: not this call, now', iso(NOW - 241 * MIN), iso(NOW)],
    ['in the future (skewed clock): now', iso(NOW + MIN), iso(NOW)],
    ['unreadable: now', 'yesterday', iso(NOW)],
  ])('%s', (_name, startedAt, expected) => {
    expect(callTime(startedAt, NOW)).toBe(expected);
  });
});

describe('the page gives the panel its column', () => {
  afterEach(() => reserve(document, 0));
  const margin = () => document.getElementById('leadlens-dock')?.textContent;

  it('reserves the width on the root element, updates it in place, and gives it back', () => {
    reserve(document, 320);
    expect(margin()).toBe('html{margin-right:320px !important;}');
    reserve(document, 44);
    expect(document.querySelectorAll('#leadlens-dock').length).toBe(1);
    expect(margin()).toBe('html{margin-right:44px !important;}');
    reserve(document, 0);
    expect(document.getElementById('leadlens-dock')).toBeNull();
  });
});

describe('headerBottom: how far down the CRM\'s own top bars reach', () => {
  interface Box { position: string; top: number; bottom: number; parent?: Box }
  /** A page as elementsFromPoint sees it: the boxes under each y, innermost first. */
  function page(boxes: Box[], skip?: Box) {
    const el = (b: Box): Element => ({
      parentElement: b.parent ? el(b.parent) : null,
      getBoundingClientRect: () => ({ top: b.top, bottom: b.bottom, height: b.bottom - b.top }),
      box: b,
    }) as unknown as Element;
    const doc = {
      documentElement: {}, body: {},
      defaultView: { getComputedStyle: (e: { box: Box }) => ({ position: e.box.position }) },
      elementsFromPoint: (_x: number, y: number) => boxes.filter((b) => b.top <= y && b.bottom > y).map(el),
    } as unknown as Document;
    const skipEl = skip && ({ contains: (e: { box: Box }) => e.box === skip } as unknown as Element);
    return { doc, skipEl };
  }

  it('follows one fixed header (Salesforce: 93 px)', () => {
    const header: Box = { position: 'fixed', top: 0, bottom: 93 };
    const { doc } = page([{ position: 'static', top: 0, bottom: 93, parent: header }, { position: 'static', top: 93, bottom: 2000 }]);
    expect(headerBottom(doc, 1270, undefined)).toBe(93);
  });

  it('follows stacked bars (a header, then a sticky toolbar: 48 + 74 px)', () => {
    const { doc } = page([{ position: 'fixed', top: 0, bottom: 48 }, { position: 'sticky', top: 48, bottom: 122 }, { position: 'static', top: 0, bottom: 2000 }]);
    expect(headerBottom(doc, 1270, undefined)).toBe(122);
  });

  it('ignores a full-height fixed layer (a modal, a side nav) and the panel itself', () => {
    const panel: Box = { position: 'fixed', top: 0, bottom: 900 };
    const { doc, skipEl } = page([panel, { position: 'fixed', top: 0, bottom: 900 }, { position: 'static', top: 0, bottom: 2000 }], panel);
    expect(headerBottom(doc, 1270, skipEl)).toBe(0);
  });
});

describe('the folded tab', () => {
  const lead: LeadSummary = {
    id: 'L1', name: '田中 太郎', score: 18.2, scoreChange24h: 0, band: 'cold', stage: 'lead', crmRefs: [], updatedAt: iso(NOW),
  };
  const folded = (state: PanelState) => show(
    <LeadPanel state={signal(state)} collapsed={signal(true)} onToggle={() => {}} onOpenSettings={() => {}} locale="en-US" timeZone="Asia/Tokyo" />,
  ).querySelector('[data-testid="panel-tab"]');

  it('shows ⛔ in the warning colour for a do-not-call lead, with words for screen readers', () => {
    const tab = folded({ kind: 'found', lead: { ...lead, cooldownUntil: '9999-12-31T00:00:00.000Z' }, asOf: iso(NOW), now: NOW });
    expect(tab?.getAttribute('data-mark')).toBe('block');
    expect(tab?.classList.contains('mark-block')).toBe(true);
    expect(tab?.querySelector('.tab-mark')?.textContent).toBe('⛔');
    expect(tab?.querySelector('.tab-score')?.textContent).toBe('18');
    expect(tab?.getAttribute('aria-label')).toBe('Open the LeadLens panel — Blocked: do not call now — score 18');
  });

  it('shows the time left while the call window runs (need 37 min ago, 2 h window: 1 h 23 min)', () => {
    const tab = folded({ kind: 'found', lead: { ...lead, score: 74.4, band: 'hot', needDetectedAt: iso(NOW - 37 * MIN) }, asOf: iso(NOW), now: NOW });
    expect(tab?.getAttribute('data-mark')).toBe('none');
    expect(tab?.querySelector('.tab-mark')).toBeNull();
    expect(tab?.querySelector('.tab-left')?.textContent).toBe('1:23');
    expect(tab?.getAttribute('aria-label')).toBe('Open the LeadLens panel — score 74 — 1 h 23 min left to call');
  });

  it('says there is no lead behind the record', () => {
    const tab = folded({ kind: 'not_found' });
    expect(tab?.querySelector('.tab-score')?.textContent).toBe('·');
    expect(tab?.getAttribute('aria-label')).toBe('Open the LeadLens panel — no lead behind this record');
  });
});

describe('ResizeHandle', () => {
  const FORGED = Symbol('forged');
  const trusted = (e: Event) => !(e as Event & { [FORGED]?: boolean })[FORGED];
  const handle = () => root.querySelector<HTMLElement>('[role="separator"]');
  const key = (k: string, forged = false) => act(() => {
    const e = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true });
    handle()?.dispatchEvent(forged ? Object.assign(e, { [FORGED]: true }) : e);
  });
  const pointer = (type: string, clientX: number) => act(() => {
    handle()?.dispatchEvent(new PointerEvent(type, { clientX, button: 0, pointerId: 1, bubbles: true, cancelable: true }));
  });

  it('is a focusable separator that says its width and limits', () => {
    show(<ResizeHandle width={320} max={384} onResize={() => {}} isTrusted={trusted} />);
    expect(handle()?.getAttribute('tabindex')).toBe('0');
    expect(handle()?.getAttribute('aria-valuenow')).toBe('320');
    expect(handle()?.getAttribute('aria-valuemin')).toBe('280');
    expect(handle()?.getAttribute('aria-valuemax')).toBe('384');
    expect(handle()?.getAttribute('aria-label')).toBe('Panel width: arrow keys resize');
  });

  it('resizes with the keyboard and ignores the page\'s forged keys', () => {
    const onResize = vi.fn();
    show(<ResizeHandle width={320} max={384} onResize={onResize} isTrusted={trusted} />);
    key('ArrowLeft');
    key('End');
    key('ArrowLeft', true);
    key('x');
    expect(onResize.mock.calls).toEqual([[336, true], [384, true]]);
  });

  it('follows a drag of the left edge (100 px left = 100 px wider, up to the max), and commits on release', () => {
    const onResize = vi.fn();
    show(<ResizeHandle width={320} max={384} onResize={onResize} isTrusted={trusted} />);
    pointer('pointerdown', 1000);
    pointer('pointermove', 950);
    pointer('pointermove', 900);
    pointer('pointerup', 900);
    pointer('pointermove', 800); // after release: nothing
    expect(onResize.mock.calls).toEqual([[370, false], [384, false], [384, true]]);
  });
});

describe('clicking the number readies the call log', () => {
  const FORGED = Symbol('forged');
  const trusted = (e: Event) => !(e as Event & { [FORGED]?: boolean })[FORGED];
  it('tells the panel on a real click only', () => {
    const onDial = vi.fn();
    // happy-dom would follow the tel: link; the test stops the navigation, not the click.
    root.addEventListener('click', (e) => e.preventDefault());
    show(<Header lead={{ name: 'Tanaka', stage: 'lead', phone: '03-1234-5678' }} onDial={onDial} isTrusted={trusted} />);
    const link = root.querySelector<HTMLAnchorElement>('a[data-testid="lead-phone"]');
    act(() => { link?.dispatchEvent(Object.assign(new MouseEvent('click', { bubbles: true, cancelable: true }), { [FORGED]: true })); });
    expect(onDial).not.toHaveBeenCalled();
    act(() => link?.click());
    expect(onDial.mock.calls).toEqual([['03-1234-5678']]);
  });

  it('says which number since when, focuses the first outcome, and logs the call at the dial time', () => {
    const onSubmit = vi.fn();
    const form = (dial?: Dial) => <LogCallForm onSubmit={onSubmit} leadLabel="Tanaka" lostCooldownDays={14} isTrusted={trusted} dial={dial} locale="en-US" timeZone="Asia/Tokyo" />;
    show(form());
    expect(root.querySelector('[data-testid="log-call-dialed"]')).toBeNull();
    const dial = { phone: '03-1234-5678', at: NOW - 6 * MIN };
    show(form(dial));
    expect(root.querySelector('[data-testid="log-call-dialed"]')?.textContent).toBe('Calling 03-1234-5678 since 09:54 AM. Pick the outcome when you hang up.');
    expect(root.querySelector('form')?.classList.contains('dialed')).toBe(true);
    expect(document.activeElement).toBe(root.querySelector('input[value="connected"]'));
    act(() => root.querySelector<HTMLInputElement>('input[value="no_answer"]')?.click());
    act(() => root.querySelector<HTMLButtonElement>('button[type="submit"]')?.click());
    expect(onSubmit.mock.calls).toEqual([[{ outcome: 'no_answer', startedAt: iso(NOW - 6 * MIN) }]]);
    // One dial, one log: the next log (without a new dial) is at its own time.
    expect(root.querySelector('form')?.classList.contains('dialed')).toBe(false);
  });
});
