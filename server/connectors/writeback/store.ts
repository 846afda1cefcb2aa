/**
 * The outbox table's queries. Rows are claimed with a lease under `FOR UPDATE SKIP LOCKED`, so
 * two server processes on one PostgreSQL never hold the same row; a row whose worker died
 * comes back once its lease runs out. Attempts are counted when claimed, so a send cut short
 * by a crash still counts (and the next one knows it may have landed).
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, OutboxTable } from '../../db/schema';
import type { OutboxItem } from './types';

export type OutboxRow = Omit<OutboxTable, 'attempts' | 'payload'> & { attempts: number; payload: OutboxItem };
export type OutboxStatus = OutboxTable['status'];

export type NewDelivery = { target: string; leadId: string; item: OutboxItem };

/** Queues deliveries inside the caller's transaction; a key already queued is left alone. */
export async function enqueue(tx: Transaction<Database> | Kysely<Database>, orgId: string, rows: readonly NewDelivery[], now: number): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await tx.insertInto('outbox').values(rows.map((r) => ({
    org_id: orgId,
    id: `ob_${randomBytes(9).toString('base64url')}`,
    idem_key: `${r.item.activityId}:${r.target}`,
    kind: r.item.kind,
    target: r.target,
    lead_id: r.leadId,
    payload: JSON.stringify(r.item),
    status: 'pending' as const,
    next_attempt_at: now,
    lease_until: null,
    lease_owner: null,
    last_status: null,
    last_answer: null,
    remote_id: null,
    created_at: now,
    updated_at: now,
  }))).onConflict((oc) => oc.columns(['org_id', 'idem_key']).doNothing()).returning('id').execute();
  return inserted.length;
}

/** Takes up to `limit` due rows for `owner` until `now + leaseMs`. */
export async function claim(db: Kysely<Database>, owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxRow[]> {
  const { rows } = await sql<OutboxRow>`
    update outbox set lease_owner = ${owner}, lease_until = ${now + leaseMs}, attempts = attempts + 1
    where (org_id, id) in (
      select org_id, id from outbox
      where status = 'pending' and next_attempt_at <= ${now} and (lease_until is null or lease_until <= ${now})
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    )
    returning *`.execute(db);
  return rows;
}

export type Finish = {
  status: OutboxStatus;
  nextAttemptAt: number;
  lastStatus: string;
  lastAnswer: string;
  remoteId?: string;
};

/** Records an attempt's result; only the lease holder may (a row taken over after a lapse is not overwritten). */
export async function finish(db: Kysely<Database>, row: Pick<OutboxRow, 'org_id' | 'id'>, owner: string, f: Finish, now: number): Promise<boolean> {
  const r = await db.updateTable('outbox').set({
    status: f.status, next_attempt_at: f.nextAttemptAt, lease_owner: null, lease_until: null,
    last_status: f.lastStatus, last_answer: f.lastAnswer, ...(f.remoteId ? { remote_id: f.remoteId } : {}), updated_at: now,
  }).where('org_id', '=', row.org_id).where('id', '=', row.id).where('lease_owner', '=', owner).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type OutboxView = {
  id: string; kind: string; target: string; leadId: string; status: OutboxStatus; attempts: number;
  nextAttemptAt: string; lastStatus: string | null; lastAnswer: string | null; remoteId: string | null;
  activityId: string; createdAt: string; updatedAt: string;
};

const view = (r: OutboxRow): OutboxView => ({
  id: r.id, kind: r.kind, target: r.target, leadId: r.lead_id, status: r.status, attempts: r.attempts,
  nextAttemptAt: new Date(r.next_attempt_at).toISOString(), lastStatus: r.last_status, lastAnswer: r.last_answer,
  remoteId: r.remote_id, activityId: r.payload.activityId, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
});

/** The admin's view: newest first, optionally one status. */
export async function list(db: Kysely<Database>, orgId: string, status: OutboxStatus | undefined, limit: number): Promise<OutboxView[]> {
  let q = db.selectFrom('outbox').selectAll().where('org_id', '=', orgId);
  if (status) q = q.where('status', '=', status);
  const rows = await q.orderBy('updated_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map((r) => view(r as unknown as OutboxRow));
}

export async function counts(db: Kysely<Database>, orgId: string): Promise<Record<OutboxStatus, number>> {
  const rows = await db.selectFrom('outbox').select(['status', db.fn.countAll<number>().as('n')]).where('org_id', '=', orgId).groupBy('status').execute();
  const out: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** The admin's retry: a failed row is due again now with a fresh set of attempts. */
export async function retryNow(db: Kysely<Database>, orgId: string, id: string, now: number): Promise<OutboxView | undefined> {
  const r = await db.updateTable('outbox').set({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now })
    .where('org_id', '=', orgId).where('id', '=', id).where('status', '=', 'failed').returningAll().executeTakeFirst();
  return r ? view(r as unknown as OutboxRow) : undefined;
}
