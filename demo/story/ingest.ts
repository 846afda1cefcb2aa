/**
 * The story data (./dataset.ts) as generic ingest batches: what a connector would send
 * for these leads and their history. Every event keeps its real timestamp, so the server's own
 * scoring makes the featured leads hot or almost hot; event ids are the story's stable ids, so
 * a second seed of the same data set is all duplicates.
 */
import type { IngestEvent, IngestLead } from '../../server/contract/ingest';
import type { Dataset } from './dataset';

/** A fictional number per lead, stable for its id: Tokyo 03-5xxx-xxxx, or a 555-01xx number for English names. */
export function storyPhone(leadId: string, name: string): string {
  let h = 0;
  for (const c of leadId) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  const four = String(h % 10_000).padStart(4, '0');
  return /[A-Za-z]/.test(name) ? `+1 206-555-01${four.slice(0, 2)}` : `03-5${four.slice(0, 3)}-${four}`;
}

export function ingestPayloads(dataset: Dataset, team: string): { leads: IngestLead[]; events: IngestEvent[] } {
  const emailOf = new Map(dataset.users.map((u) => [u.id, u.email]));
  const leads: IngestLead[] = [];
  const events: IngestEvent[] = [];
  for (const { profile, events: history } of dataset.leads) {
    const ownerEmail = profile.owner ? emailOf.get(profile.owner.id) : undefined;
    leads.push({
      externalId: profile.id,
      name: profile.name,
      ...(profile.company !== undefined ? { company: profile.company } : {}),
      ...(profile.email !== undefined ? { email: profile.email } : {}),
      phone: storyPhone(profile.id, profile.name),
      ...(ownerEmail ? { ownerEmail } : {}),
      team,
      ...(profile.jobTitle !== undefined ? { jobTitle: profile.jobTitle } : {}),
      ...(profile.employees !== undefined ? { employees: profile.employees } : {}),
      crmRefs: profile.crmRefs,
    });
    for (const e of history) {
      events.push({
        id: e.id,
        lead: { externalId: profile.id },
        type: e.type,
        at: new Date(e.at).toISOString(),
        title: e.title,
        ...(e.detail !== undefined ? { detail: e.detail } : {}),
        ...(e.url !== undefined ? { url: e.url } : {}),
        ...(e.channel !== undefined ? { channel: e.channel } : {}),
        ...(e.meta !== undefined ? { meta: e.meta } : {}),
      });
    }
  }
  return { leads, events };
}
