/**
 * The badge's inputs kept in memory, so a recount reads only what changed since the last one
 * instead of every hot lead with its detail: the hot leads of mine (blocked ones too, since time
 * unblocks them) with the calls in their cached timeline, and the rep's calls in the outbox.
 * Dexie reports every committed write (its storagemutated event, also for writes made by another
 * page of the extension); the leads it names are taken as this connection committed them
 * (../db/committed.ts: a 500-lead sync page costs no read) or, when another connection wrote them
 * too, read again at the next recount. A write it cannot name lead by lead (a range delete, a
 * cleared or new database) makes the next recount load everything again: one index range for the
 * hot leads of mine, the details' keys, and only the details that exist. The sync state and the
 * rep's outbox rows are kept the same way (the outbox's own commits taken as written). The
 * result is what todoInputs and nextBadgeBoundary (utils/db/queries.ts) give on the full cache;
 * the decision stays the to-do rules.
 */
import Dexie, { type ObservabilitySet } from 'dexie';
import type { ActivityRequest } from '../api/contract';
import { onCommitted, singleKeys, type CommittedTable } from '../db/committed';
import { onePerDb } from '../db/per-db';
import { URGENT_WINDOW_MS } from '../db/queries';
import type { DetailRow, LeadLensDb, LeadRow, OutboxRow, SyncStateRow } from '../db/schema';
import { callsOf, type CallRecord } from '../policy/outcomes';
import type { BusinessCalendar } from '../policy/business-hours';
import { nextRowChange, nextTodoChange, todoCounts, todoRows, type TodoInput, type TodoPolicy, type TodoRow } from '../policy/todo';

interface Tracked {
  row: LeadRow;
  /** Calls in the cached timeline (the detail's). */
  calls: CallRecord[];
  /**
   * The lead's to-do row as last decided (undefined: off the list), good from `at` until `until`,
   * the next moment time alone changes it (nextTodoChange of this row alone, the team's opening
   * or closing included). Dropped whenever the lead, its detail or its outbox calls change.
   */
  memo?: { key: string; at: number; until: number; row: TodoRow | undefined };
}

export interface BadgeCounts {
  count: number;
  urgent: number;
  /** The next moment time alone changes the counts (undefined: none). */
  nextChange: number | undefined;
}

export interface BadgeInputs {
  /** Reads what changed since the last call; concurrent calls run one after the other. */
  refresh(): Promise<void>;
  /** The sync state as of the last refresh (read again only after it was written). */
  syncState(): SyncStateRow | undefined;
  /** The to-do inputs at `now`: hot leads of mine with no cooldown in force, with their calls. */
  todoInputs(now: number): TodoInput[];
  /** The next moment time alone changes the badge: a cooldown ends, a window turns urgent or closes. */
  nextBoundary(now: number, windowMs: number): number | undefined;
  /**
   * The to-do rules' counts and next change over todoInputs(now), as todoRows, todoCounts and
   * nextTodoChange give them on the whole list, deciding again only the leads that changed or
   * whose own next change has come. `key` names the policy and calendar: another one decides all again.
   */
  counts(now: number, policy: TodoPolicy, calendar: BusinessCalendar | undefined, key: string): BadgeCounts;
}

/** Rows kept from own commits between two recounts, at most (ten sync pages of 500). */
const KNOWN_LIMIT = 5_000;

const isHotMine = (row: LeadRow | undefined): row is LeadRow => row !== undefined && row.mine === 1 && row.band === 'hot';

const sameCalls = (a: readonly CallRecord[], b: readonly CallRecord[]): boolean =>
  a === b || (a.length === b.length && a.every((call, i) => call.at === b[i]?.at && call.outcome === b[i]?.outcome));

function createBadgeInputs(db: LeadLensDb): BadgeInputs {
  const tracked = new Map<string, Tracked>();
  let outboxCalls = new Map<string, CallRecord[]>();
  let loaded = false;
  let outboxStale = true;
  /**
   * The outbox's rows as last read, changed by this connection's own commits as they report them
   * (a call logged is one put: no read). Written any other way (another connection, a modify) or
   * while a read is under way, it is read whole again.
   */
  let outboxRows = new Map<string, OutboxRow>();
  let outboxReading = false;
  let outboxChanged = false;
  let syncState: SyncStateRow | undefined;
  /** Every recount used to read the sync state: it changes once per sync page, not per recount. */
  let syncStateStale = true;
  const dirtyLeads = new Set<string>();
  const dirtyDetails = new Set<string>();
  /** Ids of every cached detail: a lead turning hot and mine reads its detail only when there is one. */
  const detailIds = new Set<string>();
  /**
   * Rows this connection's own transactions wrote, as committed (undefined: deleted): a changed
   * key found here is not read back, unless more storagemutated notices named it than own commits
   * did (`balance` above 0): then another connection wrote it too, or wrote it in a way not named
   * row by row, and it is read. Counting, not ordering: Dexie's notice and the commit report come
   * in either order within the same commit.
   */
  const knownLeads = new Map<string, LeadRow | undefined>();
  const knownDetails = new Map<string, CallRecord[] | undefined>();
  const balanceLeads = new Map<string, number>();
  const balanceDetails = new Map<string, number>();
  const bump = (balance: Map<string, number>, key: string, by: number) => balance.set(key, (balance.get(key) ?? 0) + by);
  let queue: Promise<void> = Promise.resolve();

  const prefix = `idb://${db.name}/`;
  /** This connection's commit just reported, whose notice Dexie sends next: its parts and the keys it wrote per table. */
  let ownNotice: { parts: object; keys: Map<string, string[]>; outbox: CommittedTable | undefined } | undefined;
  let lastNotice: object | undefined;
  Dexie.on('storagemutated', (parts: ObservabilitySet) => {
    lastNotice = parts;
    const own = ownNotice?.parts === parts ? ownNotice : undefined;
    ownNotice = undefined;
    if (parts[`${prefix}outbox/`]) {
      if (own?.outbox && !outboxStale && !outboxReading) {
        for (const [key, row] of own.outbox.puts) outboxRows.set(key, row as OutboxRow);
        for (const key of own.outbox.deletes) outboxRows.delete(key);
        outboxChanged = true;
      } else outboxStale = true;
    }
    if (parts[`${prefix}syncState/`]) syncStateStale = true;
    for (const [table, dirty, balance] of [['leads', dirtyLeads, balanceLeads], ['details', dirtyDetails, balanceDetails]] as const) {
      const set = parts[`${prefix}${table}/`];
      if (!set) continue;
      // Dexie names no keys for a put of 50 rows and more (the whole table): our own commit does.
      const keys = singleKeys(set, []) ?? own?.keys.get(table);
      if (!keys) loaded = false;
      else for (const key of keys) {
        dirty.add(key);
        bump(balance, key, 1);
      }
    }
  });
  onCommitted(db, (writes, notice) => {
    const leads = writes.get('leads');
    const details = writes.get('details');
    ownNotice = undefined;
    // Without its notice to pair with (or with the notice already handled) the commit is left to
    // the notice alone; when not loaded, the next refresh loads everything anyway.
    if (!notice || notice === lastNotice || !loaded) return;
    if (knownLeads.size + knownDetails.size + (leads?.puts.size ?? 0) + (details?.puts.size ?? 0) > KNOWN_LIMIT) {
      // A first snapshot writes every lead before the next recount: holding them all would cost
      // more memory than the one range read a full load costs.
      loaded = false;
      for (const map of [knownLeads, knownDetails, balanceLeads, balanceDetails]) map.clear();
      return;
    }
    for (const [id, row] of leads?.puts ?? []) knownLeads.set(id, row as LeadRow);
    for (const id of leads?.deletes ?? []) knownLeads.set(id, undefined);
    for (const [id, row] of details?.puts ?? []) knownDetails.set(id, callsOf((row as DetailRow).detail.timeline));
    for (const id of details?.deletes ?? []) knownDetails.set(id, undefined);
    const keys = new Map<string, string[]>();
    for (const [table, written, balance] of [['leads', leads, balanceLeads], ['details', details, balanceDetails]] as const) {
      if (!written) continue;
      const ids = [...written.puts.keys(), ...written.deletes];
      for (const id of ids) bump(balance, id, -1);
      keys.set(table, ids);
    }
    ownNotice = { parts: notice, keys, outbox: writes.get('outbox') };
  });

  function inputOf(id: string, { row, calls }: Tracked): TodoInput {
    const pending = outboxCalls.get(id);
    return { lead: row.summary, calls: pending ? [...calls, ...pending] : calls };
  }

  /**
   * A changed lead is decided again only when what the to-do rules read of it changed: its need
   * time and its calls (score and name only order the popup's list, the cooldown is checked at
   * every count). A sync page that moves scores keeps the decisions already made.
   */
  function retrack(id: string, row: LeadRow, calls: CallRecord[]): void {
    const before = tracked.get(id);
    const same = before?.memo && before.row.summary.needDetectedAt === row.summary.needDetectedAt && sameCalls(before.calls, calls);
    const memo = same && before.memo ? { ...before.memo, row: before.memo.row && { ...before.memo.row, lead: row.summary } } : undefined;
    tracked.set(id, memo ? { row, calls, memo } : { row, calls });
  }

  /** Takes the changed keys with what is known of them; the rest are read. */
  async function changed<T, R>(dirty: Set<string>, known: Map<string, T | undefined>, balance: Map<string, number>, read: (ids: string[]) => Promise<(R | undefined)[]>, project: (row: R) => T): Promise<Map<string, T | undefined>> {
    const out = new Map<string, T | undefined>();
    const unknown: string[] = [];
    for (const id of dirty) {
      if (known.has(id) && (balance.get(id) ?? 0) === 0) out.set(id, known.get(id));
      else unknown.push(id);
      known.delete(id);
      balance.delete(id);
    }
    dirty.clear();
    // A read of nothing still opens a transaction and waits its turn: skipped.
    const rows = unknown.length ? await read(unknown) : [];
    unknown.forEach((id, i) => {
      const row = rows[i];
      out.set(id, row === undefined ? undefined : project(row));
    });
    return out;
  }

  async function readSyncState(): Promise<void> {
    if (!syncStateStale) return;
    // Cleared before the read: a write noticed while it runs marks it again.
    syncStateStale = false;
    syncState = await db.syncState.get('main');
  }

  async function apply(): Promise<void> {
    try {
      if (!loaded) {
        // Marks arriving while this load reads stay for the next refresh.
        loaded = true;
        for (const set of [dirtyLeads, dirtyDetails]) set.clear();
        for (const map of [knownLeads, knownDetails, balanceLeads, balanceDetails]) map.clear();
        outboxStale = true;
        const [rows, withDetail] = await Promise.all([
          db.leads.where('[mine+band+cooldownAt]').between([1, 'hot', Dexie.minKey], [1, 'hot', Dexie.maxKey], true, true).toArray(),
          // One request for the keys: most hot leads have no detail cached, and those are not read.
          db.details.toCollection().primaryKeys(),
        ]);
        detailIds.clear();
        for (const id of withDetail) detailIds.add(id);
        const wanted = rows.filter((row) => detailIds.has(row.id)).map((row) => row.id);
        const details = await db.details.bulkGet(wanted);
        const callsById = new Map(wanted.map((id, i) => [id, callsOf(details[i]?.detail.timeline)]));
        tracked.clear();
        for (const row of rows) tracked.set(row.id, { row, calls: callsById.get(row.id) ?? [] });
      } else if (dirtyLeads.size || dirtyDetails.size) {
        const [leads, details] = await Promise.all([
          changed(dirtyLeads, knownLeads, balanceLeads, (ids) => db.leads.bulkGet(ids), (row: LeadRow) => row),
          changed(dirtyDetails, knownDetails, balanceDetails, (ids) => db.details.bulkGet(ids), (row: DetailRow) => callsOf(row.detail.timeline)),
          readSyncState(),
        ]);
        for (const [id, calls] of details) {
          if (calls) detailIds.add(id);
          else detailIds.delete(id);
        }
        // A lead whose row did not change keeps its row; one newly hot and mine needs its calls.
        const toTrack = new Map<string, LeadRow>();
        for (const id of new Set([...leads.keys(), ...details.keys()])) {
          const row = leads.has(id) ? leads.get(id) : tracked.get(id)?.row;
          if (isHotMine(row)) toTrack.set(id, row);
          else tracked.delete(id);
        }
        const missing = [...toTrack.keys()].filter((id) => !details.has(id) && !tracked.has(id) && detailIds.has(id));
        const read = missing.length ? await db.details.bulkGet(missing) : [];
        const readCalls = new Map(missing.map((id, i) => [id, callsOf(read[i]?.detail.timeline)]));
        for (const [id, row] of toTrack) {
          const calls = details.has(id) ? details.get(id) ?? [] : readCalls.get(id) ?? tracked.get(id)?.calls ?? [];
          retrack(id, row, calls);
        }
      }
      await readSyncState();
      if (outboxStale) {
        outboxStale = false;
        outboxReading = true;
        try {
          // The outbox holds what is not sent yet: a handful of rows, read whole.
          outboxRows = new Map((await db.outbox.toArray()).map((row) => [row.key, row]));
        } finally {
          outboxReading = false;
        }
        outboxChanged = true;
      }
      if (outboxChanged) {
        outboxChanged = false;
        const calls = new Map<string, CallRecord[]>();
        // In key order, as a read gives them: the comparison below sees a change, not a new order.
        const items = [...outboxRows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        for (const item of items) {
          if (item.kind !== 'activity' || item.status === 'failed') continue;
          const body = item.body as ActivityRequest;
          const list = calls.get(item.leadId) ?? [];
          list.push({ at: Date.parse(body.at), outcome: body.outcome });
          calls.set(item.leadId, list);
        }
        // A lead whose pending calls changed is decided again.
        for (const id of new Set([...outboxCalls.keys(), ...calls.keys()])) {
          const entry = tracked.get(id);
          if (entry && JSON.stringify(outboxCalls.get(id)) !== JSON.stringify(calls.get(id))) entry.memo = undefined;
        }
        outboxCalls = calls;
      }
    } catch (error) {
      // A failed read leaves the copy unknown: the next refresh starts over.
      loaded = false;
      syncStateStale = true;
      outboxStale = true;
      throw error;
    }
  }

  return {
    refresh() {
      const run = queue.then(apply);
      queue = run.catch(() => undefined);
      return run;
    },
    syncState: () => syncState,
    todoInputs(now) {
      const inputs: TodoInput[] = [];
      for (const [id, entry] of tracked) {
        if (entry.row.cooldownAt <= now) inputs.push(inputOf(id, entry));
      }
      return inputs;
    },
    counts(now, policy, calendar, key) {
      const rows: TodoRow[] = [];
      // The team's opening or closing changes every row (open ⇄ paused): worked out once per
      // recount, not once per lead decided again; a row's own change comes from the row itself.
      const calendarChange = nextTodoChange([], policy, calendar, now) ?? Infinity;
      let nextChange = calendarChange;
      for (const [id, entry] of tracked) {
        if (entry.row.cooldownAt > now) continue;
        let memo = entry.memo;
        if (!memo || memo.key !== key || now < memo.at || now >= memo.until) {
          const row = todoRows([inputOf(id, entry)], policy, calendar, now)[0];
          memo = { key, at: now, until: Math.min(calendarChange, row ? nextRowChange(row, now) : Infinity), row };
          entry.memo = memo;
        }
        if (memo.row) rows.push(memo.row);
        nextChange = Math.min(nextChange, memo.until);
      }
      const { count, urgent } = todoCounts(rows, calendar, now);
      return { count, urgent, nextChange: nextChange === Infinity ? undefined : nextChange };
    },
    nextBoundary(now, windowMs) {
      let next = Infinity;
      // Three instants per lead, compared in place (no array per lead per recount).
      const after = (at: number) => { if (at > now && at < next) next = at; };
      for (const { row } of tracked.values()) {
        after(row.cooldownAt);
        after(row.needAt + windowMs - URGENT_WINDOW_MS);
        after(row.needAt + windowMs);
      }
      return next === Infinity ? undefined : next;
    },
  };
}

/** The badge inputs of this database, created (and loaded at their first refresh) on first use. */
export const badgeInputs: (db: LeadLensDb) => BadgeInputs = onePerDb(createBadgeInputs);
