/**
 * The IndexedDB cache, opened by the background only (a content script's IndexedDB would be
 * the CRM site's). Versioned from the start: every schema change is a new `version(n)` with an
 * upgrade, and tests/unit/db-migration.test.ts opens a v1 database under the current code.
 *
 * Index design: every question the badge and the panel ask is an index range, never a scan.
 * - "hot and callable now, mine": [mine+band+cooldownAt] between [1,'hot',-∞] and [1,'hot',now]
 * - "window ending soon, mine":   [mine+band+needAt]
 * - "by CRM reference":           refKeys (multi-entry, "crm|objectType|recordId|tenant"; a ref
 *                                  without a tenant ends in "|" and stands for any), emailKey
 * - "by owner":                   ownerId
 * IndexedDB cannot index booleans or undefined, so flags are 0/1 and missing times are 0.
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { LeadDetail, LeadSummary } from '../api/contract';
import type { SkippedRecord } from '../api/client';
import type { ApiError, StorageError } from '../api/errors';
import { canonicalTenant, recordMatch } from '../crm/tenant';
import { watchCommits } from './committed';
import { V1_STORES } from './versions/v1';

export type Flag = 0 | 1;

export interface LeadRow {
  id: string;
  summary: LeadSummary;
  band: LeadSummary['band'];
  /** Owned by or followed by the signed-in user. */
  mine: Flag;
  /** Epoch ms of cooldownUntil; 0 when none. Callable now ⇔ cooldownAt <= now. */
  cooldownAt: number;
  /** Epoch ms of needDetectedAt; 0 when none. */
  needAt: number;
  refKeys: string[];
  emailKey?: string;
  ownerId?: string;
}

export interface DetailRow {
  id: string;
  detail: LeadDetail;
  fetchedAt: number;
  lastViewedAt: number;
}

export type SyncStatus = 'never' | 'ok' | 'stale' | 'signin' | 'backoff' | 'not_connected';

export interface SyncError {
  kind: string;
  /** English, for logs; the UI words it from `error` (errorText). */
  message: string;
  at: number;
  /** The error with its parameters (absent in rows written before 0.2). */
  error?: ApiError | StorageError;
}

export interface SyncStateRow {
  key: 'main';
  /** The server the cache came from; another server starts over. */
  apiUrl: string;
  /** Fingerprint of the token in use: a new token lifts a "sign in again" pause. */
  tokenKey: string;
  /** Who the cache belongs to; another user starts over. */
  userId?: string;
  callWindowMinutes?: number;
  hotThreshold?: number;
  /** The language the cached texts (reasons, labels, titles) were fetched in; another one re-fetches them. */
  language?: 'ja' | 'en';
  cursor?: string;
  etag?: string;
  /** The first full snapshot has been paged through to the end. */
  snapshotComplete: boolean;
  status: SyncStatus;
  lastSuccessAt?: number;
  lastError?: SyncError;
  failures: number;
  /** No automatic attempt before this time (backoff). */
  nextAttemptAt?: number;
  /** The server asked us (Retry-After) not to call before this time; "Sync now" honours it too. */
  retryAfterUntil?: number;
  leadsReceived: number;
  skippedTotal: number;
  /** The most recent invalid records, described (path and message). */
  recentSkipped: SkippedRecord[];
}

export type OutboxKind = 'activity' | 'recycle';
export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxRow {
  /** Also the Idempotency-Key sent with the request. */
  key: string;
  kind: OutboxKind;
  leadId: string;
  body: unknown;
  createdAt: number;
  status: OutboxStatus;
  attempts: number;
  lastError?: string;
  sentAt?: number;
  /** The server's answer (e.g. the stored TimelineEvent). */
  result?: unknown;
  /** Not sent before this time (epoch ms): the rep may still undo it. Not indexed. */
  holdUntil?: number;
}

export interface NotifiedRow {
  key: string;
  at: number;
}

export const DB_NAME = 'leadlens';

export type LeadLensDb = Dexie & {
  leads: EntityTable<LeadRow, 'id'>;
  details: EntityTable<DetailRow, 'id'>;
  syncState: EntityTable<SyncStateRow, 'key'>;
  outbox: EntityTable<OutboxRow, 'key'>;
  notified: EntityTable<NotifiedRow, 'key'>;
};

/** Schema history. Never edit a published version: add the next one. Published versions are
 *  frozen modules under ./versions/ (what users' databases were written by). */
export const SCHEMA_VERSIONS: Readonly<Record<number, Readonly<Record<string, string>>>> = {
  1: V1_STORES,
  // The tenant joins the record key (refKeys' values change, the index stays).
  2: {
    leads: 'id, [mine+band+cooldownAt], [mine+band+needAt], *refKeys, emailKey, ownerId',
    details: 'id, lastViewedAt',
    syncState: 'key',
    outbox: 'key, status, leadId, createdAt',
    notified: 'key, at',
  },
  // Object types and ids are matched as the server matches them (refKeys' values change again).
  3: {
    leads: 'id, [mine+band+cooldownAt], [mine+band+needAt], *refKeys, emailKey, ownerId',
    details: 'id, lastViewedAt',
    syncState: 'key',
    outbox: 'key, status, leadId, createdAt',
    notified: 'key, at',
  },
};

/** What each version does to the rows written before it. */
const UPGRADES: Record<number, (tx: Transaction) => Promise<unknown>> = {
  // Version 1 keyed a ref without its tenant: recompute every lead's keys from its refs.
  2: (tx) => tx.table<LeadRow>('leads').toCollection().modify((row) => { row.refKeys = refKeysOf(row.summary); }),
  3: (tx) => tx.table<LeadRow>('leads').toCollection().modify((row) => { row.refKeys = refKeysOf(row.summary); }),
};

export function openDb(name = DB_NAME): LeadLensDb {
  const db = new Dexie(name) as LeadLensDb;
  for (const [version, stores] of Object.entries(SCHEMA_VERSIONS)) {
    const declared = db.version(Number(version)).stores(stores);
    const upgrade = UPGRADES[Number(version)];
    if (upgrade) declared.upgrade(upgrade);
  }
  // Before the first open: Dexie builds its middleware stack when the database opens.
  watchCommits(db);
  return db;
}

/** A record's cache key, matched as the server matches it; without a host it is the key of a ref that names no tenant. */
export function refKey(crm: string, objectType: string, recordId: string, host?: string): string {
  const match = recordMatch(crm, objectType, recordId);
  return `${crm}|${match.objectType}|${match.recordId}|${host ? canonicalTenant(crm, host) : ''}`;
}

const refKeysOf = (summary: LeadSummary) => summary.crmRefs.map((ref) => refKey(ref.crm, ref.objectType, ref.recordId, ref.host));
export const emailKeyOf = (email: string) => email.trim().toLowerCase();

const time = (iso: string | undefined) => {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms : 0;
};

/** The stored row of a summary; `mine` needs to know who we are and whom we follow. */
export function toLeadRow(summary: LeadSummary, userId: string | undefined, followed: ReadonlySet<string>): LeadRow {
  const mine = (userId !== undefined && summary.owner?.id === userId) || summary.followed === true || followed.has(summary.id);
  return {
    id: summary.id,
    summary,
    band: summary.band,
    mine: mine ? 1 : 0,
    cooldownAt: time(summary.cooldownUntil),
    needAt: time(summary.needDetectedAt),
    refKeys: refKeysOf(summary),
    emailKey: summary.email ? emailKeyOf(summary.email) : undefined,
    ownerId: summary.owner?.id,
  };
}
