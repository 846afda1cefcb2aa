/**
 * The one ingest path every source goes through (generic JSON routes, connectors, CSV import):
 * validate each item on its own (one bad item is rejected with its index and reason, the rest
 * kept), store, re-score the touched leads and bump them in the feed before returning, then
 * notify subscribers after commit.
 *
 * An event whose lead is unknown is rejected (`unknown lead`), never invented: a stub with only
 * an email would reach a rep's list without a name or an owner. Send the lead first.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import {
  IngestEvent, IngestEventsResponse, IngestLead, IngestLeadsResponse, MAX_INGEST_BATCH, type LeadKey,
} from '../contract/ingest';
import { newId } from '../auth/tokens';
import { HttpError } from '../errors';
import type { Deps, OrgCtx } from './context';
import { refKey } from './refs';
import type { LeadEvent } from '../scoring/model';
import { lockOrg, rescoreLeads } from './rescore';

type Rejected = { index: number; error: string };

const MAX_META_BYTES = 8 * 1024;

/** The stored lead equals the upserted one (v) in every column an upsert writes. */
const SAME_LEAD = `(l.name, l.company, l.email, l.phone, l.owner_id, l.team, l.job_title, l.employees)
  is not distinct from (v.name, v.company, v.email, v.phone, v.owner_id, v.team, v.job_title, v.employees)`;

const issueText = (error: z.ZodError): string =>
  error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');

function tooMany(n: number): string | undefined {
  return n > MAX_INGEST_BATCH ? `at most ${MAX_INGEST_BATCH} items per request` : undefined;
}

export async function ingestLeads(deps: Deps, ctx: OrgCtx, items: unknown[]): Promise<z.infer<typeof IngestLeadsResponse>> {
  const over = tooMany(items.length);
  if (over) throw new HttpError(400, 'batch_too_large', over);
  const rejected: Rejected[] = [];
  // The last item wins when a batch names one externalId twice.
  const valid = new Map<string, { index: number; lead: IngestLead }>();
  items.forEach((item, index) => {
    const r = IngestLead.safeParse(item);
    if (!r.success) rejected.push({ index, error: issueText(r.error) });
    else valid.set(r.data.externalId, { index, lead: r.data });
  });
  if (valid.size === 0) return { upserted: 0, rejected };
  const now = deps.clock();
  const { orgId } = ctx;
  const result = await deps.db.transaction().execute(async (tx) => {
    // Before the lead rows below are written: the re-score at the end takes it anyway.
    await lockOrg(tx, orgId);
    const entries = [...valid.values()];
    const ownerEmails = [...new Set(entries.map((e) => e.lead.ownerEmail?.toLowerCase()).filter((e): e is string => !!e))];
    const owners = ownerEmails.length === 0 ? [] : await tx.selectFrom('users').select(['id', 'email', 'team'])
      .where('org_id', '=', orgId).where(sql<string>`lower(email)`, 'in', ownerEmails).where('role', 'in', ['rep', 'manager']).execute();
    const ownerByEmail = new Map(owners.map((o) => [o.email.toLowerCase(), o]));
    const existing = await tx.selectFrom('leads').select(['id', 'external_id', 'owner_id', 'team']).where('org_id', '=', orgId)
      .where('external_id', 'in', [...valid.keys()]).execute();
    const byExternal = new Map(existing.map((l) => [l.external_id, l]));
    const rows = entries.map(({ lead }) => {
      const owner = lead.ownerEmail ? ownerByEmail.get(lead.ownerEmail.toLowerCase()) : undefined;
      const before = byExternal.get(lead.externalId);
      const ownerId = owner?.id ?? null;
      const team = lead.team ?? owner?.team ?? null;
      const scopeMoved = before !== undefined && (before.owner_id !== ownerId || before.team !== team);
      return {
        id: before?.id ?? newId('ld_'),
        external_id: lead.externalId,
        name: lead.name,
        company: lead.company ?? null,
        email: lead.email ?? null,
        phone: lead.phone ?? null,
        owner_id: ownerId,
        team,
        job_title: lead.jobTitle ?? null,
        employees: lead.employees ?? null,
        scopeMoved,
        prev_owner_id: scopeMoved ? (before?.owner_id ?? null) : undefined,
        prev_team: scopeMoved ? (before?.team ?? null) : undefined,
        lead,
      };
    });
    const fresh = rows.filter((r) => !byExternal.has(r.external_id));
    for (let i = 0; i < fresh.length; i += 500) {
      await tx.insertInto('leads').values(fresh.slice(i, i + 500).map((r) => ({
        org_id: orgId, id: r.id, external_id: r.external_id, name: r.name, company: r.company, email: r.email, phone: r.phone,
        owner_id: r.owner_id, team: r.team, job_title: r.job_title, employees: r.employees, created_at: now,
        // seq 0 + an empty fingerprint: the re-score below gives every new lead its first seq.
        seq: 0, fingerprint: '', score: '{}', scored_at: now, updated_at: now, prev_owner_id: null, prev_team: null,
      }))).execute();
    }
    const changed = rows.filter((r) => byExternal.has(r.external_id));
    if (changed.length > 0) {
      const payload = JSON.stringify(changed.map((r) => ({
        id: r.id, name: r.name, company: r.company, email: r.email, phone: r.phone, owner_id: r.owner_id, team: r.team,
        job_title: r.job_title, employees: r.employees, moved: r.scopeMoved, prev_owner_id: r.prev_owner_id ?? null, prev_team: r.prev_team ?? null,
      })));
      await sql`
        update leads as l set name = v.name, company = v.company, email = v.email, phone = v.phone, owner_id = v.owner_id,
          team = v.team, job_title = v.job_title, employees = v.employees,
          -- A re-import of an unchanged lead (a nightly CRM sync) is not a change: its time and its
          -- stored feed summary (which carries that time) stay; a changed one's summary is stale
          -- until the re-score below rebuilds it, and the feed builds it from these columns meanwhile.
          updated_at = case when ${sql.raw(SAME_LEAD)} then l.updated_at else ${now} end,
          feed_view_seq = case when ${sql.raw(SAME_LEAD)} then l.feed_view_seq else null end,
          prev_owner_id = case when v.moved then v.prev_owner_id else l.prev_owner_id end,
          prev_team = case when v.moved then v.prev_team else l.prev_team end
        from jsonb_to_recordset(${payload}::jsonb) as v(id text, name text, company text, email text, phone text, owner_id text,
          team text, job_title text, employees integer, moved boolean, prev_owner_id text, prev_team text)
        where l.org_id = ${orgId} and l.id = v.id`.execute(tx);
    }
    // crmRefs, when given, replace the lead's refs; a ref another lead held moves to this one.
    const withRefs = rows.filter((r) => r.lead.crmRefs !== undefined);
    // Leads that lose a ref to another lead here: re-scored too, so their feed entry (and stored
    // summary) no longer lists it — a CRM page must not open the lead that used to hold it.
    const losers: string[] = [];
    if (withRefs.length > 0) {
      const keys = withRefs.flatMap((r) => (r.lead.crmRefs ?? []).map((ref) => {
        const k = refKey(ref.crm, ref.objectType, ref.recordId, ref.host);
        return { crm: k.crm, object_type: k.objectType, record_key: k.recordKey, host: k.host };
      }));
      if (keys.length > 0) {
        const ids = new Set(withRefs.map((r) => r.id));
        const held = await sql<{ lead_id: string }>`
          select distinct r.lead_id from lead_refs r
          join jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(crm text, object_type text, record_key text, host text)
            on r.crm = k.crm and r.object_type = k.object_type and r.record_key = k.record_key and r.host = k.host
          where r.org_id = ${orgId}`.execute(tx);
        for (const { lead_id } of held.rows) if (!ids.has(lead_id)) losers.push(lead_id);
      }
      await tx.deleteFrom('lead_refs').where('org_id', '=', orgId).where('lead_id', 'in', withRefs.map((r) => r.id)).execute();
      const refRows = new Map<string, { org_id: string; lead_id: string; crm: string; object_type: string; record_key: string; host: string; record_id: string; url: string | null }>();
      for (const r of withRefs) {
        for (const ref of r.lead.crmRefs ?? []) {
          const k = refKey(ref.crm, ref.objectType, ref.recordId, ref.host);
          refRows.set(`${k.crm}|${k.objectType}|${k.recordKey}|${k.host}`, {
            org_id: orgId, lead_id: r.id, crm: k.crm, object_type: k.objectType, record_key: k.recordKey, host: k.host, record_id: ref.recordId, url: ref.url ?? null,
          });
        }
      }
      const all = [...refRows.values()];
      for (let i = 0; i < all.length; i += 500) {
        await tx.insertInto('lead_refs').values(all.slice(i, i + 500))
          .onConflict((oc) => oc.columns(['org_id', 'crm', 'object_type', 'record_key', 'host']).doUpdateSet((eb) => ({
            lead_id: eb.ref('excluded.lead_id'), record_id: eb.ref('excluded.record_id'), url: eb.ref('excluded.url'),
          })))
          .execute();
      }
    }
    const { changed: bumped, seq } = await rescoreLeads(tx, orgId, [...rows.map((r) => r.id), ...losers], now);
    return { bumped, seq };
  });
  if (result.seq !== undefined) deps.notifier.emit({ orgId, leadIds: result.bumped, seq: result.seq });
  rejected.sort((a, b) => a.index - b.index);
  return { upserted: valid.size, rejected };
}

type KeyedEvent = { index: number; event: IngestEvent };

/** Finds each event's lead by its key; returns leadId per item index. */
async function resolveLeads(deps: Deps, orgId: string, items: readonly KeyedEvent[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const byExternal = new Map<string, number[]>();
  const byEmail = new Map<string, number[]>();
  const byRef: { i: number; crm: string; object_type: string; record_key: string; host: string }[] = [];
  const push = (m: Map<string, number[]>, k: string, i: number): void => {
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  };
  for (const { index, event } of items) {
    const key: LeadKey = event.lead;
    if ('externalId' in key) push(byExternal, key.externalId, index);
    else if ('email' in key) push(byEmail, key.email.toLowerCase(), index);
    else {
      const k = refKey(key.crm, key.objectType, key.recordId, key.host);
      byRef.push({ i: index, crm: k.crm, object_type: k.objectType, record_key: k.recordKey, host: k.host });
    }
  }
  const db = deps.db;
  if (byExternal.size > 0) {
    const rows = await db.selectFrom('leads').select(['id', 'external_id']).where('org_id', '=', orgId).where('external_id', 'in', [...byExternal.keys()]).execute();
    for (const r of rows) for (const i of byExternal.get(r.external_id) ?? []) out.set(i, r.id);
  }
  if (byEmail.size > 0) {
    // Several leads may share an address (a person in two CRMs): the oldest one takes the event.
    const rows = await db.selectFrom('leads').select(['id', sql<string>`lower(email)`.as('email')]).where('org_id', '=', orgId)
      .where(sql<string>`lower(email)`, 'in', [...byEmail.keys()]).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    for (const r of rows) for (const i of byEmail.get(r.email) ?? []) out.set(i, r.id);
  }
  if (byRef.length > 0) {
    const rows = await sql<{ i: number; lead_id: string; exact: boolean }>`
      select v.i, r.lead_id, (r.host = v.host) as exact
      from jsonb_to_recordset(${JSON.stringify(byRef)}::jsonb) as v(i int, crm text, object_type text, record_key text, host text)
      join lead_refs r on r.org_id = ${orgId} and r.crm = v.crm and r.object_type = v.object_type and r.record_key = v.record_key
        and (r.host = v.host or r.host = '' or v.host = '')`.execute(db);
    // A tenant-exact match wins over a ref stored without a host; an event without a host that
    // matches records in several tenants is ambiguous and stays unresolved.
    const best = new Map<number, { lead: string; exact: boolean; ambiguous: boolean }>();
    for (const r of rows.rows) {
      const cur = best.get(r.i);
      if (!cur || (r.exact && !cur.exact)) best.set(r.i, { lead: r.lead_id, exact: r.exact, ambiguous: false });
      else if (r.exact === cur.exact && cur.lead !== r.lead_id) cur.ambiguous = true;
    }
    for (const [i, b] of best) if (!b.ambiguous) out.set(i, b.lead);
  }
  return out;
}

export async function ingestEvents(deps: Deps, ctx: OrgCtx, items: unknown[]): Promise<z.infer<typeof IngestEventsResponse>> {
  const over = tooMany(items.length);
  if (over) throw new HttpError(400, 'batch_too_large', over);
  const rejected: Rejected[] = [];
  const valid: KeyedEvent[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  items.forEach((item, index) => {
    const r = IngestEvent.safeParse(item);
    if (!r.success) {
      rejected.push({ index, error: issueText(r.error) });
      return;
    }
    if (r.data.meta !== undefined && JSON.stringify(r.data.meta).length > MAX_META_BYTES) {
      rejected.push({ index, error: `meta: larger than ${MAX_META_BYTES} bytes` });
      return;
    }
    if (seen.has(r.data.id)) {
      duplicates += 1;
      return;
    }
    seen.add(r.data.id);
    valid.push({ index, event: r.data });
  });
  const { orgId } = ctx;
  const now = deps.clock();
  const leadOf = valid.length > 0 ? await resolveLeads(deps, orgId, valid) : new Map<number, string>();
  const rows: { org_id: string; id: string; lead_id: string; at: number; type: string; title: string; detail: string | null; url: string | null; channel: string | null; actor: string | null; meta: Record<string, unknown> | null; received_at: number }[] = [];
  // What the model reads of each row, by event id: re-scoring folds these into the leads' states.
  const modelEvents = new Map<string, LeadEvent>();
  for (const { index, event } of valid) {
    const leadId = leadOf.get(index);
    if (!leadId) {
      rejected.push({ index, error: 'unknown lead: ingest the lead first (or name it by externalId, email or a CRM record with its host)' });
      continue;
    }
    rows.push({
      org_id: orgId, id: event.id, lead_id: leadId, at: Date.parse(event.at), type: event.type, title: event.title ?? '',
      detail: event.detail ?? null, url: event.url ?? null, channel: event.channel ?? null, actor: null,
      meta: event.meta ?? null, received_at: now,
    });
    modelEvents.set(event.id, {
      id: event.id, at: Date.parse(event.at), type: event.type, title: event.title ?? '',
      ...(event.channel !== undefined ? { channel: event.channel } : {}),
      ...(event.meta !== undefined ? { meta: event.meta } : {}),
    });
  }
  let accepted = 0;
  let outcome: { bumped: string[]; seq: number | undefined } = { bumped: [], seq: undefined };
  if (rows.length > 0) {
    outcome = await deps.db.transaction().execute(async (tx) => {
      // Every piece of the insert is queued at once and answered before re-scoring takes the
      // organisation row: a piece that waited on an event id another writer has not committed
      // yet, while this batch held the row, would deadlock with that writer when it asks for the
      // row. Waiting for the answer costs one round trip, and a batch that stored nothing (a
      // replay) never queues behind the organisation's other writers.
      const pieces: Promise<{ id: string; lead_id: string }[]>[] = [];
      for (let i = 0; i < rows.length; i += 1000) {
        // Event ids are idempotent forever: a replay hits the primary key and is not inserted,
        // so only what was inserted now reaches the leads' running states.
        // One JSON parameter instead of twelve per row: binding 12,000 parameters cost the
        // embedded engine about as much again as the insert itself.
        const payload = JSON.stringify(rows.slice(i, i + 1000));
        pieces.push(sql<{ id: string; lead_id: string }>`
          insert into events (org_id, id, lead_id, at, type, title, detail, url, channel, actor, meta, received_at)
          select v.org_id, v.id, v.lead_id, v.at, v.type, v.title, v.detail, v.url, v.channel, v.actor, v.meta, v.received_at
          from jsonb_to_recordset(${payload}::jsonb) as v(org_id text, id text, lead_id text, at bigint, type text, title text, detail text,
            url text, channel text, actor text, meta jsonb, received_at bigint)
          on conflict (org_id, id) do nothing returning id, lead_id`.execute(tx).then((r) => r.rows));
      }
      // The first piece's error, not a later piece refused by the aborted transaction.
      const settled = await Promise.allSettled(pieces);
      const fresh = new Map<string, LeadEvent[]>();
      for (const piece of settled) {
        if (piece.status === 'rejected') throw piece.reason;
        accepted += piece.value.length;
        for (const r of piece.value) {
          const e = modelEvents.get(r.id);
          if (!e) continue;
          const list = fresh.get(r.lead_id);
          if (list) list.push(e);
          else fresh.set(r.lead_id, [e]);
        }
      }
      if (fresh.size === 0) return { bumped: [], seq: undefined };
      const { changed, seq } = await rescoreLeads(tx, orgId, [...fresh.keys()], now, undefined, fresh);
      return { bumped: changed, seq };
    });
    duplicates += rows.length - accepted;
  }
  if (outcome.seq !== undefined) deps.notifier.emit({ orgId, leadIds: outcome.bumped, seq: outcome.seq });
  rejected.sort((a, b) => a.index - b.index);
  return { accepted, duplicates, rejected };
}
