/**
 * IndexedDB schema version 1 as extension 0.1.0 shipped it, frozen: its stores and the row it
 * wrote for a lead. The migration tests open a database with this code first, then with the
 * current code (utils/db/schema.ts), so an upgrade is tested against what users really have.
 * Never edit this file (tests/unit/db-migration.test.ts pins its hash): a schema change is the
 * next version in schema.ts, with an upgrade, and its own frozen module once it ships.
 */
import Dexie from 'dexie';

export const V1_STORES = {
  leads: 'id, [mine+band+cooldownAt], [mine+band+needAt], *refKeys, emailKey, ownerId',
  details: 'id, lastViewedAt',
  syncState: 'key',
  outbox: 'key, status, leadId, createdAt',
  notified: 'key, at',
} as const;

/** The lead summary fields version 1 read to build its row. */
export interface SummaryV1 {
  id: string;
  band: string;
  owner?: { id: string; name: string };
  email?: string;
  cooldownUntil?: string;
  needDetectedAt?: string;
  followed?: boolean;
  crmRefs: { crm: string; objectType: string; recordId: string }[];
}

export interface LeadRowV1<S extends SummaryV1 = SummaryV1> {
  id: string;
  summary: S;
  band: string;
  mine: 0 | 1;
  cooldownAt: number;
  needAt: number;
  refKeys: string[];
  emailKey?: string;
  ownerId?: string;
}

const time = (iso: string | undefined) => {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms : 0;
};

/** The row version 1 stored for a summary. */
export function leadRowV1<S extends SummaryV1>(summary: S, userId: string | undefined, followed: ReadonlySet<string>): LeadRowV1<S> {
  const mine = (userId !== undefined && summary.owner?.id === userId) || summary.followed === true || followed.has(summary.id);
  return {
    id: summary.id,
    summary,
    band: summary.band,
    mine: mine ? 1 : 0,
    cooldownAt: time(summary.cooldownUntil),
    needAt: time(summary.needDetectedAt),
    refKeys: summary.crmRefs.map((ref) => `${ref.crm}|${ref.objectType}|${ref.recordId}`),
    emailKey: summary.email ? summary.email.trim().toLowerCase() : undefined,
    ownerId: summary.owner?.id,
  };
}

/** A Dexie that knows only version 1, as the 0.1.0 background opened it. */
export function openV1(name: string): Dexie {
  const db = new Dexie(name);
  db.version(1).stores(V1_STORES);
  return db;
}
