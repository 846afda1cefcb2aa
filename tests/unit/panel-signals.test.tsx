// The panel renders again when its signals change, with signals-core alone: the content script
// bundles no @preact/signals (its size is budgeted), so this file must not import it either
// (a test file's modules are its own: @preact/signals elsewhere does not hook Preact here).
import { signal } from '@preact/signals-core';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeadPanel, type DockLayout, type PanelState } from '../../components/LeadPanel';
import type { LeadSummary } from '../../utils/api/contract';
import { useEnglishCatalogue } from './english';

let root: HTMLDivElement;
beforeEach(() => {
  useEnglishCatalogue();
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const NOW = Date.parse('2025-07-15T10:00:00+09:00');
const lead: LeadSummary = {
  id: 'L1', name: '田中 太郎', owner: { id: 'u1', name: 'Sato' }, score: 74.4, scoreChange24h: 0, band: 'hot', stage: 'lead',
  crmRefs: [], updatedAt: new Date(NOW).toISOString(),
};

describe('LeadPanel without @preact/signals', () => {
  it('follows its state, fold and dock signals', () => {
    const state = signal<PanelState>({ kind: 'loading' });
    const collapsed = signal(false);
    const dock = signal<DockLayout>({ width: 320, top: 0, max: 600 });
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
    const state = signal<PanelState>({ kind: 'loading' });
    act(() => {
      render(<LeadPanel state={state} collapsed={signal(false)} onToggle={() => {}} onOpenSettings={() => {}} locale="en-US" timeZone="Asia/Tokyo" />, root);
      // Still inside act: the layout effect that subscribes has not run yet.
      state.value = { kind: 'not_found' };
    });
    expect(root.querySelector('.panel')?.getAttribute('data-state')).toBe('not_found');
  });
});
