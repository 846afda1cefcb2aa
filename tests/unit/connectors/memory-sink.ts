/**
 * An in-memory IngestSink with the contract's guarantees: each item validated on its own with
 * the generic ingest schemas (rejected by index with the reason), events idempotent by id
 * (within a batch and across batches), leads upserted by externalId. Tests only.
 */
import { IngestEvent, IngestLead } from '../../../server/contract/ingest';
import type { IngestSink, OrgCtx } from '../../../server/connectors/types';

export class MemorySink implements IngestSink {
  readonly leads = new Map<string, IngestLead & { orgId: string }>();
  readonly events = new Map<string, IngestEvent & { orgId: string }>();
  calls = 0;

  async ingestLeads(org: OrgCtx, items: unknown[]) {
    this.calls += 1;
    const rejected: { index: number; error: string }[] = [];
    let upserted = 0;
    items.forEach((item, index) => {
      const r = IngestLead.safeParse(item);
      if (!r.success) { rejected.push({ index, error: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }); return; }
      this.leads.set(`${org.orgId}/${r.data.externalId}`, { ...r.data, orgId: org.orgId });
      upserted += 1;
    });
    return { upserted, rejected };
  }

  async ingestEvents(org: OrgCtx, items: unknown[]) {
    this.calls += 1;
    const rejected: { index: number; error: string }[] = [];
    let accepted = 0;
    let duplicates = 0;
    items.forEach((item, index) => {
      const r = IngestEvent.safeParse(item);
      if (!r.success) { rejected.push({ index, error: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }); return; }
      const key = `${org.orgId}/${r.data.id}`;
      if (this.events.has(key)) { duplicates += 1; return; }
      this.events.set(key, { ...r.data, orgId: org.orgId });
      accepted += 1;
    });
    return { accepted, duplicates, rejected };
  }

  eventList(): (IngestEvent & { orgId: string })[] {
    return [...this.events.values()];
  }
}
