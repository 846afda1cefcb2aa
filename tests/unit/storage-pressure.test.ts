// Storage pressure: when IndexedDB refuses a write for lack of space (QuotaExceededError, as the
// DOMException itself, Dexie's error or wrapped as a failed transaction's inner error), the sync
// engine evicts cached details (hot leads' stay), keeps every summary, retries the page once,
// and if it still does not fit keeps the previous cache and cursor and says why, in words.
// The pressure comes from a DBCore middleware that refuses writes the way the browser does.
import Dexie, { type DBCoreMutateRequest } from 'dexie';
import { describe, expect, it } from 'vitest';
import type { ChangesResult, ScoringApiClient } from '../../utils/api/client';
import type { LeadDetail, LeadSummary, MeResponse } from '../../utils/api/contract';
import { ok, type ApiResult } from '../../utils/api/errors';
import type { LeadLensDb } from '../../utils/db/schema';
import { isQuotaError, SyncEngine } from '../../utils/sync/engine';
import { freshDb, lead, MIN, NOW } from './db-helpers';

const ME: MeResponse = { user: { id: 'u-sato', name: '佐藤 健', email: 'sato@example.jp' }, settings: { hotThreshold: 70, callWindowMinutes: 120 } };

/** A change feed: a sequence number per change, cursor = the last one seen. */
class Feed {
  private log: { seq: number; lead: LeadSummary }[] = [];
  private seq = 0;
  put(...leads: LeadSummary[]) { for (const l of leads) this.log.push({ seq: ++this.seq, lead: l }); }
  client(): Pick<ScoringApiClient, 'me' | 'changes'> {
    return {
      me: async (): Promise<ApiResult<MeResponse>> => ok(ME),
      changes: async ({ cursor, limit = 500 }): Promise<ChangesResult> => {
        const after = cursor ? Number(cursor) : 0;
        const page = this.log.filter((e) => e.seq > after).slice(0, limit);
        const last = page.at(-1)?.seq ?? after;
        return ok({ leads: page.map((e) => e.lead), removed: [], cursor: String(last), hasMore: this.log.some((e) => e.seq > last), etag: `"${last}"`, skipped: [] });
      },
    };
  }
}

// ------------------------------------------------------------------------------------------
// The pressure: refuse writes as the browser does.

const QUOTA_ERRORS = {
  'the DOMException': () => new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
  "Dexie's QuotaExceededError": () => new Dexie.QuotaExceededError('Quota exceeded', new DOMException('The quota has been exceeded.', 'QuotaExceededError')),
  'an AbortError wrapping it': () => new Dexie.AbortError('Transaction aborted', new DOMException('The quota has been exceeded.', 'QuotaExceededError')),
} as const;
type QuotaKind = keyof typeof QUOTA_ERRORS;

interface Pressure {
  /** Refuse this write? `n` counts the writes since the pressure was armed (1 = the first). */
  refuse?: (n: number, table: string, request: DBCoreMutateRequest) => boolean;
  error: () => Error;
  writes: number;
  refused: number;
}

/** Installs the middleware; the returned handle arms and disarms it. */
function underPressure(db: LeadLensDb): Pressure {
  const pressure: Pressure = { error: QUOTA_ERRORS['the DOMException'], writes: 0, refused: 0 };
  db.use({
    stack: 'dbcore',
    name: 'storage-pressure',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (request) => {
            if (pressure.refuse) {
              pressure.writes++;
              if (pressure.refuse(pressure.writes, name, request)) {
                pressure.refused++;
                return Promise.reject(pressure.error());
              }
            }
            return table.mutate(request);
          },
        };
      },
    }),
  });
  return pressure;
}

const arm = (pressure: Pressure, refuse: Pressure['refuse'], kind: QuotaKind = 'the DOMException') => {
  Object.assign(pressure, { refuse, error: QUOTA_ERRORS[kind], writes: 0, refused: 0 });
};
const disarm = (pressure: Pressure) => { pressure.refuse = undefined; };
const isWrite = (request: DBCoreMutateRequest) => request.type === 'put' || request.type === 'add';

// ------------------------------------------------------------------------------------------

const HOT = ['L1', 'L2'];
const ALL = ['L1', 'L2', 'L3', 'L4', 'L5', 'L6'];
const detailOf = (summary: LeadSummary): LeadDetail => ({ ...summary, breakdown: [], timeline: [{ id: 'e1', at: summary.updatedAt, type: 'web_visit', title: 'x'.repeat(2_000) }], cooldowns: [], interests: [] });

async function setup() {
  const { db } = freshDb();
  const pressure = underPressure(db);
  const feed = new Feed();
  let now = NOW;
  const engine = new SyncEngine({
    db, loadConnection: async () => ({ apiUrl: 'https://api.test', token: 'tok' }), createClient: () => feed.client(),
    followedIds: async () => new Set(), now: () => now, random: () => 1, pageLimit: 100,
  });
  // A warm cache: six summaries (two hot), and every lead's detail viewed once.
  const initial = ALL.map((id) => lead(id, HOT.includes(id) ? { band: 'hot', score: 80 } : {}));
  feed.put(...initial);
  expect((await engine.sync()).outcome).toBe('updated');
  await db.details.bulkPut(initial.map((s, i) => ({ id: s.id, detail: detailOf(s), fetchedAt: NOW, lastViewedAt: NOW - i * MIN })));
  // Then the feed moves on: every lead rescored, one new.
  const changed = [...ALL.map((id) => lead(id, { score: 90, band: 'hot', updatedAt: new Date(NOW + 5 * MIN).toISOString() })), lead('L7')];
  feed.put(...changed);
  return {
    db, pressure, feed, engine, initial, changed,
    tick: (ms: number) => { now += ms; },
    summaries: async () => Object.fromEntries((await db.leads.toArray()).map((r) => [r.id, r.summary])),
    details: () => db.details.toCollection().primaryKeys(),
    state: () => db.syncState.get('main'),
  };
}

/** "HH:MM" of `ms` in the local zone, as the engine writes it. */
const hhmm = (ms: number) => `${String(new Date(ms).getHours()).padStart(2, '0')}:${String(new Date(ms).getMinutes()).padStart(2, '0')}`;

describe('isQuotaError', () => {
  it.each([
    ['the DOMException', true, QUOTA_ERRORS['the DOMException']()],
    ["Dexie's QuotaExceededError", true, QUOTA_ERRORS["Dexie's QuotaExceededError"]()],
    ['an AbortError with it as inner error', true, QUOTA_ERRORS['an AbortError wrapping it']()],
    ['a BulkError with it among the failures', true, new Dexie.BulkError('1 of 2 failed', { 1: new DOMException('full', 'QuotaExceededError') })],
    ['an Error with it as cause', true, new Error('write failed', { cause: new DOMException('full', 'QuotaExceededError') })],
    ['an AbortError for another reason', false, new Dexie.AbortError('aborted', new DOMException('x', 'ConstraintError'))],
    ['a DataCloneError', false, new DOMException('x', 'DataCloneError')],
    ['a string', false, 'QuotaExceededError'],
    ['undefined', false, undefined],
  ])('%s: %s', (_name, expected, error) => {
    expect(isQuotaError(error)).toBe(expected);
  });
});

describe('sync under storage pressure', () => {
  it.each(Object.keys(QUOTA_ERRORS) as QuotaKind[])('a refused page write (%s): evicts details, keeps hot ones, retries once and stores the page', async (kind) => {
    const t = await setup();
    // The browser refuses the first write of the page (the leads' bulk put).
    arm(t.pressure, (n) => n === 1, kind);
    const report = await t.engine.sync();
    expect(t.pressure.refused).toBe(1);
    expect(report.outcome).toBe('updated');
    expect(await t.summaries()).toEqual(Object.fromEntries(t.changed.map((s) => [s.id, s])));
    // Details go, except the hot leads' (hot as stored when the page was refused).
    expect((await t.details()).sort()).toEqual(HOT);
    expect(await t.state()).toMatchObject({ status: 'ok', cursor: String(ALL.length * 2 + 1), lastError: undefined, failures: 0 });
    expect(report.changes.map((c) => c.after.id)).toEqual(t.changed.map((s) => s.id));
  });

  it('space freed by eviction lets the page in (writes refused until a detail is deleted)', async () => {
    const t = await setup();
    let full = true;
    arm(t.pressure, (_n, table, request) => {
      if (table === 'details' && request.type === 'delete') full = false;
      return full && isWrite(request);
    });
    expect((await t.engine.sync()).outcome).toBe('updated');
    expect(Object.keys(await t.summaries()).sort()).toEqual([...ALL, 'L7']);
    expect((await t.details()).sort()).toEqual(HOT);
    expect((await t.state())?.status).toBe('ok');
  });

  it.each(Object.keys(QUOTA_ERRORS) as QuotaKind[])('a page that never fits (%s): previous cache and cursor kept, stale, the user told why; recovers later', async (kind) => {
    const t = await setup();
    const before = await t.summaries();
    const cursor = (await t.state())?.cursor;
    const lastSuccessAt = (await t.state())?.lastSuccessAt ?? 0;
    t.tick(7 * MIN);
    // Every write to the lead list is refused; the sync state itself still fits.
    arm(t.pressure, (_n, table, request) => table === 'leads' && isWrite(request), kind);
    const report = await t.engine.sync();
    expect(t.pressure.refused).toBe(2); // the page, then its one retry
    expect(report.outcome).toBe('failed');
    const message = `The browser is out of storage space for LeadLens: older lead details were removed; the lead list is kept as of ${hhmm(lastSuccessAt)}`;
    expect(report.error).toEqual({ kind: 'storage', asOf: lastSuccessAt, message });
    expect(report.changes).toEqual([]);
    expect(await t.summaries()).toEqual(before);
    expect((await t.details()).sort()).toEqual(HOT);
    const state = await t.state();
    expect(state).toMatchObject({ status: 'stale', cursor, lastSuccessAt, failures: 1, lastError: { kind: 'storage', message, at: NOW + 7 * MIN } });
    expect(state?.nextAttemptAt).toBeGreaterThan(NOW + 7 * MIN);

    // Room again (the user freed space): the next sync after the backoff brings everything in.
    disarm(t.pressure);
    t.tick(MIN);
    const later = await t.engine.sync();
    expect(later.outcome).toBe('updated');
    expect(await t.summaries()).toEqual(Object.fromEntries(t.changed.map((s) => [s.id, s])));
    expect(await t.state()).toMatchObject({ status: 'ok', failures: 0, lastError: undefined, cursor: String(ALL.length * 2 + 1) });
  });

  it('when not even the sync state fits: the cache stays as it was and the report still says why', async () => {
    const t = await setup();
    const before = await t.summaries();
    const state = await t.state();
    arm(t.pressure, (_n, _table, request) => isWrite(request));
    const report = await t.engine.sync();
    expect(report).toMatchObject({ outcome: 'failed', error: { kind: 'storage' } });
    expect(await t.summaries()).toEqual(before);
    expect(await t.state()).toEqual(state);
  });

  it('other write errors are not taken for pressure: nothing is evicted and the sync fails loudly', async () => {
    const t = await setup();
    arm(t.pressure, (n) => n === 1);
    t.pressure.error = () => new DOMException('The operation failed for reasons unrelated to the database itself', 'UnknownError');
    await expect(t.engine.sync()).rejects.toMatchObject({ name: 'UnknownError' });
    expect((await t.details()).sort()).toEqual(ALL);
    expect(Object.keys(await t.summaries()).sort()).toEqual(ALL);
  });
});
