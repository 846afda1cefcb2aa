// The composed panel: the summary alone renders as in the first slice (the e2e test and the
// benchmark read its test ids and mark); the detail adds the rest; the parent's ticker drives time.
import { signal } from '@preact/signals';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { LeadPanel, PANEL_VISIBLE_MARK, type LeadPanelProps, type PanelDetail, type PanelState } from '../../components/LeadPanel';
import type { LeadSummary } from '../../utils/api/contract';
import { panelDecisions } from '../../utils/policy/decide';
import { DEFAULT_TEAM_POLICY } from '../../utils/policy/team-policy';
import { englishRenderRoot } from './english';

let root: HTMLDivElement;
englishRenderRoot((element) => (root = element));

const MIN = 60_000;
const H = 60 * MIN;
const NOW = Date.parse('2025-07-15T10:00:00+09:00'); // Tuesday, business hours
const iso = (ms: number) => new Date(ms).toISOString();

const lead: LeadSummary = {
  id: 'L1', name: '田中 太郎', company: 'サイボウズ商事', owner: { id: 'u1', name: 'Sato' },
  score: 74.4, scoreChange24h: 12, band: 'hot', stage: 'lead',
  needDetectedAt: iso(NOW - 37 * MIN), needReason: 'Attended seminar: IT部門向けセミナー',
  crmRefs: [], updatedAt: iso(NOW),
};
const detail: PanelDetail = {
  ...lead,
  breakdown: [{ key: 'seminar', label: 'Seminars attended', points: 25, kind: 'behavior', count: 1, lastAt: iso(NOW - 37 * MIN) }],
  interests: [{ topic: 'セキュリティ', weight: 1 }],
  cooldowns: [],
  timeline: [{ id: 'e1', at: iso(NOW - 37 * MIN), type: 'seminar_attended', title: 'IT部門向けセミナー' }],
  timelineCursor: 'older-1',
};

function show(state: PanelState, props: Partial<LeadPanelProps> = {}) {
  const s = signal(state);
  render(<LeadPanel state={s} collapsed={signal(false)} onToggle={() => {}} onOpenSettings={() => {}} locale="en-US" timeZone="Asia/Tokyo" {...props} />, root);
  return s;
}
const text = (selector: string) => root.querySelector(selector)?.textContent ?? null;
/** Elements whose own text nodes contain the string (what Playwright's getByText counts). */
const ownTextCount = (needle: string) =>
  [...root.querySelectorAll('*')].filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent?.includes(needle))).length;

describe('LeadPanel with the summary only', () => {
  it('renders name, score and band as before, the need reason once, and marks itself visible', () => {
    performance.clearMarks(PANEL_VISIBLE_MARK);
    show({ kind: 'found', lead, asOf: iso(NOW), now: NOW });
    expect(text('[data-testid="lead-name"]')).toBe('田中 太郎');
    expect(text('[data-testid="lead-score"]')).toBe('74');
    expect(text('[data-testid="lead-band"]')).toBe('Hot');
    expect(ownTextCount('Attended seminar: IT部門向けセミナー')).toBe(1);
    expect(text('.window-left')).toBe('1 h 23 min left');
    expect(performance.getEntriesByName(PANEL_VISIBLE_MARK).length).toBe(1);
    // The detail's parts wait for the detail.
    expect(root.querySelector('.next-action, .breakdown, .timeline')).toBeNull();
  });

  it('shows a block from cooldownUntil alone (offline, no detail)', () => {
    show({ kind: 'found', lead: { ...lead, cooldownUntil: iso(NOW + 2 * 86_400_000) }, asOf: iso(NOW), now: NOW });
    expect(root.querySelector('.cooldown.block')?.getAttribute('data-reason')).toBe('blocked');
  });

  it.each([
    ['a date', iso(NOW + 2 * 86_400_000), 'Until Thu, Jul 17, 10:00 AM'],
    ['do not call (9999-12-31)', '9999-12-31T00:00:00.000Z', 'No end date'],
  ])('shows a block from cooldownUntil alone: %s', (_name, cooldownUntil, until) => {
    show({ kind: 'found', lead: { ...lead, cooldownUntil }, asOf: iso(NOW), now: NOW });
    expect(text('.cooldown.block .cooldown-until')).toBe(until);
  });

  it('says so when the server no longer accepts the token, with the way to settings', () => {
    let opened = 0;
    show({ kind: 'found', lead, asOf: iso(NOW), now: NOW, stale: true, signIn: true }, { onOpenSettings: () => { opened += 1; } });
    expect(text('[data-testid="panel-sign-in"]')).toContain('The scoring API no longer accepts your token');
    root.querySelector<HTMLButtonElement>('[data-testid="panel-sign-in"] button')?.click();
    expect(opened).toBe(1);
    show({ kind: 'found', lead, asOf: iso(NOW), now: NOW });
    expect(root.querySelector('[data-testid="panel-sign-in"]')).toBeNull();
  });

  it('says when the data is from the cache', () => {
    show({ kind: 'found', lead, asOf: iso(NOW - 5 * MIN), now: NOW, stale: true });
    expect(root.querySelector('.panel')?.getAttribute('data-stale')).toBe('true');
    expect(root.querySelector('.as-of.stale')).not.toBeNull();
  });
});

describe('LeadPanel with the detail', () => {
  it('composes the parts in order', () => {
    const { cooldowns, nextAction } = panelDecisions(lead, detail, DEFAULT_TEAM_POLICY, NOW);
    show({ kind: 'found', lead, detail, cooldowns, nextAction, asOf: iso(NOW), now: NOW }, { onLogCall: () => {}, onFollowChange: () => {}, onMuteChange: () => {}, onLoadOlder: () => {} });
    const parts = [...root.querySelectorAll('.lead > *')].map((e) => e.className.split(' ')[0]);
    expect(parts).toEqual(['header', 'score', 'window', 'next-action', 'toggles', 'section', 'section', 'section', 'section', 'as-of']);
    expect(text('.next-text')).toBe('Check the post-seminar survey: IT部門向けセミナー');
    expect(root.querySelector('form.log-call')).not.toBeNull();
    expect(root.querySelector('button.older')).not.toBeNull();
    expect(ownTextCount('Attended seminar: IT部門向けセミナー')).toBe(1);
  });

  it('staged (the content script): the first paint holds the summary and marks it; the controls and the detail follow after that paint', async () => {
    performance.clearMarks(PANEL_VISIBLE_MARK);
    const { cooldowns, nextAction } = panelDecisions(lead, detail, DEFAULT_TEAM_POLICY, NOW);
    const handlers = { onLogCall: () => {}, onFollowChange: () => {}, onMuteChange: () => {}, onLoadOlder: () => {}, staged: true };
    show({ kind: 'found', lead, detail, cooldowns, nextAction, asOf: iso(NOW), now: NOW }, handlers);
    const parts = () => [...root.querySelectorAll('.lead > *')].map((e) => e.className.split(' ')[0]);
    const marks = () => performance.getEntriesByName(PANEL_VISIBLE_MARK).map((m) => (m as PerformanceMark).detail as string);
    expect(parts()).toEqual(['header', 'score', 'window', 'next-action', 'as-of']);
    expect(marks()).toEqual(['L1']);
    await vi.waitFor(() => expect(parts()).toEqual(['header', 'score', 'window', 'next-action', 'toggles', 'section', 'section', 'section', 'section', 'as-of']));
    expect(marks()).toEqual(['L1']);
    // Another lead starts over with its summary alone.
    show({ kind: 'found', lead: { ...lead, id: 'L2' }, detail: { ...detail, id: 'L2' }, cooldowns, nextAction, asOf: iso(NOW), now: NOW }, handlers);
    expect(parts()).toEqual(['header', 'score', 'window', 'next-action', 'as-of']);
    expect(marks()).toEqual(['L1', 'L2']);
    await vi.waitFor(() => expect(root.querySelector('.timeline')).not.toBeNull());
  });

  it('leaves out the form and toggles without handlers', () => {
    show({ kind: 'found', lead, detail, asOf: iso(NOW), now: NOW });
    expect(root.querySelector('form, .toggles, button.older')).toBeNull();
  });

  it('shows the decisions made over the timeline, naming the current user', () => {
    const called = { ...detail, timeline: [...detail.timeline, { id: 'c', at: iso(NOW - 10 * MIN), type: 'call', title: 'Call', actor: 'Tanaka', meta: { outcome: 'connected' } }] };
    const { cooldowns, nextAction } = panelDecisions(lead, called, DEFAULT_TEAM_POLICY, NOW, 'Tanaka');
    show({ kind: 'found', lead, detail: called, cooldowns, nextAction, asOf: iso(NOW), now: NOW });
    expect(text('.cooldown[data-reason="recent_call"] .cooldown-message')).toBe('You called 10 min ago. (Connected)');
    expect(text('.next-text')).toBe('Wait; you called recently');
  });

  it('without decisions, shows the API cooldowns still in force and no next action', () => {
    const withApi = { ...detail, cooldowns: [
      { reason: 'recently_lost', severity: 'block' as const, until: iso(NOW + 86_400_000), message: 'Lost 5 days ago' },
      { reason: 'recent_call', severity: 'warn' as const, until: iso(NOW - 1), message: 'expired' },
    ] };
    show({ kind: 'found', lead, detail: withApi, asOf: iso(NOW), now: NOW });
    expect([...root.querySelectorAll('.cooldown')].map((e) => [e.getAttribute('data-reason'), e.querySelector('.cooldown-title strong')?.textContent, e.querySelector('.cooldown-message')?.textContent])).toEqual([['recently_lost', 'Recently lost', 'Lost 5 days ago']]);
    expect(root.querySelector('.next-action')).toBeNull();
  });

  it('re-renders the countdowns on the parent ticker', () => {
    const now = signal(NOW);
    const { nextAction } = panelDecisions(lead, { ...detail, timeline: [] }, DEFAULT_TEAM_POLICY, NOW);
    show({ kind: 'found', lead, detail, nextAction, asOf: iso(NOW) }, { now });
    expect(text('.window-left')).toBe('1 h 23 min left');
    expect(text('.next-text')).toBe('Call now — 1 h 23 min left');
    act(() => {
      now.value = NOW + 30 * MIN;
    });
    expect(text('.window-left')).toBe('53 min left');
    expect(text('.next-text')).toBe('Call now — 53 min left');
    act(() => {
      now.value = NOW + 2 * H;
    });
    expect(text('.window-left')).toBe('Deadline passed 37 min ago');
  });
});

describe('LeadPanel states and the collapsed tab', () => {
  it.each([
    [{ kind: 'loading' } as const, 'Looking up this record…'],
    [{ kind: 'not_found' } as const, 'No lead in LeadLens for this record.'],
    [{ kind: 'not_connected' } as const, 'LeadLens is not connected to a scoring API yet.Open settings'],
    [{ kind: 'error', message: '<b>boom</b>' } as const, 'Could not load the lead: <b>boom</b>'],
  ])('%j', (state, expected) => {
    show(state);
    expect(text('.body')).toBe(expected);
  });

  it('collapses to a slim tab with the band colour and the score', () => {
    render(<LeadPanel state={signal<PanelState>({ kind: 'found', lead, asOf: iso(NOW) })} collapsed={signal(true)} onToggle={() => {}} onOpenSettings={() => {}} />, root);
    expect(root.querySelector('button.tab.band-hot .tab-score')?.textContent).toBe('74');
    expect(root.querySelector('.panel')).toBeNull();
  });
});
