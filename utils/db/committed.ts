/**
 * The rows this connection wrote, handed to listeners when their transaction commits, so that a
 * reader kept in memory (the badge's inputs) can take a sync page's rows as written instead of
 * reading them back one by one. Only plain puts and deletes by key are reported: a write the
 * middleware cannot name row by row (a range delete, a modify, a partial update) makes every row
 * of that table in that transaction go unreported, and the listener falls back to Dexie's
 * storagemutated notice and a read. Nothing is reported for an aborted transaction.
 */
import type { DBCoreMutateRequest, DBCoreTransaction, IntervalTree } from 'dexie';
import type Dexie from 'dexie';

export interface CommittedTable {
  /** The rows put, by primary key (the last put of a key in the transaction wins). */
  puts: Map<string, unknown>;
  /** Keys deleted (and not put again later in the transaction). */
  deletes: Set<string>;
}

/** Per table name; a table absent here was not written, or was written in a way not named row by row. */
export type CommittedWrites = ReadonlyMap<string, CommittedTable>;
/**
 * `notice`: the ObservabilitySet Dexie announces for this same commit in its storagemutated event
 * right after (compared by identity, to tell this connection's notice from another's); undefined
 * when Dexie does not expose it, and then a listener cannot pair the two.
 */
export type CommitListener = (writes: CommittedWrites, notice: object | undefined) => void;

interface Pending {
  tables: Map<string, CommittedTable>;
  /** Tables written in a way the middleware cannot name row by row. */
  opaque: Set<string>;
}

const listeners = new WeakMap<Dexie, Set<CommitListener>>();

/** Calls `listener` after each committed transaction of this connection that wrote rows. */
export function onCommitted(db: Dexie, listener: CommitListener): () => void {
  const set = listeners.get(db);
  if (!set) throw new Error('onCommitted: the database was not opened through openDb (no commit watch installed)');
  set.add(listener);
  return () => set.delete(listener);
}

const isEventTarget = (trans: DBCoreTransaction): trans is DBCoreTransaction & EventTarget =>
  typeof (trans as Partial<EventTarget>).addEventListener === 'function';

function markOpaque(pending: Pending, table: string): void {
  pending.opaque.add(table);
  pending.tables.delete(table);
}

function record(pending: Pending, table: string, req: DBCoreMutateRequest, keyPath: string | undefined): void {
  if (pending.opaque.has(table)) return;
  const plainPut = (req.type === 'put' || req.type === 'add') && !('criteria' in req && req.criteria) && !('changeSpec' in req && req.changeSpec) && !('updates' in req && req.updates);
  const plainDelete = req.type === 'delete';
  if ((!plainPut && !plainDelete) || keyPath === undefined) return markOpaque(pending, table);
  let entry = pending.tables.get(table);
  if (!entry) pending.tables.set(table, (entry = { puts: new Map(), deletes: new Set() }));
  if (plainDelete) {
    for (const key of req.keys) {
      if (typeof key !== 'string') return markOpaque(pending, table);
      entry.puts.delete(key);
      entry.deletes.add(key);
    }
    return;
  }
  for (const value of req.values) {
    const key = (value as Record<string, unknown> | null)?.[keyPath];
    if (typeof key !== 'string') return markOpaque(pending, table);
    entry.deletes.delete(key);
    entry.puts.set(key, value);
  }
}

/** Installs the watch; openDb calls it before the database opens (Dexie builds its middleware at open). */
export function watchCommits(db: Dexie): void {
  if (listeners.has(db)) return;
  const set = new Set<CommitListener>();
  listeners.set(db, set);
  const pendingOf = new WeakMap<DBCoreTransaction, Pending>();
  db.use({
    stack: 'dbcore',
    name: 'commit-watch',
    create: (down) => ({
      ...down,
      transaction: (stores, mode, options) => {
        const trans = down.transaction(stores, mode, options);
        if (mode === 'readwrite' && isEventTarget(trans)) {
          const pending: Pending = { tables: new Map(), opaque: new Set() };
          pendingOf.set(trans, pending);
          // Added here, before Dexie sets the transaction's oncomplete: the report comes first,
          // then Dexie's storagemutated notice, then whoever awaited the write.
          trans.addEventListener('complete', () => {
            if (!pending.tables.size) return;
            const notice = (trans as { mutatedParts?: unknown }).mutatedParts;
            for (const listener of set) listener(pending.tables, typeof notice === 'object' && notice !== null ? notice : undefined);
          });
        }
        return trans;
      },
      table: (name) => {
        const table = down.table(name);
        const keyPath = typeof table.schema.primaryKey.keyPath === 'string' ? table.schema.primaryKey.keyPath : undefined;
        return {
          ...table,
          mutate: (req) => {
            const pending = pendingOf.get(req.trans);
            if (!pending) return table.mutate(req);
            // Recorded once the write succeeded: a row refused inside a bulk write (the
            // transaction may still commit) leaves the whole table to the readers.
            return table.mutate(req).then((result) => {
              if (result.numFailures) markOpaque(pending, name);
              else record(pending, name, req, keyPath);
              return result;
            }, (error: unknown) => {
              markOpaque(pending, name);
              throw error;
            });
          },
        };
      },
    }),
  });
}

/** The single keys of a range set in a storagemutated notice; undefined when it holds a true range (keys unknown). */
export function singleKeys(node: IntervalTree | null | undefined, out: string[] = []): string[] | undefined {
  if (!node || !('from' in node)) return out;
  if (node.from !== node.to || typeof node.from !== 'string') return undefined;
  if (!singleKeys(node.l, out)) return undefined;
  out.push(node.from);
  return singleKeys(node.r, out);
}
