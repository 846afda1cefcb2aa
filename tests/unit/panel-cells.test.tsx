// The content script's cells (utils/cell.ts), and the panel following them: the script bundles
// no @preact/signals (its size is budgeted), so this file must not import it either (a test
// file's modules are its own: @preact/signals elsewhere does not hook Preact here).
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { LeadPanel, type DockLayout, type PanelState } from '../../components/LeadPanel';
import type { LeadSummary } from '../../utils/api/contract';
import { cell, derived } from '../../utils/cell';
import { englishRenderRoot } from './english';

let root: HTMLDivElement;
englishRenderRoot((element) => (root = element));

const NOW = Date.parse('2025-07-15T10:00:00+09:00');
const lead: LeadSummary = {
  id: 'L1', name: '田中 太郎', owner: { id: 'u1', name: 'Sato' }, score: 74.4, scoreChange24h: 0, band: 'hot', stage: 'lead',
  crmRefs: [], updatedAt: new Date(NOW).toISOString(),
};

describe('LeadPanel on cells', () => {
  it('follows its state, fold and dock cells', () => {
    const state = cell<PanelState>({ kind: 'loading' });
    const collapsed = cell(false);
    const dock = cell<DockLayout>({ width: 320, top: 0, max: 600 });
    act(() => {
      render(<LeadPanel state={state} collapsed={collapsed} dock={dock} onToggle={() => {}} onOpenSettings={() => {}} locale="en-US" timeZone="Asia/Tokyo" />, root);
    });
    expect(root.querySelector('.panel')?.getAttribute('data-state')).toBe('loading');
    act(() => { state.value = { kind: 'found', lead, asOf: new Date(NOW).toISOString(), now: NOW }; });
    expect(root.querySelector('[data-testid="lead-name"]')?.textContent).toBe('田中 太郎');
    act(() => { dock.value = { width: 400, top: 48, max: 600 }; });
    expect((root.querySelector('.panel') as HTMLElement).style.width).toBe('400px');
    act(() => { collapsed.value = true; });
    expect(root.querySelector('[data-testid="panel-tab"]')).not.toBeNull();
  });

  it('catches a change made between its render and its subscription', () => {
    const state = cell<PanelState>({ kind: 'loading' });
    act(() => {
      render(<LeadPanel state={state} collapsed={cell(false)} onToggle={() => {}} onOpenSettings={() => {}} locale="en-US" timeZone="Asia/Tokyo" />, root);
      // Still inside act: the layout effect that subscribes has not run yet.
      state.value = { kind: 'not_found' };
    });
    expect(root.querySelector('.panel')?.getAttribute('data-state')).toBe('not_found');
  });
});

describe('cell and derived', () => {
  it('tells subscribers at once and on every change, not on the same value, until unsubscribed', () => {
    const c = cell(1);
    const seen: number[] = [];
    const stop = c.subscribe((v) => seen.push(v));
    c.value = 2;
    c.value = 2;
    expect(c.peek()).toBe(2);
    stop();
    c.value = 3;
    expect(seen).toEqual([1, 2]);
  });

  it('recomputes a derived value from its sources until disposed', () => {
    const a = cell(1);
    const b = cell(10);
    const sum = derived([a, b], () => a.value + b.value);
    const seen: number[] = [];
    sum.subscribe((v) => seen.push(v));
    a.value = 2;
    b.value = 20;
    sum.dispose();
    a.value = 5;
    expect(sum.value).toBe(22);
    expect(seen).toEqual([11, 12, 22]);
  });

  it('lets a listener unsubscribe while being called', () => {
    const c = cell(0);
    const seen: string[] = [];
    const stopA = c.subscribe((v) => { seen.push(`a${v}`); if (v === 1) stopA(); });
    c.subscribe((v) => seen.push(`b${v}`));
    c.value = 1;
    c.value = 2;
    expect(seen).toEqual(['a0', 'b0', 'a1', 'b1', 'b2']);
  });
});
