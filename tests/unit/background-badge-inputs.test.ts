// Property: the badge's inputs kept in memory (utils/background/badge-inputs.ts) always equal a
// full recount of the cache (todoInputs and nextBadgeBoundary of utils/db/queries.ts), whatever
// sequence of cache changes comes: sync pages (small and over Dexie's 50-row batch), removed
// leads, details fetched and evicted, calls logged, undone, sent or refused, follow/mute, a
// cleared cache, rows taken as this connection wrote them and overwritten by another connection,
// modified in place, written in an aborted transaction, and the clock moving across windows,
// cooldowns and business hours. The badge shown is the one the full recount gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BADGE_ALARM, updateBadge, type BadgeBrowser } from '../../utils/background/badge';
import { badgeInputs } from '../../utils/background/badge-inputs';
import type { LeadDetail, LeadSummary } from '../../utils/api/contract';
import { nextBadgeBoundary, todoInputs } from '../../utils/db/queries';
import { openDb, toLeadRow, type LeadLensDb } from '../../utils/db/schema';
import { teamCalendar } from '../../utils/policy/calendar';
import { DEFAULT_TEAM_POLICY, type TeamPolicy } from '../../utils/policy/team-policy';
import { nextTodoChange, todoCounts, todoRows, type TodoInput } from '../../utils/policy/todo';
import { badgeView, type BadgeTexts } from '../../utils/sync/badge';
import { Outbox } from '../../utils/sync/outbox';
import { freshDb, iso, lead, MIN, NOW } from './db-helpers';

const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);
/** Open Monday to Friday 09:00–19:00 Tokyo; NOW is Tuesday 10:00 there, so clock moves cross closing and opening. */
const OFFICE: TeamPolicy = {
  ...DEFAULT_TEAM_POLICY,
  businessHours: { start: '09:00', end: '19:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo' },
  japaneseHolidays: false,
  closedDates: [],
};
const WINDOW_MINUTES = 120;
const OUTCOMES = ['connected', 'no_answer', 'busy', 'meeting_set', 'gatekeeper'] as const;

const ids = fc.constantFrom(...Array.from({ length: 8 }, (_, i) => `L${i}`));
const minutes = (max: number) => fc.integer({ min: -max, max });
const summary = fc.record({
  id: ids,
  band: fc.constantFrom('hot', 'hot', 'warm', 'cold'),
  owner: fc.constantFrom('u-sato', 'u-sato', 'u-kato'),
  needMin: fc.option(fc.integer({ min: -300, max: 0 }), { nil: undefined }),
  cooldownMin: fc.option(minutes(240), { nil: undefined }),
  score: fc.integer({ min: 0, max: 100 }),
});
const call = fc.record({ min: fc.integer({ min: -300, max: 0 }), outcome: fc.constantFrom(...OUTCOMES) });

const action = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('page' as const), leads: fc.array(summary, { minLength: 1, maxLength: 8 }) }), weight: 3 },
  // Over 50 rows: Dexie names the written keys only after the write (another path in its event).
  fc.record({ kind: fc.constant('bigPage' as const), band: fc.constantFrom('hot', 'warm'), needMin: fc.integer({ min: -200, max: 0 }) }),
  fc.record({ kind: fc.constant('remove' as const), ids: fc.array(ids, { minLength: 1, maxLength: 3 }) }),
  { arbitrary: fc.record({ kind: fc.constant('detail' as const), id: ids, calls: fc.array(call, { maxLength: 3 }) }), weight: 3 },
  fc.record({ kind: fc.constant('evict' as const), id: ids }),
  { arbitrary: fc.record({ kind: fc.constant('logCall' as const), id: ids, call }), weight: 2 },
  fc.record({ kind: fc.constant('undo' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('refused' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('sent' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('follow' as const), id: ids }),
  fc.record({ kind: fc.constant('clear' as const) }),
  // The same leads written by this connection and then by another one (whose rows the kept
  // inputs never see) before the recount: the other's rows must win.
  fc.record({ kind: fc.constant('foreign' as const), ours: fc.array(summary, { minLength: 1, maxLength: 4 }), band: fc.constantFrom('hot', 'warm'), cooldownMin: fc.option(minutes(240), { nil: undefined }) }),
  // Writes not named row by row (a modify), and a transaction that aborts after its writes.
  fc.record({ kind: fc.constant('modify' as const), ids: fc.array(ids, { minLength: 1, maxLength: 3 }), cooldownMin: minutes(240) }),
  fc.record({ kind: fc.constant('aborted' as const), leads: fc.array(summary, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('clock' as const), min: fc.integer({ min: 1, max: 16 * 60 }) }),
  // The sync state the badge reads with the counts (kept in memory too): sign-in, failing, recovered.
  fc.record({ kind: fc.constant('syncState' as const), status: fc.constantFrom('ok', 'stale', 'signin', 'backoff'), agoMin: fc.integer({ min: 0, max: 60 }) }),
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

const TEXTS: BadgeTexts = { name: 'LeadLens', count: String, urgent: String, signIn: '!', failing: () => '!', asOf: String };

const silentBrowser = (alarms: Map<string, number>): BadgeBrowser => ({
  action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined, setTitle: async () => undefined },
  alarms: { create: async (name, { when }) => { alarms.set(name, when); }, clear: async (name) => alarms.delete(name) },
});

const detailOf = (s: LeadSummary, calls: { min: number; outcome: string }[], now: number): LeadDetail => ({
  ...s, breakdown: [], cooldowns: [], interests: [],
  timeline: calls.map((c, i) => ({ id: `${s.id}-c${i}`, at: iso(now + c.min * MIN), type: 'call', title: 'call', meta: { outcome: c.outcome } })),
});

/** A comparable form of to-do inputs: order does not matter to the rules' counts. */
const canonical = (inputs: readonly TodoInput[]) =>
  inputs.map(({ lead: l, calls }) => ({ id: l.id, lead: l, calls: [...calls].sort((a, b) => a.at - b.at || String(a.outcome).localeCompare(String(b.outcome))) }))
    .sort((a, b) => a.id.localeCompare(b.id));

/** The badge by a full recount: every hot callable lead of mine read again, as before the copy. */
async function fullRecount(db: LeadLensDb, at: number) {
  const policy = { callWindowMinutes: WINDOW_MINUTES, retryMinutes: OFFICE.retryMinutes };
  const calendar = teamCalendar(OFFICE, at);
  const inputs = await todoInputs(db, at);
  const rows = todoRows(inputs, policy, calendar, at);
  const { count, urgent } = todoCounts(rows, calendar, at);
  const blockEnd = await nextBadgeBoundary(db, at, WINDOW_MINUTES * MIN);
  const boundary = Math.min(nextTodoChange(rows, policy, calendar, at) ?? Infinity, blockEnd ?? Infinity);
  return { inputs, count, urgent, nextAt: boundary === Infinity ? undefined : boundary + 1000 };
}

async function run(actions: readonly Action[]): Promise<void> {
  const { db } = freshDb();
  await db.syncState.put({
    key: 'main', apiUrl: 'https://api.example.test', tokenKey: 't', userId: 'u-sato', callWindowMinutes: WINDOW_MINUTES,
    snapshotComplete: true, status: 'ok', lastSuccessAt: NOW, failures: 0, leadsReceived: 0, skippedTotal: 0, recentSkipped: [],
  });
  let now = NOW;
  let keys = 0;
  const outbox = new Outbox({ db, loadConnection: async () => null, createClient: () => { throw new Error('not sent in this test'); }, now: () => now, newKey: () => `k${++keys}` });
  const followed = new Set<string>();
  const summaries = new Map<string, LeadSummary>();
  const alarms = new Map<string, number>();
  const kept = badgeInputs(db);
  const store = (list: LeadSummary[], into: LeadLensDb = db) => {
    for (const s of list) summaries.set(s.id, s);
    return into.leads.bulkPut(list.map((s) => toLeadRow(s, 'u-sato', followed)));
  };
  const summaryOf = (l: { id: string; band: string; owner: string; needMin?: number; cooldownMin?: number; score: number }) => lead(l.id, {
    band: l.band as LeadSummary['band'], score: l.score, owner: { id: l.owner, name: l.owner },
    ...(l.needMin !== undefined ? { needDetectedAt: iso(now + l.needMin * MIN) } : {}),
    ...(l.cooldownMin !== undefined ? { cooldownUntil: iso(now + l.cooldownMin * MIN) } : {}),
  });
  const pendingKey = async (pick: number) => {
    const rows = await db.outbox.toArray();
    return rows.length ? rows[pick % rows.length] : undefined;
  };

  for (const step of [undefined, ...actions]) {
    switch (step?.kind) {
      case undefined: break;
      case 'page':
        await store(step.leads.map(summaryOf));
        break;
      case 'foreign': {
        await store(step.ours.map(summaryOf));
        const other = openDb(db.name);
        try {
          await store(step.ours.map((l) => summaryOf({ ...l, owner: 'u-sato', band: step.band, needMin: -30, cooldownMin: step.cooldownMin })), other);
        } finally {
          other.close();
        }
        break;
      }
      case 'modify':
        await db.leads.where('id').anyOf(step.ids).modify((row) => {
          row.summary = { ...row.summary, cooldownUntil: iso(now + step.cooldownMin * MIN) };
          row.cooldownAt = now + step.cooldownMin * MIN;
          summaries.set(row.id, row.summary);
        });
        break;
      case 'aborted': {
        const before = new Map(summaries);
        await db.transaction('rw', db.leads, async () => {
          await store(step.leads.map(summaryOf));
          throw new Error('abort');
        }).catch(() => undefined);
        summaries.clear();
        for (const [id, s] of before) summaries.set(id, s);
        break;
      }
      case 'bigPage':
        await store(Array.from({ length: 60 }, (_, i) => lead(`B${i}`, { band: step.band as LeadSummary['band'], needDetectedAt: iso(now + (step.needMin - i) * MIN) })));
        break;
      case 'remove':
        await db.leads.bulkDelete(step.ids);
        break;
      case 'detail': {
        const s = summaries.get(step.id) ?? lead(step.id);
        await db.details.put({ id: step.id, detail: detailOf(s, step.calls, now), fetchedAt: now, lastViewedAt: now });
        break;
      }
      case 'evict':
        await db.details.delete(step.id);
        break;
      case 'logCall':
        await outbox.enqueue('activity', step.id, { type: 'call', outcome: step.call.outcome, at: iso(now + step.call.min * MIN) }, 5000);
        break;
      case 'undo': {
        const row = await pendingKey(step.pick);
        if (row) await outbox.withdraw(row.key, row.leadId);
        break;
      }
      case 'refused': {
        const row = await pendingKey(step.pick);
        if (row) await db.outbox.update(row.key, { status: 'failed' });
        break;
      }
      case 'sent': {
        // Delivered: the call leaves the outbox and comes back in the lead's timeline.
        const row = await pendingKey(step.pick);
        if (!row) break;
        const body = row.body as { at: string; outcome: string };
        const detail = await db.details.get(row.leadId);
        const s = summaries.get(row.leadId) ?? lead(row.leadId);
        const timeline = [...(detail?.detail.timeline ?? []), { id: row.key, at: body.at, type: 'call', title: 'call', meta: { outcome: body.outcome } }];
        await db.transaction('rw', db.outbox, db.details, async () => {
          await db.outbox.delete(row.key);
          await db.details.put({ id: row.leadId, detail: { ...detailOf(s, [], now), timeline }, fetchedAt: now, lastViewedAt: now });
        });
        break;
      }
      case 'follow': {
        // As the write path's restamp after follow/unfollow (and mute, which unfollows).
        if (followed.has(step.id)) followed.delete(step.id);
        else followed.add(step.id);
        const row = await db.leads.get(step.id);
        if (row) await db.leads.put(toLeadRow(row.summary, 'u-sato', followed));
        break;
      }
      case 'clear':
        await db.leads.clear();
        break;
      case 'clock':
        now += step.min * MIN;
        break;
      case 'syncState': {
        const state = await db.syncState.get('main');
        if (!state) break;
        const failing = step.status === 'stale' || step.status === 'backoff';
        await db.syncState.put({ ...state, status: step.status, lastSuccessAt: now - step.agoMin * MIN,
          lastError: failing ? { kind: 'network', message: 'offline', at: now } : undefined });
        break;
      }
    }
    const shown = await updateBadge({ browser: silentBrowser(alarms), db, teamPolicy: async () => OFFICE, now: () => now });
    const full = await fullRecount(db, now);
    expect(canonical(kept.todoInputs(now))).toEqual(canonical(full.inputs));
    expect(kept.nextBoundary(now, WINDOW_MINUTES * MIN)).toBe(await nextBadgeBoundary(db, now, WINDOW_MINUTES * MIN));
    const expected = badgeView({ count: full.count, urgent: full.urgent, now, state: await db.syncState.get('main') }, TEXTS);
    expect(shown.view.text).toBe(expected.text);
    expect(shown.view.color).toBe(expected.color);
    expect(shown.nextAt).toBe(full.nextAt);
    expect(alarms.get(BADGE_ALARM)).toBe(full.nextAt);
  }
}

describe('badge inputs kept in memory', () => {
  it('equal a full recount after any sequence of cache changes and clock moves', async () => {
    await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 25 }), run), { numRuns: 80 * SCALE });
  });

  it('a call in a detail fetched later takes the lead off', async () => {
    await run([
      { kind: 'page', leads: [{ id: 'L3', band: 'hot', owner: 'u-sato', needMin: -20, cooldownMin: undefined, score: 0 }] },
      { kind: 'detail', id: 'L3', calls: [{ min: 0, outcome: 'connected' }] },
    ]);
  });

  it('a detail fetched while the lead was warm counts once a sync page makes it hot', async () => {
    await run([
      { kind: 'page', leads: [{ id: 'L2', band: 'warm', owner: 'u-sato', needMin: -20, cooldownMin: undefined, score: 40 }] },
      { kind: 'detail', id: 'L2', calls: [{ min: 0, outcome: 'connected' }] },
      { kind: 'page', leads: [{ id: 'L2', band: 'hot', owner: 'u-sato', needMin: -20, cooldownMin: undefined, score: 80 }] },
    ]);
  });

  it('a sync page that moves a lead\'s need decides it again (its window turns urgent); one that moves only its score keeps the decision', async () => {
    await run([
      { kind: 'page', leads: [{ id: 'L5', band: 'hot', owner: 'u-sato', needMin: -10, cooldownMin: undefined, score: 80 }] },
      { kind: 'page', leads: [{ id: 'L5', band: 'hot', owner: 'u-sato', needMin: -10, cooldownMin: undefined, score: 95 }] },
      // 11:00 in Tokyo: a need at 09:20 leaves 20 minutes of the window (red badge).
      { kind: 'clock', min: 60 },
      { kind: 'page', leads: [{ id: 'L5', band: 'hot', owner: 'u-sato', needMin: -100, cooldownMin: undefined, score: 95 }] },
    ]);
  });

  it('a window decided while the team is closed turns urgent after the opening (the opening ends every decision made while closed)', async () => {
    await run([
      // 19:20 on Tuesday in Tokyo, closed: a need at 18:10 kept 50 minutes today and keeps 70 from
      // Wednesday 09:00; decided here, the window is paused (not urgent).
      { kind: 'clock', min: 560 },
      { kind: 'page', leads: [{ id: 'L6', band: 'hot', owner: 'u-sato', needMin: -70, cooldownMin: undefined, score: 80 }] },
      // Wednesday 09:50: 20 minutes left of an open window, so the badge turns red.
      { kind: 'clock', min: 870 },
    ]);
  });

  it('a lead written here and then by another connection counts as the other wrote it', async () => {
    await run([
      { kind: 'page', leads: [{ id: 'L4', band: 'hot', owner: 'u-sato', needMin: -20, cooldownMin: undefined, score: 80 }] },
      { kind: 'foreign', ours: [{ id: 'L4', band: 'hot', owner: 'u-sato', needMin: -20, cooldownMin: undefined, score: 80 }], band: 'warm', cooldownMin: undefined },
    ]);
  });

  it('a call the server refused no longer counts as a call (found at PROPERTY_SCALE=5 with the refusal ignored)', async () => {
    await run([
      { kind: 'page', leads: [{ id: 'L0', band: 'hot', owner: 'u-sato', needMin: -10, cooldownMin: undefined, score: 80 }] },
      { kind: 'logCall', id: 'L0', call: { min: 0, outcome: 'connected' } },
      { kind: 'refused', pick: 0 },
    ]);
  });

  it('a sign-in pause shows "!", and the count comes back once sync recovers', async () => {
    await run([
      { kind: 'page', leads: [{ id: 'L1', band: 'hot', owner: 'u-sato', needMin: -10, cooldownMin: undefined, score: 80 }] },
      { kind: 'syncState', status: 'signin', agoMin: 5 },
      { kind: 'syncState', status: 'ok', agoMin: 0 },
    ]);
  });

  it('a call logged, then the cache cleared and refilled with a blocked lead that time unblocks', async () => {
    await run([
      { kind: 'page', leads: [{ id: 'L1', band: 'hot', owner: 'u-sato', needMin: -10, cooldownMin: undefined, score: 80 }] },
      { kind: 'logCall', id: 'L1', call: { min: 0, outcome: 'connected' } },
      { kind: 'clear' },
      { kind: 'page', leads: [{ id: 'L1', band: 'hot', owner: 'u-sato', needMin: -5, cooldownMin: 30, score: 80 }] },
      { kind: 'clock', min: 31 },
      { kind: 'undo', pick: 0 },
    ]);
  });
});
