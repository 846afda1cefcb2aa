/**
 * The sync engine: pages the scoring API's change feed into the IndexedDB cache.
 *
 * - First sync pages through the full snapshot; later ones send the cursor and If-None-Match.
 * - Each page and its cursor are written in one transaction; the fetch is always outside it,
 *   so a worker killed mid-sync resumes from the last committed cursor.
 * - An idle poll (304, or an empty delta with the same cursor) writes nothing.
 * - Never two syncs at once: callers share the sync in flight.
 * - No fault ever empties the cache: failures only change the sync state.
 */
import type { ChangesPage, ScoringApiClient } from '../api/client';
import type { LeadSummary } from '../api/contract';
import type { ApiError } from '../api/errors';
import { toLeadRow, type LeadLensDb, type SyncStateRow } from '../db/schema';
import type { Connection } from '../settings';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';

export interface SyncDeps {
  db: LeadLensDb;
  loadConnection(): Promise<Connection | null>;
  createClient(connection: Connection): Pick<ScoringApiClient, 'me' | 'changes'>;
  followedIds(): Promise<ReadonlySet<string>>;
  now(): number;
  random(): number;
  pageLimit?: number;
  backoff?: BackoffPolicy;
}

export interface LeadChange {
  before?: LeadSummary;
  after: LeadSummary;
}

export type SyncOutcome = 'updated' | 'idle' | 'waiting' | 'paused' | 'failed' | 'not_connected';

export interface SyncReport {
  outcome: SyncOutcome;
  changes: LeadChange[];
  removed: string[];
  requests: number;
  pages: number;
  skipped: number;
  error?: ApiError;
}

const RECENT_SKIPPED = 20;

/** A short fingerprint of the token: tells a changed token apart without storing it twice. */
export function tokenFingerprint(token: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    hash ^= token.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16);
}

function freshState(connection: Connection): SyncStateRow {
  return {
    key: 'main', apiUrl: connection.apiUrl, tokenKey: tokenFingerprint(connection.token), snapshotComplete: false,
    status: 'never', failures: 0, leadsReceived: 0, skippedTotal: 0, recentSkipped: [],
  };
}

export class SyncEngine {
  private inFlight: Promise<SyncReport> | undefined;

  constructor(private readonly deps: SyncDeps) {}

  /** Runs a sync, or joins the one already running. `manual` ("Sync now") skips the backoff wait. */
  sync(options: { manual?: boolean } = {}): Promise<SyncReport> {
    this.inFlight ??= this.run(options.manual ?? false).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  get running(): boolean {
    return this.inFlight !== undefined;
  }

  private async run(manual: boolean): Promise<SyncReport> {
    const { db } = this.deps;
    const report: SyncReport = { outcome: 'idle', changes: [], removed: [], requests: 0, pages: 0, skipped: 0 };
    const connection = await this.deps.loadConnection();
    if (!connection) {
      const state = await db.syncState.get('main');
      if (state && state.status !== 'not_connected') await db.syncState.update('main', { status: 'not_connected' });
      return { ...report, outcome: 'not_connected' };
    }

    let state = await db.syncState.get('main');
    let previousUserId: string | undefined;
    if (!state || state.apiUrl !== connection.apiUrl) {
      // Another server: the cache is someone else's scope. Start over.
      state = await this.startOver(freshState(connection));
    } else if (state.tokenKey !== tokenFingerprint(connection.token)) {
      // A new token lifts a sign-in pause; ask again who we are, keep the cache unless the user changed.
      previousUserId = state.userId;
      state = { ...state, tokenKey: tokenFingerprint(connection.token), userId: undefined, failures: 0, nextAttemptAt: undefined, retryAfterUntil: undefined,
        status: state.status === 'signin' ? 'stale' : state.status };
      await db.syncState.put(state);
    }

    const now = this.deps.now();
    if (state.status === 'signin') return { ...report, outcome: 'paused' };
    if (state.retryAfterUntil && now < state.retryAfterUntil) return { ...report, outcome: 'waiting' };
    if (!manual && state.nextAttemptAt && now < state.nextAttemptAt) return { ...report, outcome: 'waiting' };

    const client = this.deps.createClient(connection);
    if (!state.userId) {
      report.requests++;
      const me = await client.me();
      if (!me.ok) return this.fail(state, me.error, report);
      const who = { userId: me.value.user.id, callWindowMinutes: me.value.settings.callWindowMinutes, hotThreshold: me.value.settings.hotThreshold };
      state = previousUserId && previousUserId !== who.userId
        ? await this.startOver({ ...freshState(connection), ...who })
        : { ...state, ...who };
      await db.syncState.put(state);
    }

    const followed = await this.deps.followedIds();
    let first = true;
    for (;;) {
      report.requests++;
      const result = await client.changes({
        cursor: state.cursor,
        limit: this.deps.pageLimit ?? 500,
        // Only an incremental poll can be "not modified"; snapshot pages are always new.
        etag: first && state.snapshotComplete ? state.etag : undefined,
      });
      first = false;
      if (!result.ok) return this.fail(state, result.error, report);
      if ('notModified' in result.value) {
        if (state.status !== 'ok') state = await this.recovered(state);
        return report;
      }
      const page = result.value;
      const unchanged = page.leads.length === 0 && page.removed.length === 0 && page.skipped.length === 0 && page.cursor === state.cursor;
      if (unchanged && !page.hasMore) {
        if (state.status !== 'ok') state = await this.recovered(state);
        return report;
      }
      state = await this.apply(state, page, followed, report);
      report.pages++;
      if (!page.hasMore) break;
    }
    report.outcome = 'updated';
    return report;
  }

  private async startOver(state: SyncStateRow): Promise<SyncStateRow> {
    const { db } = this.deps;
    await db.transaction('rw', db.leads, db.details, db.syncState, async () => {
      await Promise.all([db.leads.clear(), db.details.clear()]);
      await db.syncState.put(state);
    });
    return state;
  }

  /** One page and its cursor, in one transaction. */
  private async apply(state: SyncStateRow, page: ChangesPage, followed: ReadonlySet<string>, report: SyncReport): Promise<SyncStateRow> {
    const { db } = this.deps;
    const now = this.deps.now();
    const rows = page.leads.map((lead) => toLeadRow(lead, state.userId, followed));
    const next: SyncStateRow = {
      ...state,
      cursor: page.cursor,
      etag: page.etag,
      snapshotComplete: state.snapshotComplete || !page.hasMore,
      status: 'ok',
      lastSuccessAt: now,
      lastError: undefined,
      failures: 0,
      nextAttemptAt: undefined,
      retryAfterUntil: undefined,
      leadsReceived: state.leadsReceived + page.leads.length,
      skippedTotal: state.skippedTotal + page.skipped.length,
      recentSkipped: page.skipped.length ? [...page.skipped, ...state.recentSkipped].slice(0, RECENT_SKIPPED) : state.recentSkipped,
    };
    await db.transaction('rw', db.leads, db.details, db.syncState, async () => {
      const before = await db.leads.bulkGet(rows.map((row) => row.id));
      await db.leads.bulkPut(rows);
      if (page.removed.length) {
        await db.leads.bulkDelete(page.removed);
        await db.details.bulkDelete(page.removed);
      }
      await db.syncState.put(next);
      rows.forEach((row, i) => report.changes.push({ before: before[i]?.summary, after: row.summary }));
    });
    report.removed.push(...page.removed);
    report.skipped += page.skipped.length;
    return next;
  }

  private async recovered(state: SyncStateRow): Promise<SyncStateRow> {
    const next: SyncStateRow = { ...state, status: 'ok', lastSuccessAt: this.deps.now(), lastError: undefined, failures: 0, nextAttemptAt: undefined, retryAfterUntil: undefined };
    await this.deps.db.syncState.put(next);
    return next;
  }

  private async fail(state: SyncStateRow, error: ApiError, report: SyncReport): Promise<SyncReport> {
    const now = this.deps.now();
    const failures = state.failures + 1;
    const next: SyncStateRow = { ...state, failures, lastError: { kind: error.kind, message: error.message, at: now } };
    if (error.kind === 'unauthorized') {
      // Polling pauses until the settings change (a new token gives a new connection key).
      next.status = 'signin';
      next.nextAttemptAt = undefined;
    } else if (error.kind === 'rate_limited') {
      const delay = error.retryAfterMs ?? backoffDelay(failures, this.deps.random, this.deps.backoff ?? DEFAULT_BACKOFF);
      next.status = 'backoff';
      next.nextAttemptAt = now + delay;
      next.retryAfterUntil = error.retryAfterMs !== undefined ? now + error.retryAfterMs : undefined;
    } else {
      next.status = 'stale';
      next.nextAttemptAt = now + backoffDelay(failures, this.deps.random, this.deps.backoff ?? DEFAULT_BACKOFF);
    }
    await this.deps.db.syncState.put(next);
    return { ...report, outcome: 'failed', error };
  }
}
