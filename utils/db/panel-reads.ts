/**
 * What a panel's answer reads of the cache — the lead behind a record, its detail, its rows in
 * the outbox, the sync state — read in one transaction and kept in memory for the leads shown
 * lately, so a record opened again (a soft navigation back, a reload, a second tab) costs no
 * IndexedDB read at all. Lookups were several separate transactions (the row, the detail and the
 * sync state twice over, the outbox) on the path of every panel's first paint.
 *
 * The copy stays exact the way the badge's inputs do (../background/badge-inputs.ts): this
 * connection's own commits are taken as committed (./committed.ts), so the revalidation that
 * follows each lookup (a fresh detail written back) updates the copy instead of emptying it;
 * anything else Dexie announces (another connection, a write not named row by row) drops what it
 * names, or everything when it names no keys. A read that a commit overtook answers but is not kept.
 */
import Dexie, { type ObservabilitySet } from 'dexie';
import { onCommitted, singleKeys, type CommittedWrites } from './committed';
import { onePerDb } from './per-db';
import { findByEmail, findByRef } from './queries';
import { refKey, type DetailRow, type LeadLensDb, type LeadRow, type OutboxRow, type SyncStateRow } from './schema';

export interface PanelRecord {
  row: LeadRow;
  detail: DetailRow | undefined;
  /** The lead's outbox rows, oldest first. */
  outbox: OutboxRow[];
  state: SyncStateRow | undefined;
}

export interface PanelReads {
  /** The lead behind a record of one tenant (findByRef's answer) with the rest of its record. */
  byRef(crm: string, objectType: string, recordId: string, host: string): Promise<PanelRecord | undefined>;
  /** The lead with this email (custom CRM pages); its record is kept, the email-to-lead mapping is not: such pages are few. */
  byEmail(email: string): Promise<PanelRecord | undefined>;
  /** A lead's record by id; `row` undefined when the lead is not cached. */
  byId(leadId: string): Promise<Omit<PanelRecord, 'row'> & { row: LeadRow | undefined }>;
}

/** Leads kept (the panels a rep goes back and forth between), least recently asked dropped first. */
const KEPT_LEADS = 50;
const KEPT_REFS = 4 * KEPT_LEADS;
const TABLES = ['leads', 'details', 'outbox', 'syncState'] as const;
type Table = (typeof TABLES)[number];

interface RefEntry {
  /** The record's ref key with its tenant, and without (a single-tenant team's). */
  own: string;
  any: string;
  /** The lead findByRef gave; null: none. */
  id: string | null;
  /**
   * The found lead's ref keys when it was found: when two leads hold the record, which one
   * findByRef gives depends on all their keys, so a change of any of them drops the mapping.
   */
  keys: readonly string[];
}

const sameKeys = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((key, i) => key === b[i]);

function createPanelReads(db: LeadLensDb): PanelReads {
  const leads = new Map<string, LeadRow | undefined>();
  const details = new Map<string, DetailRow | undefined>();
  const outbox = new Map<string, OutboxRow[]>();
  let state: { row: SyncStateRow | undefined } | undefined;
  const refs = new Map<string, RefEntry>();
  /** Bumped by every change seen: a read that started before one is not kept. */
  let generation = 0;
  /** Own commits' notices, with the tables the commit report named row by row. */
  const reported = new WeakMap<object, ReadonlySet<string>>();
  const prefix = `idb://${db.name}/`;

  /**
   * Drops the record-to-lead mappings a commit of these rows may change: the mapped lead deleted or
   * written with other ref keys, another lead now holding the record's ref. A lead written again
   * with the same refs (the revalidation after every lookup) keeps its mapping.
   */
  const forgetRefsOf = (puts: ReadonlyMap<string, unknown>, deletes: ReadonlySet<string>) => {
    const holders = new Map<string, string[]>();
    for (const [id, row] of puts) for (const key of (row as LeadRow).refKeys) holders.set(key, [...(holders.get(key) ?? []), id]);
    for (const [key, entry] of refs) {
      const mapped = entry.id;
      const moved = mapped !== null && (deletes.has(mapped) || (puts.has(mapped) && !sameKeys((puts.get(mapped) as LeadRow).refKeys, entry.keys)));
      const claimed = [entry.own, entry.any].some((ref) => holders.get(ref)?.some((id) => id !== mapped));
      if (moved || claimed) refs.delete(key);
    }
  };

  const drop = (table: Table, keys: string[] | undefined) => {
    if (table === 'syncState') state = undefined;
    // Outbox keys are not lead ids, and outbox writes are rare (a call, a delivery): all go.
    else if (table === 'outbox') outbox.clear();
    else if (table === 'details') {
      if (keys) for (const id of keys) details.delete(id);
      else details.clear();
    } else {
      // A lead's other parts go with it: what is kept stays within the last KEPT_LEADS leads.
      for (const id of keys ?? [...leads.keys()]) {
        leads.delete(id);
        details.delete(id);
        outbox.delete(id);
      }
      // A lead row we never read may now claim a record: every mapping goes with a leads change.
      refs.clear();
    }
  };

  onCommitted(db, (writes: CommittedWrites, notice) => {
    generation++;
    if (notice) reported.set(notice, new Set(writes.keys()));
    const written = writes.get('leads');
    if (written) {
      for (const [id, row] of written.puts) if (leads.has(id)) leads.set(id, row as LeadRow);
      for (const id of written.deletes) if (leads.has(id)) leads.set(id, undefined);
      forgetRefsOf(written.puts, written.deletes);
    }
    const detailWrites = writes.get('details');
    for (const [id, row] of detailWrites?.puts ?? []) if (details.has(id)) details.set(id, row as DetailRow);
    for (const id of detailWrites?.deletes ?? []) if (details.has(id)) details.set(id, undefined);
    if (writes.has('outbox')) outbox.clear();
    const stateWrites = writes.get('syncState');
    if (stateWrites && state) {
      if (stateWrites.puts.has('main')) state = { row: stateWrites.puts.get('main') as SyncStateRow };
      else if (stateWrites.deletes.has('main')) state = { row: undefined };
    }
  });

  Dexie.on('storagemutated', (parts: ObservabilitySet) => {
    const own = reported.get(parts);
    for (const table of TABLES) {
      const set = parts[`${prefix}${table}/`];
      if (!set || own?.has(table)) continue;
      generation++;
      drop(table, singleKeys(set, []));
    }
  });

  const touch = (id: string) => {
    const row = leads.get(id);
    leads.delete(id);
    leads.set(id, row);
    if (leads.size <= KEPT_LEADS) return;
    const oldest = leads.keys().next().value as string;
    leads.delete(oldest);
    details.delete(oldest);
    outbox.delete(oldest);
    for (const [key, entry] of refs) if (entry.id === oldest) refs.delete(key);
  };

  /** Records looked up are remembered for the last KEPT_REFS only: most map to no lead, and no lead's eviction removes those. */
  const remember = (key: string, entry: RefEntry) => {
    refs.delete(key);
    refs.set(key, entry);
    if (refs.size > KEPT_REFS) refs.delete(refs.keys().next().value as string);
  };

  /** The parts of a lead's record not kept, read in the transaction already open (or their own). */
  async function readMissing(id: string, row: LeadRow | undefined | null) {
    const [readRow, detail, rows, stateRow] = await Promise.all([
      row === null && !leads.has(id) ? db.leads.get(id) : undefined,
      details.has(id) ? undefined : db.details.get(id),
      outbox.has(id) ? undefined : db.outbox.where('leadId').equals(id).sortBy('createdAt'),
      state ? undefined : db.syncState.get('main'),
    ]);
    return { readRow, detail, rows, stateRow };
  }

  async function record(id: string, found: LeadRow | null, gen: number) {
    const missing = await readMissing(id, found);
    const row = found ?? (leads.has(id) ? leads.get(id) : missing.readRow);
    const detail = details.has(id) ? details.get(id) : missing.detail;
    const rows = outbox.get(id) ?? missing.rows ?? [];
    const stateRow = state ? state.row : missing.stateRow;
    return { row, detail, outbox: rows, state: stateRow, keep: () => {
      if (gen !== generation) return;
      leads.set(id, row);
      details.set(id, detail);
      outbox.set(id, rows);
      state = { row: stateRow };
      touch(id);
    } };
  }

  const complete = (id: string) => leads.has(id) && details.has(id) && outbox.has(id) && state !== undefined;
  const kept = (id: string): PanelRecord | undefined => {
    touch(id);
    const row = leads.get(id);
    return row && { row, detail: details.get(id), outbox: outbox.get(id) ?? [], state: state?.row };
  };

  return {
    async byRef(crm, objectType, recordId, host) {
      const key = JSON.stringify([crm, objectType, recordId, host]);
      const entry = refs.get(key);
      if (entry && (entry.id === null || complete(entry.id))) return entry.id === null ? undefined : kept(entry.id);
      const gen = generation;
      const answer = await db.transaction('r', [db.leads, db.details, db.outbox, db.syncState], async () => {
        // A mapping kept with part of its lead's record dropped: the row, when kept, saves the index read.
        const row = (entry?.id ? leads.get(entry.id) : undefined) ?? await findByRef(db, crm, objectType, recordId, host);
        return row && record(row.id, row, gen);
      });
      if (gen === generation) {
        const own = refKey(crm, objectType, recordId, host);
        const any = refKey(crm, objectType, recordId);
        remember(key, { own, any, id: answer?.row?.id ?? null, keys: [...(answer?.row?.refKeys ?? [])] });
      }
      answer?.keep();
      return answer?.row && { row: answer.row, detail: answer.detail, outbox: answer.outbox, state: answer.state };
    },
    async byEmail(email) {
      const gen = generation;
      const answer = await db.transaction('r', [db.leads, db.details, db.outbox, db.syncState], async () => {
        const row = await findByEmail(db, email);
        return row && record(row.id, row, gen);
      });
      answer?.keep();
      return answer?.row && { row: answer.row, detail: answer.detail, outbox: answer.outbox, state: answer.state };
    },
    async byId(leadId) {
      if (complete(leadId)) {
        touch(leadId);
        return { row: leads.get(leadId), detail: details.get(leadId), outbox: outbox.get(leadId) ?? [], state: state?.row };
      }
      const gen = generation;
      const answer = await db.transaction('r', [db.leads, db.details, db.outbox, db.syncState], () => record(leadId, null, gen));
      answer.keep();
      return { row: answer.row, detail: answer.detail, outbox: answer.outbox, state: answer.state };
    },
  };
}

/** The panel reads of this database, created on first use. */
export const panelReads: (db: LeadLensDb) => PanelReads = onePerDb(createPanelReads);
