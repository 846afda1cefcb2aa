/**
 * Writes to the scoring API (call logs, recycles) go through an outbox in IndexedDB: each is
 * stored first with its idempotency key, then delivered. Nothing is lost across restarts or
 * outages, and nothing is sent twice: the key makes a repeated delivery return the first answer.
 */
import type { ScoringApiClient } from '../api/client';
import { ActivityRequest, RecycleRequest, type TimelineEvent } from '../api/contract';
import type { ApiError } from '../api/errors';
import type { LeadLensDb, OutboxKind, OutboxRow } from '../db/schema';
import type { Connection } from '../settings';

export interface OutboxDeps {
  db: LeadLensDb;
  loadConnection(): Promise<Connection | null>;
  createClient(connection: Connection): Pick<ScoringApiClient, 'logActivity' | 'recycle'>;
  now(): number;
  newKey(): string;
}

export interface DeliveryReport {
  sent: OutboxRow[];
  failed: OutboxRow[];
  pending: number;
}

/** Errors that will not go away by retrying the same request (a 4xx other than auth and rate limits). */
function isPermanent(error: ApiError): boolean {
  if (error.kind === 'not_found' || error.kind === 'bad_shape' || error.kind === 'config') return true;
  return error.kind === 'server' && error.status >= 400 && error.status < 500 && error.status !== 408;
}

export class Outbox {
  private delivering: Promise<DeliveryReport> | undefined;

  constructor(private readonly deps: OutboxDeps) {}

  /**
   * Validates and stores a write; delivery happens separately (and again after every failure).
   * `holdMs`: not sent before this long has passed, so the rep can still withdraw it (undo).
   */
  async enqueue(kind: OutboxKind, leadId: string, body: unknown, holdMs = 0): Promise<OutboxRow> {
    const parsed = kind === 'activity' ? ActivityRequest.parse(body) : RecycleRequest.parse(body);
    const createdAt = this.deps.now();
    const row: OutboxRow = {
      key: this.deps.newKey(), kind, leadId, body: parsed, createdAt, status: 'pending', attempts: 0, ...(holdMs > 0 ? { holdUntil: createdAt + holdMs } : {}),
    };
    await this.deps.db.outbox.add(row);
    return row;
  }

  /** Withdraws a write that has not been sent (nor tried) yet; false when it is too late. */
  async withdraw(key: string, leadId: string): Promise<boolean> {
    const { db } = this.deps;
    return db.transaction('rw', db.outbox, async () => {
      const row = await db.outbox.get(key);
      if (!row || row.leadId !== leadId || row.status !== 'pending' || row.attempts > 0) return false;
      await db.outbox.delete(key);
      return true;
    });
  }

  /** Delivers every pending write once; concurrent callers share the run. */
  deliver(): Promise<DeliveryReport> {
    this.delivering ??= this.run().finally(() => {
      this.delivering = undefined;
    });
    return this.delivering;
  }

  pendingFor(leadId: string): Promise<OutboxRow[]> {
    return this.deps.db.outbox.where('leadId').equals(leadId).filter((row) => row.status !== 'sent').sortBy('createdAt');
  }

  private async run(): Promise<DeliveryReport> {
    const { db } = this.deps;
    const report: DeliveryReport = { sent: [], failed: [], pending: 0 };
    const now = this.deps.now();
    // Held writes (still undoable) wait for a later run; the rest go out in order.
    const pending = (await db.outbox.where('status').equals('pending').sortBy('createdAt')).filter((row) => (row.holdUntil ?? 0) <= now);
    const connection = pending.length ? await this.deps.loadConnection() : null;
    if (!connection) return { ...report, pending: pending.length };
    const client = this.deps.createClient(connection);
    for (const row of pending) {
      const result = row.kind === 'activity'
        ? await client.logActivity(row.leadId, ActivityRequest.parse(row.body), row.key)
        : await client.recycle(row.leadId, RecycleRequest.parse(row.body), row.key);
      const attempts = row.attempts + 1;
      if (result.ok) {
        const done: OutboxRow = { ...row, attempts, status: 'sent', sentAt: this.deps.now(), result: result.value, lastError: undefined };
        await db.outbox.put(done);
        report.sent.push(done);
      } else if (isPermanent(result.error)) {
        const failed: OutboxRow = { ...row, attempts, status: 'failed', lastError: result.error.message };
        await db.outbox.put(failed);
        report.failed.push(failed);
      } else {
        await db.outbox.put({ ...row, attempts, lastError: result.error.message });
        report.pending++;
        // The API is unreachable, overloaded or refusing the token: the rest would fail the same way.
        if (result.error.kind !== 'server') {
          report.pending += pending.length - pending.indexOf(row) - 1;
          break;
        }
      }
    }
    return report;
  }
}

/** The event a delivered call log became, for the timeline. */
export function sentEvent(row: OutboxRow): TimelineEvent | undefined {
  const result = row.result as { event?: TimelineEvent } | undefined;
  return result?.event;
}
