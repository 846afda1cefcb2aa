// An upgrade loses nothing: a database and settings written by the previous version, frozen in
// tests/fixtures/upgrade/ (see its README), open under the current code with every row and every
// preference intact. The database is written by a Dexie that declares only version 1, as the old
// code did; the preferences sit in storage before the preferences module loads, because WXT runs
// the v1 → v2 migration when the module defines its item.
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { countHotCallable, findByEmail, findByRef } from '../../utils/db/queries';
import { DB_NAME, openDb, SCHEMA_VERSIONS, type LeadRow } from '../../utils/db/schema';
import { openV1 } from '../../utils/db/versions/v1';
import { DEFAULT_PREFERENCES, type Preferences } from '../../utils/preferences/schema';
import v1Database from '../fixtures/upgrade/v1-indexeddb.json';
import v1Storage from '../fixtures/upgrade/v1-storage.json';

const NOW = Date.parse('2026-11-24T01:00:00.000Z');
const TABLES = ['leads', 'details', 'syncState', 'outbox', 'notified'] as const;
type Table = (typeof TABLES)[number];
const rowsOf = (table: Table) => (v1Database.tables as Record<Table, Record<string, unknown>[]>)[table];
const keyOf = (row: Record<string, unknown>) => String(row.id ?? row.key);
const byKey = <T extends Record<string, unknown>>(rows: T[]) => [...rows].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));

/** Writes the fixture the way v1 did: a Dexie that knows only schema version 1. */
async function writeV1Database(): Promise<void> {
  expect(v1Database.version).toBe(1);
  const v1 = openV1(v1Database.database);
  await v1.transaction('rw', TABLES.map((t) => v1.table(t)), async () => {
    for (const table of TABLES) await v1.table(table).bulkPut(rowsOf(table));
  });
  v1.close();
}

/** Puts the v1 storage areas in place, then loads the storage modules fresh (their migrations run on load). */
async function loadWithV1Storage(sync: Record<string, unknown> = v1Storage.sync) {
  await fakeBrowser.storage.sync.set(sync);
  await fakeBrowser.storage.local.set(v1Storage.local);
  vi.resetModules();
  const [preferences, settings, collapsed] = await Promise.all([
    import('../../utils/preferences/storage'),
    import('../../utils/settings'),
    import('../../utils/ui-state'),
  ]);
  return { ...preferences, ...settings, ...collapsed };
}

describe('upgrade from the previous version', () => {
  it('opens the v1 database under the current schema with every row of every table intact', async () => {
    await writeV1Database();
    const db = openDb();
    await db.open();
    expect(db.name).toBe(DB_NAME);
    expect(db.verno).toBe(Math.max(...Object.keys(SCHEMA_VERSIONS).map(Number)));
    for (const table of TABLES) {
      const stored = (await db.table(table).toArray()) as Record<string, unknown>[];
      // Versions 2 and 3 re-key every lead's refs with their tenant ("…|" for a ref that names
      // none), the object type without case and a Salesforce id on its 15-character core.
      const expected = table !== 'leads' ? rowsOf(table) : (rowsOf(table) as unknown as LeadRow[]).map((row) => ({
        ...row, refKeys: row.summary.crmRefs.map((ref) => `${ref.crm}|${ref.objectType.toLowerCase()}|${ref.crm === 'salesforce' ? ref.recordId.slice(0, 15) : ref.recordId}|${ref.host ?? ''}`),
      }));
      expect(byKey(stored), `${table}: every row as v1 wrote it`).toEqual(byKey(expected as unknown as Record<string, unknown>[]));
    }
    db.close();
  });

  it('answers every question from the upgraded indexes: CRM references, e-mail, badge, outbox, recency', async () => {
    await writeV1Database();
    const db = openDb();
    const leads = rowsOf('leads') as unknown as LeadRow[];
    for (const row of leads) {
      for (const ref of row.summary.crmRefs) {
        expect((await findByRef(db, ref.crm, ref.objectType, ref.recordId, ref.host ?? 'any-tenant.example'))?.id, `${ref.crm} ${ref.recordId}`).toBe(row.id);
      }
      if (row.summary.email) expect((await findByEmail(db, row.summary.email.toUpperCase()))?.id).toBe(row.id);
    }
    const hotCallable = leads.filter((l) => l.mine === 1 && l.band === 'hot' && l.cooldownAt <= NOW).length;
    expect(hotCallable).toBeGreaterThan(0);
    expect(await countHotCallable(db, NOW)).toBe(hotCallable);
    expect(await db.outbox.where('status').equals('pending').primaryKeys()).toEqual(
      (rowsOf('outbox') as { key: string; status: string }[]).filter((r) => r.status === 'pending').map((r) => r.key),
    );
    expect(await db.details.orderBy('lastViewedAt').reverse().primaryKeys()).toEqual(['L-1001', 'L-1004']);
    expect(await db.leads.where('ownerId').equals('u-kimura').count()).toBe(2);
    expect(await db.notified.where('at').above(0).count()).toBe(rowsOf('notified').length);
    const state = await db.syncState.get('main');
    expect(state).toMatchObject({ cursor: 'c-000812', etag: '"812-812"', snapshotComplete: true, userId: 'u-sato' });
    db.close();
  });

  it('reads the v1 preferences as v2 with every choice kept, and stores them as v2 once', async () => {
    const { loadPreferences, preferencesItem } = await loadWithV1Storage();
    const { prefs, dropped } = await loadPreferences();
    expect(dropped).toEqual([]);
    const v1 = v1Storage.sync.preferences;
    const callNow = !v1.notifyHot; // v1's one switch for every "call now" alert: off here
    const expected: Preferences = {
      ...DEFAULT_PREFERENCES,
      notifications: {
        ...DEFAULT_PREFERENCES.notifications,
        types: {
          becameHot: !callNow, seminarAttended: !callNow, videoWatched: !callNow, inquiryForm: !callNow, dormantWaking: !callNow, windowEnding: !callNow,
          staleAssigned: v1.notifyStale,
        },
        staleAfterDays: v1.staleDays,
        scope: 'team',
        quietHours: { enabled: true, start: v1.quietStart, end: v1.quietEnd },
      },
      followed: v1.followed,
      muted: v1.muted,
    };
    expect(prefs).toEqual(expected);

    // Migrated in storage, with the version meta moved on: the next start does not migrate again.
    const stored = await fakeBrowser.storage.sync.get(['preferences', 'preferences$']);
    expect(stored['preferences$']).toEqual({ v: 2 });
    expect(stored.preferences).toMatchObject({ version: 2, followed: v1.followed, muted: v1.muted });
    expect(await preferencesItem.getValue()).toEqual(stored.preferences);
    expect((await loadPreferences()).prefs).toEqual(expected);
  });

  it.each([
    ['quiet hours off (both null) keeps v2 default times, switched off', { quietStart: null, quietEnd: null }, { quietHours: { enabled: false, start: '20:00', end: '08:00' } }],
    ['quiet hours half set is off', { quietStart: '22:00', quietEnd: null }, { quietHours: { enabled: false, start: '20:00', end: '08:00' } }],
    ['"call now" alerts on', { notifyHot: true, notifyStale: false }, { types: { ...DEFAULT_PREFERENCES.notifications.types, staleAssigned: false } }],
  ])('v1 with %s', async (_name, change, expectedNotifications) => {
    const { loadPreferences } = await loadWithV1Storage({ ...v1Storage.sync, preferences: { ...v1Storage.sync.preferences, ...change } });
    const { prefs, dropped } = await loadPreferences();
    expect(dropped).toEqual([]);
    expect(prefs.notifications).toMatchObject(expectedNotifications);
    expect(prefs.followed).toEqual(v1Storage.sync.preferences.followed);
    expect(prefs.muted).toEqual(v1Storage.sync.preferences.muted);
  });

  it('keeps the connection (moved out of storage.local), poll interval and panel state', async () => {
    const { loadConnection, pollSecondsItem, connectionStatusItem, panelCollapsedItem } = await loadWithV1Storage();
    expect(await loadConnection(async () => undefined)).toEqual(v1Storage.local.connection);
    expect(await pollSecondsItem.getValue()).toBe(v1Storage.local.pollSeconds);
    expect(await connectionStatusItem.getValue()).toEqual(v1Storage.local.connectionStatus);
    expect(await panelCollapsedItem.getValue()).toBe(true);
    // The token is no longer where a content script could read it.
    expect(await fakeBrowser.storage.local.get(['connection', 'connectionStatus'])).toEqual({});
  });
});
