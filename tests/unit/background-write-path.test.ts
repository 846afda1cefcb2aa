// The write path on a real (fake-indexeddb) cache and a real outbox: what is stored, sent,
// withdrawn, restamped, and which panels hear about it.
import { describe, expect, it } from 'vitest';
import type { ScoringApiClient } from '../../utils/api/client';
import { fail, ok } from '../../utils/api/errors';
import { createWritePath, UNDO_HOLD_MS } from '../../utils/background/write-path';
import { toLeadRow } from '../../utils/db/schema';
import type { PanelContext } from '../../utils/messaging';
import { DEFAULT_TEAM_POLICY } from '../../utils/policy/cooldowns';
import { loadPreferences } from '../../utils/preferences/storage';
import { Outbox } from '../../utils/sync/outbox';
import { freshDb, iso, lead, NOW } from './db-helpers';

const CONTEXT: PanelContext = { policy: DEFAULT_TEAM_POLICY, callWindowMinutes: 120, followed: false, muted: false, outbox: [] };

function setup(options: { watching?: [number, string][]; refuse?: boolean } = {}) {
  const { db } = freshDb();
  let clock = NOW;
  let n = 0;
  const sentKeys: string[] = [];
  const client: Pick<ScoringApiClient, 'logActivity' | 'recycle'> = {
    logActivity: async (_leadId, body, key) => {
      if (options.refuse) return fail({ kind: 'not_found', status: 404, message: 'Not found' });
      sentKeys.push(key);
      return ok({ event: { id: `ev-${key}`, at: body.at, type: 'call', title: 'Call' } });
    },
    recycle: async (_leadId, _body, key) => { sentKeys.push(key); return ok(true as const); },
  };
  const outbox = new Outbox({ db, loadConnection: async () => ({ apiUrl: 'https://api.test', token: 't' }), createClient: () => client, now: () => clock, newKey: () => `key-${++n}` });
  const watching = new Map(options.watching ?? []);
  const pushed: [number, string][] = [];
  const refreshed: [string, number | undefined][] = [];
  const timers: { run: () => void; ms: number }[] = [];
  let badges = 0;
  let prefsReset = 0;
  const path = createWritePath({
    db, outbox, now: () => clock,
    leads: {
      watching: (ids) => { const set = new Set(ids); return [...watching].filter(([, id]) => set.has(id)); },
      refresh: async (leadId, tabId) => { refreshed.push([leadId, tabId]); },
    },
    tabs: { context: async (tabId, leadId) => { pushed.push([tabId, leadId]); } },
    context: async () => CONTEXT,
    followedIds: async () => new Set((await loadPreferences()).prefs.followed),
    updateBadge: async () => { badges++; },
    preferencesChanged: () => { prefsReset++; },
    later: (run, ms) => { timers.push({ run, ms }); },
  });
  return {
    db, outbox, path, sentKeys, pushed, refreshed, timers,
    badges: () => badges, prefsReset: () => prefsReset,
    advance: (ms: number) => { clock += ms; },
  };
}

describe('the write path', () => {
  it('holds a logged call for the undo time, recounts the badge, then sends it and refreshes the panel showing the lead', async () => {
    const t = setup({ watching: [[3, 'L1'], [4, 'L2']] });
    const answer = await t.path.handlers.logCall({ type: 'logCall', leadId: 'L1', outcome: 'connected', note: 'asked for a demo' }, 3);
    expect(answer).toEqual({ ok: true, key: 'key-1', context: CONTEXT });
    expect(await t.db.outbox.get('key-1')).toMatchObject({ kind: 'activity', status: 'pending', holdUntil: NOW + UNDO_HOLD_MS, body: { type: 'call', outcome: 'connected', note: 'asked for a demo', at: iso(NOW) } });
    expect(t.badges()).toBe(1);
    expect(t.timers.map((timer) => timer.ms)).toEqual([UNDO_HOLD_MS + 50]);

    await t.path.deliver(); // still undoable: nothing goes out
    expect(t.sentKeys).toEqual([]);
    t.advance(UNDO_HOLD_MS);
    await t.path.deliver();
    expect(t.sentKeys).toEqual(['key-1']);
    expect(t.pushed).toEqual([[3, 'L1']]);
    expect(t.refreshed).toEqual([['L1', 3]]);
  });

  it('refuses a lost call without its reason, storing nothing', async () => {
    const t = setup();
    const answer = await t.path.handlers.logCall({ type: 'logCall', leadId: 'L1', outcome: 'lost' }, 3);
    expect(answer.ok).toBe(false);
    expect(await t.db.outbox.count()).toBe(0);
    expect(t.timers).toEqual([]);
  });

  it('withdraws a call within the undo time and tells every panel showing the lead', async () => {
    const t = setup({ watching: [[3, 'L1'], [7, 'L1']] });
    await t.path.handlers.logCall({ type: 'logCall', leadId: 'L1', outcome: 'no_answer' }, 3);
    const undo = await t.path.handlers.undoCall({ type: 'undoCall', leadId: 'L1', key: 'key-1' });
    expect(undo).toEqual({ ok: true, undone: true, context: CONTEXT });
    expect(await t.db.outbox.count()).toBe(0);
    expect(t.pushed).toEqual([[3, 'L1'], [7, 'L1']]);
    expect(t.badges()).toBe(2);
    // The other lead's key, or the same key again, withdraws nothing.
    expect(await t.path.handlers.undoCall({ type: 'undoCall', leadId: 'L1', key: 'key-1' })).toMatchObject({ undone: false });
  });

  it('a call the server refuses for good updates the panel (the failure shows) but is not re-fetched', async () => {
    const t = setup({ watching: [[3, 'L1']], refuse: true });
    await t.path.handlers.logCall({ type: 'logCall', leadId: 'L1', outcome: 'connected' }, 3);
    t.advance(UNDO_HOLD_MS);
    await t.path.deliver();
    expect((await t.db.outbox.get('key-1'))?.status).toBe('failed');
    expect(t.pushed).toEqual([[3, 'L1']]);
    expect(t.refreshed).toEqual([]);
  });

  it('a recycle is stored and sent at once, without an undo time', async () => {
    const t = setup();
    const answer = await t.path.handlers.recycle({ type: 'recycle', leadId: 'L1', track: 'nurture', frequency: 'monthly', email: 'lead@example.jp' }, 3);
    expect(answer).toEqual({ ok: true, context: CONTEXT });
    await t.outbox.deliver(); // shares the delivery the recycle started
    expect(t.sentKeys).toEqual(['key-1']);
    expect(await t.db.outbox.get('key-1')).toMatchObject({ kind: 'recycle', status: 'sent' });
    expect(t.timers).toEqual([]);
  });

  it('following a lead makes it mine (restamped row, badge recounted), unfollowing undoes it', async () => {
    const t = setup();
    await t.db.syncState.put({ key: 'main', apiUrl: 'https://api.test', tokenKey: 'x', snapshotComplete: true, status: 'ok', failures: 0, leadsReceived: 1, skippedTotal: 0, recentSkipped: [], userId: 'u-sato' });
    await t.db.leads.put(toLeadRow(lead('L1', { owner: { id: 'u-other', name: 'x' } }), 'u-sato', new Set()));
    expect((await t.db.leads.get('L1'))?.mine).toBe(0);

    expect(await t.path.handlers.setFollow({ type: 'setFollow', leadId: 'L1', followed: true })).toEqual({ ok: true, context: CONTEXT });
    expect((await t.db.leads.get('L1'))?.mine).toBe(1);
    expect(t.prefsReset()).toBe(1);
    expect(t.badges()).toBe(1);

    await t.path.handlers.setFollow({ type: 'setFollow', leadId: 'L1', followed: false });
    expect((await t.db.leads.get('L1'))?.mine).toBe(0);
    expect(t.badges()).toBe(2);
  });

  it('muting a lead not in the cache saves the preference and restamps nothing', async () => {
    const t = setup();
    expect(await t.path.handlers.setMute({ type: 'setMute', leadId: 'L404', muted: true })).toEqual({ ok: true, context: CONTEXT });
    expect((await loadPreferences()).prefs.muted).toContain('L404');
    expect(t.badges()).toBe(0);
  });
});
