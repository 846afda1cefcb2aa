/**
 * The sync engine: pages the scoring API's change feed into the IndexedDB cache.
 *
 * - First sync pages through the full snapshot; later ones send the cursor and If-None-Match.
 * - Each page and its cursor are written in one transaction; the fetch is always outside it,
 *   so a worker killed mid-sync resumes from the last committed cursor.
 * - An idle poll (304, or an empty delta with the same cursor) writes nothing.
 * - Never two syncs at once: callers share the sync in flight.
 * - No fault ever empties the cache: failures only change the sync state.
 * - Out of storage space (IndexedDB quota): cached details go first (they are fetched again on
 *   demand), then the page is tried once more; if it still does not fit, the summaries and the
 *   cursor stay as they were and the sync state says why.
 */
import type { ChangesPage, ScoringApiClient } from '../api/client';
import type { LeadSummary } from '../api/contract';
import type { ApiError, StorageError } from '../api/errors';
import { evictDetails } from '../db/queries';
import { toLeadRow, type LeadLensDb, type SyncStateRow } from '../db/schema';
import type { Connection } from '../settings';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';

export interface SyncDeps {
  db: LeadLensDb;
  loadConnection(): Promise<Connection | null>;
  createClient(connection: Connection): Pick<ScoringApiClient, 'me' | 'changes'>;
  followedIds(): Promise<ReadonlySet<string>>;
  /** The language the client asks the server for; when it differs from the cache's, the texts are fetched again. */
  language?(): 'ja' | 'en';
  now(): number;
  random(): number;
  pageLimit?: number;
  backoff?: BackoffPolicy;
}

/** A lead this sync wrote to the cache: its summary before (if it was cached) and after. */
export interface SyncedChange {
  before?: LeadSummary;
  after: LeadSummary;
}

export type SyncOutcome = 'updated' | 'idle' | 'waiting' | 'paused' | 'failed' | 'not_connected';

export type { StorageError } from '../api/errors';

export interface SyncReport {
  outcome: SyncOutcome;
  changes: SyncedChange[];
  removed: string[];
  requests: number;
  pages: number;
  skipped: number;
  error?: ApiError | StorageError;
  /**
   * The change feed's LeadLens-Policy header on the last answer: the team policy's ETag, null
   * when the server sent none (it serves no team policy); absent when no answer came.
   */
  policyTag?: string | null;
}

const RECENT_SKIPPED = 20;

/**
 * IndexedDB's "out of space", however it arrives: the DOMException itself (name
 * QuotaExceededError), Dexie's error of the same name, or either one wrapped as the `inner`
 * error of a failed transaction (AbortError), a `cause`, or one of a bulk write's failures.
 * https://dexie.org/docs/DexieErrors/Dexie.QuotaExceededError
 */
export function isQuotaError(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; inner?: unknown; cause?: unknown; failures?: unknown; failuresByPos?: unknown };
  if (e.name === 'QuotaExceededError') return true;
  const nested = [e.inner, e.cause, ...(Array.isArray(e.failures) ? e.failures : []),
    ...(typeof e.failuresByPos === 'object' && e.failuresByPos !== null ? Object.values(e.failuresByPos) : [])];
  return nested.some((inner) => isQuotaError(inner, depth + 1));
}

/** "09:05" in the browser's time zone, as the popup and the panel show times. */
function clock(ms: number): string {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

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
  private idleEtag: { cursor: string; etag: string } | undefined;

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

    const language = this.deps.language?.();
    if (language && state.language !== language) state = await this.relanguage(state, language);

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
        etag: first && state.snapshotComplete ? this.etagFor(state) : undefined,
      });
      first = false;
      if (!result.ok) return this.fail(state, result.error, report);
      report.policyTag = result.value.policyTag ?? null;
      if ('notModified' in result.value) {
        if (state.status !== 'ok') state = await this.recovered(state);
        return report;
      }
      const page = result.value;
      const unchanged = page.leads.length === 0 && page.removed.length === 0 && page.skipped.length === 0 && page.cursor === state.cursor;
      if (unchanged && !page.hasMore) {
        if (state.status !== 'ok') state = await this.recovered(state);
        // Remember, in memory only, the ETag that names "nothing since this cursor": the next idle
        // poll is a 304, and an idle poll still writes nothing (even if the server's ETag churns).
        if (page.etag) this.idleEtag = { cursor: page.cursor, etag: page.etag };
        return report;
      }
      const applied = await this.applyWithRoom(state, page, followed, report);
      if (!applied) return this.outOfStorage(state, report);
      state = applied;
      report.pages++;
      if (!page.hasMore) break;
    }
    report.outcome = 'updated';
    return report;
  }

  private etagFor(state: SyncStateRow): string | undefined {
    const idle = this.idleEtag;
    return idle && idle.cursor === state.cursor ? idle.etag : state.etag;
  }

  /**
   * The rep switched language: the server renders texts per request, so the cached summaries and
   * details speak the old one. The details go (they are fetched again on demand); the cursor is
   * dropped so the next pages are a fresh snapshot that overwrites every summary in place. Leads
   * stay on screen meanwhile: old words are better than none. The snapshot stays "complete" (the
   * leads are all there: the popup does not announce a first sync); with neither cursor nor ETag
   * the server pages everything again anyway.
   */
  private async relanguage(state: SyncStateRow, language: 'ja' | 'en'): Promise<SyncStateRow> {
    const { db } = this.deps;
    const next: SyncStateRow = { ...state, language, cursor: undefined, etag: undefined };
    this.idleEtag = undefined;
    await db.transaction('rw', db.details, db.syncState, async () => {
      await db.details.clear();
      await db.syncState.put(next);
    });
    return next;
  }

  private async startOver(state: SyncStateRow): Promise<SyncStateRow> {
    const { db } = this.deps;
    await db.transaction('rw', db.leads, db.details, db.syncState, async () => {
      await Promise.all([db.leads.clear(), db.details.clear()]);
      await db.syncState.put(state);
    });
    return state;
  }

  /**
   * Applies a page; when the browser is out of space, evicts every cached detail it can (all but
   * the hot leads': they are fetched again on demand) and tries once more. Undefined when the
   * page still does not fit: nothing of it was written, the previous cache and cursor stand.
   */
  private async applyWithRoom(state: SyncStateRow, page: ChangesPage, followed: ReadonlySet<string>, report: SyncReport): Promise<SyncStateRow | undefined> {
    try {
      return await this.apply(state, page, followed, report);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
    }
    // Eviction only deletes; should even that fail, the retry below tells whether there is room.
    await evictDetails(this.deps.db, 0).catch(() => 0);
    try {
      return await this.apply(state, page, followed, report);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      return undefined;
    }
  }

  /** One page and its cursor, in one transaction; the report learns of it once it is committed. */
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
    const changes = await db.transaction('rw', db.leads, db.details, db.syncState, async () => {
      // Until the snapshot is complete the cache holds only what this snapshot wrote (it started
      // from a cleared cache), so there is nothing "before" to read: a first sync writes only.
      const before = state.snapshotComplete ? await db.leads.bulkGet(rows.map((row) => row.id)) : [];
      await db.leads.bulkPut(rows);
      if (page.removed.length) {
        await db.leads.bulkDelete(page.removed);
        await db.details.bulkDelete(page.removed);
      }
      await db.syncState.put(next);
      return rows.map((row, i): SyncedChange => ({ before: before[i]?.summary, after: row.summary }));
    });
    report.changes.push(...changes);
    report.removed.push(...page.removed);
    report.skipped += page.skipped.length;
    return next;
  }

  private async recovered(state: SyncStateRow): Promise<SyncStateRow> {
    const next: SyncStateRow = { ...state, status: 'ok', lastSuccessAt: this.deps.now(), lastError: undefined, failures: 0, nextAttemptAt: undefined, retryAfterUntil: undefined };
    await this.deps.db.syncState.put(next);
    return next;
  }

  /** A page that does not fit even after eviction: stale, with the reason in words, and a later retry. */
  private async outOfStorage(state: SyncStateRow, report: SyncReport): Promise<SyncReport> {
    const now = this.deps.now();
    const failures = state.failures + 1;
    const error: StorageError = {
      kind: 'storage',
      asOf: state.lastSuccessAt ?? now,
      message: `The browser is out of storage space for LeadLens: older lead details were removed; the lead list is kept as of ${clock(state.lastSuccessAt ?? now)}`,
    };
    const next: SyncStateRow = {
      ...state, status: 'stale', failures, lastError: { kind: error.kind, message: error.message, at: now, error },
      nextAttemptAt: now + backoffDelay(failures, this.deps.random, this.deps.backoff ?? DEFAULT_BACKOFF),
    };
    try {
      await this.deps.db.syncState.put(next);
    } catch (writeError) {
      // Not even the sync state fits: the cache stays as it was, and the report still says why.
      if (!isQuotaError(writeError)) throw writeError;
    }
    return { ...report, outcome: 'failed', error };
  }

  private async fail(state: SyncStateRow, error: ApiError, report: SyncReport): Promise<SyncReport> {
    const now = this.deps.now();
    const failures = state.failures + 1;
    const next: SyncStateRow = { ...state, failures, lastError: { kind: error.kind, message: error.message, at: now, error } };
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
