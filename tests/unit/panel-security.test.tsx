// API strings are data, never markup: a hostile or broken server (or CRM) cannot inject HTML,
// scripts or javascript: links into the panel, and untrusted events change nothing.
import { signal } from '@preact/signals';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { LeadPanel, type PanelDetail, type PanelState } from '../../components/LeadPanel';
import { FollowMute } from '../../components/panel/FollowMute';
import { LogCallForm } from '../../components/panel/LogCallForm';
import { safeHref } from '../../components/panel/format';
import { englishRenderRoot } from './english';

let root: HTMLDivElement;
englishRenderRoot((element) => (root = element));

const NOW = Date.parse('2025-07-15T10:00:00+09:00');
const iso = (ms: number) => new Date(ms).toISOString();
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

const lead = {
  id: 'L1', name: `${HOSTILE} Tanaka`, company: '<b>Acme</b>', owner: { id: 'u1', name: '<i>Sato</i>' },
  score: 74, scoreChange24h: 12, band: 'hot' as const, stage: 'lead' as const,
  needDetectedAt: iso(NOW - 37 * 60_000), needReason: `Attended seminar: ${HOSTILE}`,
  crmRefs: [], updatedAt: iso(NOW),
};
const detail: PanelDetail = {
  ...lead,
  breakdown: [{ key: 'f1', label: HOSTILE, points: 12, kind: 'behavior' }],
  interests: [{ topic: '<script>x</script>', weight: 1 }],
  cooldowns: [{ reason: 'strange_reason', severity: 'warn', message: `<a href="javascript:alert(1)">click</a>${HOSTILE}` }],
  timeline: [
    { id: 'e1', at: iso(NOW - 60_000), type: 'web_visit', title: 'javascript link', url: 'javascript:alert(1)' },
    { id: 'e2', at: iso(NOW - 120_000), type: 'download', title: 'data link', url: 'data:text/html,<script>alert(1)</script>' },
    { id: 'e3', at: iso(NOW - 180_000), type: 'web_visit', title: 'vbscript link', url: ' JaVaScRiPt:alert(1)' },
    { id: 'e4', at: iso(NOW - 240_000), type: '<script>', title: HOSTILE, detail: HOSTILE, actor: HOSTILE, meta: { lossReason: HOSTILE, outcome: HOSTILE } },
    { id: 'e5', at: iso(NOW - 300_000), type: 'web_visit', title: 'pricing', url: 'https://example.com/pricing' },
    { id: 'e6', at: iso(NOW - 360_000), type: 'web_visit', title: 'relative', url: '/pricing' },
    { id: 'e7', at: iso(NOW - 420_000), type: 'web_visit', title: 'محتوى عربي طويل جدا بدون مسافات'.repeat(20) },
  ],
};

function renderPanel(state: PanelState) {
  render(<LeadPanel state={signal(state)} collapsed={signal(false)} onToggle={() => {}} onOpenSettings={() => {}} locale="en-US" timeZone="Asia/Tokyo" onLogCall={() => {}} onFollowChange={() => {}} onMuteChange={() => {}} />, root);
}

describe('API text renders inert', () => {
  it.each([
    ['summary only', { kind: 'found', lead, asOf: iso(NOW), now: NOW } as const],
    ['with the detail', { kind: 'found', lead, detail, asOf: iso(NOW), now: NOW } as const],
  ])('%s: no element is created from API strings, they show as text', (_name, state) => {
    renderPanel(state);
    expect(root.querySelector('script, img, b, i')).toBeNull();
    expect(root.querySelector('[onerror]')).toBeNull();
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
    expect(root.querySelector('[data-testid="lead-name"]')?.textContent).toBe(`${HOSTILE} Tanaka`);
    expect(root.textContent).toContain('<b>Acme</b>');
  });

  it('links only to http(s), opening a new tab without opener or referrer', () => {
    renderPanel({ kind: 'found', lead, detail, asOf: iso(NOW), now: NOW });
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/pricing']);
    expect(links[0]?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(links[0]?.getAttribute('target')).toBe('_blank');
    expect(root.querySelector('[href^="javascript" i], [href^="data" i]')).toBeNull();
    // The unknown cooldown keeps the API's message, as text.
    expect(root.querySelector('.cooldown[data-reason="strange_reason"]')?.textContent).toContain('<a href="javascript:alert(1)">click</a>');
  });

  it.each([
    ['https://example.com/a?b=1', 'https://example.com/a?b=1'],
    ['http://example.com/', 'http://example.com/'],
    ['javascript:alert(1)', undefined],
    [' JaVaScRiPt:alert(1)', undefined],
    ['java\nscript:alert(1)', undefined],
    ['data:text/html,<script>alert(1)</script>', undefined],
    ['vbscript:msgbox(1)', undefined],
    ['/relative/path', undefined],
    ['//example.com/protocol-relative', undefined],
    ['ftp://example.com/file', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('safeHref(%j) → %j', (url, expected) => {
    expect(safeHref(url)).toBe(expected);
  });
});

describe('untrusted events change nothing', () => {
  it('the call-log form ignores a synthetic submit and a synthetic click on Save', () => {
    const onSubmit = vi.fn();
    render(<LogCallForm onSubmit={onSubmit} leadLabel="Tanaka" lostCooldownDays={14} />, root);
    act(() => (root.querySelector('input[value="no_answer"]') as HTMLInputElement).click());
    const form = root.querySelector('form');
    act(() => {
      form?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    act(() => (root.querySelector('button[type="submit"]') as HTMLButtonElement).click());
    act(() => form?.requestSubmit());
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('follow and mute ignore synthetic clicks', () => {
    const onFollowChange = vi.fn();
    const onMuteChange = vi.fn();
    render(<FollowMute followed={false} muted={false} onFollowChange={onFollowChange} onMuteChange={onMuteChange} />, root);
    for (const button of root.querySelectorAll('button')) button.click();
    expect(onFollowChange).not.toHaveBeenCalled();
    expect(onMuteChange).not.toHaveBeenCalled();
  });
});
