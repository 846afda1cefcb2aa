/**
 * The badge's inputs kept in memory, so a recount reads only what changed since the last one
 * instead of every hot lead with its detail: the hot leads of mine (blocked ones too, since time
 * unblocks them) with the calls in their cached timeline, and the rep's calls in the outbox.
 * Dexie reports every committed write (its storagemutated event, also for writes made by another
 * page of the extension); the leads it names are read again at the next recount, and a write it
 * cannot name lead by lead (a range delete, a cleared or new database) makes the next recount
 * load everything again. The result is what todoInputs and nextBadgeBoundary
 * (utils/db/queries.ts) give on the full cache; the decision stays the to-do rules.
 */
import Dexie, { type IntervalTree, type ObservabilitySet } from 'dexie';
import type { ActivityRequest } from '../api/contract';
import { URGENT_WINDOW_MS } from '../db/queries';
import type { DetailRow, LeadLensDb, LeadRow } from '../db/schema';
import { callsOf, type CallRecord } from '../policy/outcomes';
import type { BusinessCalendar } from '../policy/business-hours';
import { nextTodoChange, todoCounts, todoRows, type TodoInput, type TodoPolicy, type TodoRow } from '../policy/todo';

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

const isHotMine = (row: LeadRow | undefined): row is LeadRow => row !== undefined && row.mine === 1 && row.band === 'hot';

/** The single keys of a Dexie range set; undefined when it holds a true range (keys unknown). */
function singleKeys(node: IntervalTree | null | undefined, out: string[]): string[] | undefined {
  if (!node || !('from' in node)) return out;
  if (node.from !== node.to || typeof node.from !== 'string') return undefined;
  if (!singleKeys(node.l, out)) return undefined;
  out.push(node.from);
  return singleKeys(node.r, out);
}

function createBadgeInputs(db: LeadLensDb): BadgeInputs {
  const tracked = new Map<string, Tracked>();
  let outboxCalls = new Map<string, CallRecord[]>();
  let loaded = false;
  let outboxStale = true;
  const dirty = new Set<string>();
  let queue: Promise<void> = Promise.resolve();

  const prefix = `idb://${db.name}/`;
  Dexie.on('storagemutated', (parts: ObservabilitySet) => {
    if (parts[`${prefix}outbox/`]) outboxStale = true;
    for (const table of ['leads', 'details']) {
      const set = parts[`${prefix}${table}/`];
      if (!set) continue;
      const keys = singleKeys(set, []);
      if (!keys) loaded = false;
      else for (const key of keys) dirty.add(key);
    }
  });

  function inputOf(id: string, { row, calls }: Tracked): TodoInput {
    const pending = outboxCalls.get(id);
    return { lead: row.summary, calls: pending ? [...calls, ...pending] : calls };
  }

  function track(row: LeadRow | undefined, detail: DetailRow | undefined, id: string): void {
    if (isHotMine(row)) tracked.set(id, { row, calls: callsOf(detail?.detail.timeline) }); // no memo: decided again
    else tracked.delete(id);
  }

  async function apply(): Promise<void> {
    try {
      if (!loaded) {
        // Marks arriving while this load reads stay for the next refresh.
        loaded = true;
        dirty.clear();
        outboxStale = true;
        const rows = await db.leads.where('[mine+band+cooldownAt]').between([1, 'hot', Dexie.minKey], [1, 'hot', Dexie.maxKey], true, true).toArray();
        const details = await db.details.bulkGet(rows.map((row) => row.id));
        tracked.clear();
        rows.forEach((row, i) => track(row, details[i], row.id));
      } else if (dirty.size) {
        const ids = [...dirty];
        dirty.clear();
        const rows = await db.leads.bulkGet(ids);
        // Most of a sync page is not hot or not mine: only the others' details are read.
        const wanted = ids.filter((_, i) => isHotMine(rows[i]));
        const details = new Map((await db.details.bulkGet(wanted)).map((detail, i) => [wanted[i], detail]));
        ids.forEach((id, i) => track(rows[i], details.get(id), id));
      }
      if (outboxStale) {
        outboxStale = false;
        // The outbox holds what is not sent yet: a handful of rows, read whole.
        const items = await db.outbox.filter((item) => item.kind === 'activity' && item.status !== 'failed').toArray();
        const calls = new Map<string, CallRecord[]>();
        for (const item of items) {
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
      throw error;
    }
  }

  return {
    refresh() {
      const run = queue.then(apply);
      queue = run.catch(() => undefined);
      return run;
    },
    todoInputs(now) {
      const inputs: TodoInput[] = [];
      for (const [id, entry] of tracked) {
        if (entry.row.cooldownAt <= now) inputs.push(inputOf(id, entry));
      }
      return inputs;
    },
    counts(now, policy, calendar, key) {
      const rows: TodoRow[] = [];
      let nextChange = Infinity;
      for (const [id, entry] of tracked) {
        if (entry.row.cooldownAt > now) continue;
        let memo = entry.memo;
        if (!memo || memo.key !== key || now < memo.at || now >= memo.until) {
          const row = todoRows([inputOf(id, entry)], policy, calendar, now)[0];
          memo = { key, at: now, until: nextTodoChange(row ? [row] : [], policy, calendar, now) ?? Infinity, row };
          entry.memo = memo;
        }
        if (memo.row) rows.push(memo.row);
        nextChange = Math.min(nextChange, memo.until);
      }
      // With no lead on the list, the team's opening or closing is still a change.
      if (!rows.length) nextChange = Math.min(nextChange, nextTodoChange([], policy, calendar, now) ?? Infinity);
      const { count, urgent } = todoCounts(rows, calendar, now);
      return { count, urgent, nextChange: nextChange === Infinity ? undefined : nextChange };
    },
    nextBoundary(now, windowMs) {
      let next = Infinity;
      for (const { row } of tracked.values()) {
        for (const at of [row.cooldownAt, row.needAt + windowMs - URGENT_WINDOW_MS, row.needAt + windowMs]) {
          if (at > now && at < next) next = at;
        }
      }
      return next === Infinity ? undefined : next;
    },
  };
}

const perDb = new WeakMap<LeadLensDb, BadgeInputs>();

/** The badge inputs of this database, created (and loaded at their first refresh) on first use. */
export function badgeInputs(db: LeadLensDb): BadgeInputs {
  let inputs = perDb.get(db);
  if (!inputs) {
    inputs = createBadgeInputs(db);
    perDb.set(db, inputs);
  }
  return inputs;
}
