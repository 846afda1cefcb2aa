// The tab push: what each tab is sent, and that a tab that no longer answers is forgotten.
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createTabPush } from '../../utils/background/tab-push';
import type { LeadDetail } from '../../utils/api/contract';
import type { LeadPush, PanelContext } from '../../utils/messaging';
import { DEFAULT_TEAM_POLICY } from '../../utils/policy/cooldowns';
import { freshDb, iso, lead, NOW } from './db-helpers';

const contextOf = (leadId: string): PanelContext => ({ policy: DEFAULT_TEAM_POLICY, callWindowMinutes: 120, followed: leadId === 'L1', muted: false, outbox: [] });

function setup(watchers: [number, string][], closed: number[] = []) {
  const { db } = freshDb();
  const sent: [number, LeadPush][] = [];
  // The fake browser has no content scripts to answer: each tab's answer is this test's.
  fakeBrowser.tabs.sendMessage = (async (tabId: number, message: LeadPush) => {
    if (closed.includes(tabId)) throw new Error('Could not establish connection. Receiving end does not exist.');
    sent.push([tabId, message]);
  }) as typeof fakeBrowser.tabs.sendMessage;
  const refreshed: [string, number | undefined][] = [];
  const map = new Map(watchers);
  const leads = {
    watchers: map,
    watching: (ids: Iterable<string>) => { const set = new Set(ids); return [...map].filter(([, id]) => set.has(id)); },
    refresh: async (leadId: string, tabId: number | undefined) => { refreshed.push([leadId, tabId]); },
  };
  const tabs = createTabPush({ browser: fakeBrowser, db, leads, context: async (id) => contextOf(id), now: () => NOW });
  return { db, tabs, sent, refreshed, watchers: map };
}

describe('the tab push', () => {
  it('sends a lead\'s fresh decisions to the tab', async () => {
    const t = setup([[3, 'L1']]);
    await t.tabs.context(3, 'L1');
    expect(t.sent).toEqual([[3, { type: 'leadlens:context', leadId: 'L1', context: contextOf('L1') }]]);
    expect(t.watchers.get(3)).toBe('L1');
  });

  it('forgets a tab that does not answer, and keeps the others', async () => {
    const t = setup([[3, 'L1'], [4, 'L1']], [4]);
    await t.tabs.context(4, 'L1');
    await t.tabs.send(3, { type: 'leadlens:context', leadId: 'L1', context: contextOf('L1') });
    expect([...t.watchers]).toEqual([[3, 'L1']]);
    expect(t.sent.map(([tabId]) => tabId)).toEqual([3]);
  });

  it('pushes a sync\'s changes to the tabs showing them (summary over the cached detail), then re-fetches their detail', async () => {
    const t = setup([[3, 'L1'], [5, 'L9']]);
    const cached: LeadDetail = { ...lead('L1', { score: 40 }), breakdown: [], timeline: [{ id: 'e1', at: iso(NOW), type: 'web_visit', title: 'Visit' }], cooldowns: [], interests: [] };
    await t.db.details.put({ id: 'L1', detail: cached, fetchedAt: NOW, lastViewedAt: NOW });
    const changed = lead('L1', { score: 88, band: 'hot' });
    await t.tabs.changes([changed, lead('L2')]);
    expect(t.sent).toEqual([[3, { type: 'leadlens:lead', lead: changed, detail: { ...cached, score: 88, band: 'hot' }, asOf: iso(NOW), stale: false, context: contextOf('L1') }]]);
    expect(t.refreshed).toEqual([['L1', 3]]);
  });

  it('pushes a change without a cached detail as the summary alone', async () => {
    const t = setup([[3, 'L1']]);
    const changed = lead('L1', { score: 71 });
    await t.tabs.changes([changed]);
    expect(t.sent).toEqual([[3, { type: 'leadlens:lead', lead: changed, detail: undefined, asOf: iso(NOW), stale: false, context: contextOf('L1') }]]);
  });

  it('a new team policy: every panel on screen but the ones a sync just pushed gets fresh decisions, then a fresh detail', async () => {
    const t = setup([[3, 'L1'], [4, 'L2'], [5, 'L3']]);
    await t.tabs.redecide(new Set(['L2']));
    expect(t.sent.map(([tabId, message]) => [tabId, message.type])).toEqual([[3, 'leadlens:context'], [5, 'leadlens:context']]);
    expect(t.refreshed).toEqual([['L1', 3], ['L3', 5]]);
  });
});
