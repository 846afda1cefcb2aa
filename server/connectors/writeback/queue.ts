/**
 * The outbox as the lead service sees it: inside the transaction that stores a call log or a
 * recycle, queue one delivery per configured target that has a record of this lead; after the
 * commit, wake the worker. A lead with no record in a target's CRM gets nothing queued there.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import { enqueue, type NewDelivery } from './store';
import type { CallItem, OutboxTarget, RecycleItem, TargetRef } from './types';

export type QueuedCall = Omit<CallItem, 'kind' | 'ref'>;
export type QueuedRecycle = Omit<RecycleItem, 'kind' | 'ref'>;

export class WriteBackQueue {
  constructor(readonly targets: readonly OutboxTarget[], private readonly onQueued: () => void = () => {}) {}

  private async refs(tx: Transaction<Database> | Kysely<Database>, orgId: string, leadId: string): Promise<TargetRef[]> {
    const rows = await tx.selectFrom('lead_refs').select(['crm', 'object_type', 'record_id', 'host'])
      .where('org_id', '=', orgId).where('lead_id', '=', leadId).orderBy('crm').orderBy('object_type').orderBy('record_key').execute();
    return rows.map((r) => ({ crm: r.crm, objectType: r.object_type, recordId: r.record_id, host: r.host }));
  }

  async queueCall(tx: Transaction<Database>, orgId: string, leadId: string, call: QueuedCall, now: number): Promise<number> {
    const targets = this.targets.filter((t) => t.kind === 'call' && t.orgId === orgId);
    if (targets.length === 0) return 0;
    const refs = await this.refs(tx, orgId, leadId);
    const rows: NewDelivery[] = [];
    for (const t of targets) {
      const ref = t.pick?.(refs);
      if (ref) rows.push({ target: t.id, leadId, item: { kind: 'call', ...call, ref } });
    }
    return enqueue(tx, orgId, rows, now);
  }

  async queueRecycle(tx: Transaction<Database>, orgId: string, leadId: string, recycle: QueuedRecycle, now: number): Promise<number> {
    const targets = this.targets.filter((t) => t.kind === 'recycle' && t.orgId === orgId);
    if (targets.length === 0) return 0;
    const refs = await this.refs(tx, orgId, leadId);
    const rows: NewDelivery[] = [];
    for (const t of targets) {
      // Recycle targets find the person by email; a ref is passed on when the target knows one.
      const ref = t.pick?.(refs);
      rows.push({ target: t.id, leadId, item: { kind: 'recycle', ...recycle, ...(ref ? { ref } : {}) } });
    }
    return enqueue(tx, orgId, rows, now);
  }

  /** Call after the transaction committed. */
  queued(): void {
    this.onQueued();
  }
}
