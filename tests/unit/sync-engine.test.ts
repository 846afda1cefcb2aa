import { describe, expect, it } from 'vitest';
import type { ChangesResult, ScoringApiClient } from '../../utils/api/client';
import type { LeadSummary, MeResponse } from '../../utils/api/contract';
import { fail, ok, type ApiError, type ApiResult } from '../../utils/api/errors';
import { SyncEngine } from '../../utils/sync/engine';
import type { Connection } from '../../utils/settings';
import { freshDb, iso, lead, MIN, NOW } from './db-helpers';

const ME: MeResponse = { user: { id: 'u-sato', name: '佐藤 健', email: 'sato@example.jp' }, settings: { hotThreshold: 70, callWindowMinutes: 120 } };

/** A change feed like the server's: a sequence number per change, cursor = last seq seen. */
class FakeFeed {
  private log: { seq: number; lead?: LeadSummary; removed?: string }[] = [];
  private seq = 0;
  requests: { cursor?: string; etag?: string }[] = [];
  fault: ApiError | undefined;
  meFault: ApiError | undefined;
  invalid = new Map<string, unknown>();

  put(...leads: LeadSummary[]) { for (const l of leads) this.log.push({ seq: ++this.seq, lead: l }); }
  remove(id: string) { this.log.push({ seq: ++this.seq, removed: id }); }

  client(): Pick<ScoringApiClient, 'me' | 'changes'> {
    return {
      me: async (): Promise<ApiResult<MeResponse>> => (this.meFault ? fail(this.meFault) : ok(ME)),
      changes: async ({ cursor, limit = 500, etag }): Promise<ChangesResult> => {
        this.requests.push({ cursor, etag });
        if (this.fault) return fail(this.fault);
        const after = cursor ? Number(cursor) : 0;
        const latest = new Map<string, { seq: number; lead?: LeadSummary; removed?: string }>();
        for (const entry of this.log) if (entry.seq > after) latest.set(entry.lead?.id ?? entry.removed ?? '', entry);
        const entries = [...latest.values()].sort((a, b) => a.seq - b.seq);
        const page = entries.slice(0, limit);
        const last = page.at(-1)?.seq ?? after;
        // The ETag names the feed's state as of the page's end: the same for an idle poll.
        const tag = `"${last}-${this.seq}"`;
        if (etag && etag === tag && page.length === 0) return ok({ notModified: true, etag });
        const leads = page.filter((e) => e.lead).map((e) => e.lead as LeadSummary);
        const skipped = leads.filter((l) => this.invalid.has(l.id)).map((l) => ({ index: leads.indexOf(l), id: l.id, issues: [`leads[${leads.indexOf(l)}].score must be a number`] }));
        return ok({
          leads: leads.filter((l) => !this.invalid.has(l.id)),
          removed: page.filter((e) => e.removed).map((e) => e.removed as string),
          cursor: String(last), hasMore: entries.length > page.length, etag: tag, skipped,
        });
      },
    };
  }
}

function setup(options: { pageLimit?: number; connection?: Connection | null } = {}) {
  const { db, writes } = freshDb();
  const feed = new FakeFeed();
  let now = NOW;
  let language: 'ja' | 'en' = 'ja';
  let connection: Connection | null = options.connection === undefined ? { apiUrl: 'https://api.test', token: 'tok' } : options.connection;
  const engine = new SyncEngine({
    db,
    loadConnection: async () => connection,
    createClient: () => feed.client(),
    followedIds: async () => new Set(['L-followed']),
    language: () => language,
    now: () => now,
    random: () => 1,
    pageLimit: options.pageLimit ?? 3,
  });
  return {
    db, writes, feed, engine,
    setLanguage: (next: 'ja' | 'en') => { language = next; },
    tick: (ms: number) => { now += ms; },
    setConnection: (c: Connection | null) => { connection = c; },
    state: () => db.syncState.get('main'),
  };
}

const leads = (n: number, prefix = 'L') => Array.from({ length: n }, (_, i) => lead(`${prefix}${i + 1}`));

describe('SyncEngine', () => {
  it('pages through the full snapshot on first sync', async () => {
    const t = setup();
    t.feed.put(...leads(8));
    const report = await t.engine.sync();
    expect(report).toMatchObject({ outcome: 'updated', pages: 3, requests: 4 }); // /me + 3 pages
    expect(await t.db.leads.count()).toBe(8);
    expect(await t.state()).toMatchObject({ cursor: '8', snapshotComplete: true, status: 'ok', userId: 'u-sato', callWindowMinutes: 120 });
  });

  it('reads nothing back while the snapshot fills a cleared cache, and the changes after it with what they were', async () => {
    const t = setup();
    let reads = 0;
    t.db.use({ stack: 'dbcore', name: 'read-counter', create: (down) => ({ ...down, table: (name) => {
      const table = down.table(name);
      return name === 'leads' ? { ...table, getMany: (req) => { reads++; return table.getMany(req); } } : table;
    } }) });
    t.feed.put(...leads(8));
    const first = await t.engine.sync();
    expect(reads).toBe(0);
    expect(first.changes.map((change) => change.before)).toEqual(Array(8).fill(undefined));
    t.feed.put(lead('L5', { score: 77 }));
    const next = await t.engine.sync();
    expect(reads).toBe(1);
    expect(next.changes).toEqual([{ before: lead('L5'), after: lead('L5', { score: 77 }) }]);
  });

  it('resumes from the committed cursor after a sync dies between pages', async () => {
    const t = setup();
    t.feed.put(...leads(8));
    let calls = 0;
    const client = t.feed.client();
    const dying = new SyncEngine({
      db: t.db, loadConnection: async () => ({ apiUrl: 'https://api.test', token: 'tok' }),
      createClient: () => ({ me: client.me, changes: async (p) => { if (++calls === 2) throw new Error('worker killed'); return client.changes(p); } }),
      followedIds: async () => new Set(), language: () => 'ja', now: () => NOW, random: () => 1, pageLimit: 3,
    });
    await expect(dying.sync()).rejects.toThrow('worker killed');
    expect(await t.db.leads.count()).toBe(3);
    expect((await t.state())?.cursor).toBe('3');

    t.feed.requests.length = 0;
    await t.engine.sync();
    expect(t.feed.requests[0]?.cursor).toBe('3');
    expect((await t.db.leads.toCollection().primaryKeys()).sort()).toEqual(leads(8).map((l) => l.id).sort());
  });

  it('applies changes and removals after the snapshot, sending cursor and If-None-Match', async () => {
    const t = setup();
    t.feed.put(...leads(4));
    await t.engine.sync();
    t.feed.put(lead('L2', { band: 'hot', score: 88 }));
    t.feed.remove('L3');
    t.feed.requests.length = 0;
    const report = await t.engine.sync();
    expect(t.feed.requests[0]).toEqual({ cursor: '4', etag: '"4-4"' });
    expect(report.changes).toEqual([{ before: lead('L2'), after: lead('L2', { band: 'hot', score: 88 }) }]);
    expect(report.removed).toEqual(['L3']);
    expect((await t.db.leads.get('L2'))?.band).toBe('hot');
    expect(await t.db.leads.get('L3')).toBeUndefined();
  });

  it('writes nothing on an idle poll answered 304', async () => {
    const t = setup();
    t.feed.put(...leads(4));
    await t.engine.sync();
    const before = t.writes();
    const report = await t.engine.sync();
    expect(report).toMatchObject({ outcome: 'idle', requests: 1, pages: 0 });
    expect(t.feed.requests.at(-1)).toEqual({ cursor: '4', etag: '"4-4"' });
    expect(t.writes() - before).toBe(0);
  });

  it('on an empty delta remembers the new ETag in memory, so the next idle polls are 304s; none writes', async () => {
    const t = setup();
    t.feed.put(...leads(4));
    await t.engine.sync();
    await t.db.syncState.update('main', { etag: '"stale-etag"' });
    const before = t.writes();
    expect((await t.engine.sync()).outcome).toBe('idle');
    expect(t.writes() - before).toBe(0);
    const after = t.writes();
    expect((await t.engine.sync()).outcome).toBe('idle');
    expect(t.feed.requests.at(-1)).toEqual({ cursor: '4', etag: '"4-4"' });
    expect(t.writes() - after).toBe(0);
  });

  it('skips an invalid record, counts and describes it, and keeps the rest of the page', async () => {
    const t = setup({ pageLimit: 10 });
    t.feed.put(...leads(5));
    t.feed.invalid.set('L3', { score: 'high' });
    const report = await t.engine.sync();
    expect(report.skipped).toBe(1);
    expect(await t.db.leads.count()).toBe(4);
    const state = await t.state();
    expect(state?.skippedTotal).toBe(1);
    expect(state?.recentSkipped[0]).toEqual({ index: 2, id: 'L3', issues: ['leads[2].score must be a number'] });
  });

  it.each([
    ['token rejected', { kind: 'unauthorized', status: 401, message: 'The scoring API rejected the token' }, 'signin', undefined],
    ['rate limited with Retry-After', { kind: 'rate_limited', status: 429, retryAfterMs: 120_000, message: 'slow down' }, 'backoff', 120_000],
    ['unavailable without Retry-After', { kind: 'rate_limited', status: 503, message: 'down' }, 'backoff', 30_000],
    ['server error', { kind: 'server', status: 500, message: 'HTTP 500' }, 'stale', 30_000],
    ['offline', { kind: 'unreachable', message: 'Cannot reach https://api.test (offline, or CORS not allowed)' }, 'stale', 30_000],
    ['timeout', { kind: 'timeout', timeoutMs: 15_000, message: 'no answer' }, 'stale', 30_000],
    ['unexpected shape', { kind: 'bad_shape', issues: ['cursor is missing'], message: 'The scoring API answered in an unexpected shape: cursor is missing' }, 'stale', 30_000],
  ] as const)('on %s: keeps the cache, status %s, next attempt after %s ms', async (_name, error, status, delay) => {
    const t = setup();
    t.feed.put(...leads(4));
    await t.engine.sync();
    t.feed.fault = error;
    t.tick(MIN);
    const report = await t.engine.sync();
    expect(report.outcome).toBe('failed');
    expect(await t.db.leads.count()).toBe(4);
    const state = await t.state();
    expect(state).toMatchObject({ status, failures: 1, lastError: { kind: error.kind, message: error.message }, lastSuccessAt: NOW });
    expect(state?.nextAttemptAt === undefined ? undefined : state.nextAttemptAt - (NOW + MIN)).toBe(delay);
  });

  it('backs off exponentially with a cap, and does not call while waiting', async () => {
    const t = setup();
    t.feed.fault = { kind: 'server', status: 500, message: 'HTTP 500' };
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      await t.engine.sync();
      const state = await t.state();
      delays.push((state?.nextAttemptAt ?? 0) - (NOW + i * 20 * MIN));
      const requests = t.feed.requests.length;
      expect((await t.engine.sync()).outcome).toBe('waiting');
      expect(t.feed.requests.length).toBe(requests);
      t.tick(20 * MIN);
    }
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
  });

  it('pauses polling after 401 until the token changes, and keeps the cache for the same user', async () => {
    const t = setup();
    t.feed.put(...leads(4));
    await t.engine.sync();
    t.feed.fault = { kind: 'unauthorized', status: 401, message: 'The scoring API rejected the token' };
    await t.engine.sync();
    t.feed.fault = undefined;
    const requests = t.feed.requests.length;
    expect((await t.engine.sync({ manual: true })).outcome).toBe('paused');
    expect(t.feed.requests.length).toBe(requests);

    t.setConnection({ apiUrl: 'https://api.test', token: 'new-token' });
    expect((await t.engine.sync()).outcome).toBe('idle');
    expect(await t.db.leads.count()).toBe(4);
    expect((await t.state())?.status).toBe('ok');
  });

  it('fetches every text again in the new language when the rep switches language, keeping the leads meanwhile', async () => {
    const t = setup();
    t.feed.put(...leads(4));
    await t.engine.sync();
    expect(await t.state()).toMatchObject({ language: 'ja', cursor: '4' });
    await t.db.details.put({ id: 'L1', detail: { ...lead('L1'), timeline: [], scoreBreakdown: [] } as never, fetchedAt: NOW, lastViewedAt: NOW });
    // Same language: an incremental poll from the cursor, the detail kept.
    t.feed.requests.length = 0;
    await t.engine.sync();
    expect(t.feed.requests[0]).toMatchObject({ cursor: '4' });
    expect(await t.db.details.count()).toBe(1);

    t.setLanguage('en');
    t.feed.requests.length = 0;
    const report = await t.engine.sync();
    // A fresh snapshot (no cursor, no ETag) rewrote all four summaries; the old-language detail is gone.
    expect(t.feed.requests[0]).toEqual({ cursor: undefined, etag: undefined });
    expect(report.changes.map((c) => c.after.id).sort()).toEqual(['L1', 'L2', 'L3', 'L4']);
    expect(await t.db.details.count()).toBe(0);
    expect(await t.db.leads.count()).toBe(4);
    expect(await t.state()).toMatchObject({ language: 'en', cursor: '4', snapshotComplete: true });
  });

  it('starts over when the API URL changes', async () => {
    const t = setup();
    t.feed.put(...leads(4));
    await t.engine.sync();
    t.setConnection({ apiUrl: 'https://other.test', token: 'tok' });
    t.feed.requests.length = 0;
    await t.engine.sync();
    expect(t.feed.requests[0]?.cursor).toBeUndefined();
    expect((await t.state())?.apiUrl).toBe('https://other.test');
  });

  it('recovers without user action once the fault ends', async () => {
    const t = setup();
    t.feed.put(...leads(2));
    t.feed.fault = { kind: 'unreachable', message: 'offline' };
    await t.engine.sync();
    t.feed.fault = undefined;
    t.tick(31_000);
    expect((await t.engine.sync()).outcome).toBe('updated');
    expect(await t.state()).toMatchObject({ status: 'ok', failures: 0, lastError: undefined });
  });

  it('runs one sync at a time: concurrent callers share it', async () => {
    const t = setup();
    t.feed.put(...leads(8));
    const [a, b, c] = await Promise.all([t.engine.sync(), t.engine.sync({ manual: true }), t.engine.sync()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(t.feed.requests.length).toBe(3);
    expect(t.engine.running).toBe(false);
  });

  it('marks leads owned by or followed by the user as mine', async () => {
    const t = setup();
    t.feed.put(lead('L1'), lead('L2', { owner: { id: 'u-other', name: '鈴木' } }), lead('L-followed', { owner: { id: 'u-other', name: '鈴木' } }), lead('L4', { owner: undefined, followed: true }));
    await t.engine.sync();
    const mine = Object.fromEntries((await t.db.leads.toArray()).map((r) => [r.id, r.mine]));
    expect(mine).toEqual({ L1: 1, L2: 0, 'L-followed': 1, L4: 1 });
  });

  it('reports not connected without calling anyone', async () => {
    const t = setup({ connection: null });
    expect((await t.engine.sync()).outcome).toBe('not_connected');
    expect(t.feed.requests).toEqual([]);
  });

  it('stores times for the index: cooldownAt and needAt in epoch ms, 0 when absent', async () => {
    const t = setup();
    t.feed.put(lead('L1', { band: 'hot', cooldownUntil: iso(NOW + 60 * MIN), needDetectedAt: iso(NOW - 10 * MIN) }), lead('L2'));
    await t.engine.sync();
    expect(await t.db.leads.get('L1')).toMatchObject({ cooldownAt: NOW + 60 * MIN, needAt: NOW - 10 * MIN });
    expect(await t.db.leads.get('L2')).toMatchObject({ cooldownAt: 0, needAt: 0 });
  });
});
