/**
 * A connector maps each source item to zero or more leads/events, or rejects it with a reason.
 * `Batch` keeps the source index of every produced item so that the sink's own rejections
 * (reported by the sink's index) are reported back in the source's indices.
 */
import type { IngestEvent, IngestLead } from '../contract/ingest';
import type { ConnectorResult, IngestSink, OrgCtx, Rejected } from './types';

export type MapOutcome =
  | { leads?: IngestLead[]; events?: IngestEvent[] }
  | { ignored: string }
  | { rejected: string };

export class Batch {
  readonly leads: IngestLead[] = [];
  readonly leadSource: number[] = [];
  readonly events: IngestEvent[] = [];
  readonly eventSource: number[] = [];
  readonly rejected: Rejected[] = [];
  ignored = 0;

  add(index: number, outcome: MapOutcome): void {
    if ('rejected' in outcome) { this.rejected.push({ index, error: outcome.rejected }); return; }
    if ('ignored' in outcome) { this.ignored += 1; return; }
    for (const lead of outcome.leads ?? []) { this.leads.push(lead); this.leadSource.push(index); }
    for (const event of outcome.events ?? []) { this.events.push(event); this.eventSource.push(index); }
  }

  reject(index: number, error: string): void {
    this.rejected.push({ index, error });
  }
}

/** Leads first (an event may name a lead created in the same delivery), then events. */
export async function submit(sink: IngestSink, org: OrgCtx, batch: Batch): Promise<ConnectorResult> {
  const result: ConnectorResult = {
    upserted: 0, accepted: 0, duplicates: 0, ignored: batch.ignored, rejected: [...batch.rejected],
  };
  if (batch.leads.length > 0) {
    const r = await sink.ingestLeads(org, batch.leads);
    result.upserted = r.upserted;
    for (const rej of r.rejected) result.rejected.push({ index: batch.leadSource[rej.index] ?? -1, error: rej.error });
  }
  if (batch.events.length > 0) {
    const r = await sink.ingestEvents(org, batch.events);
    result.accepted = r.accepted;
    result.duplicates = r.duplicates;
    for (const rej of r.rejected) result.rejected.push({ index: batch.eventSource[rej.index] ?? -1, error: rej.error });
  }
  result.rejected.sort((a, b) => a.index - b.index);
  return result;
}

/** Zod issues as one readable line: `path: message; ...`. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}
