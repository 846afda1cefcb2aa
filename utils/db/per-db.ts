import type { LeadLensDb } from './schema';

/**
 * One `T` per open database, made on first use: state kept beside a database (in-memory copies
 * kept current by its commits) lives exactly as long as that database object.
 */
export function onePerDb<T extends object>(create: (db: LeadLensDb) => T): (db: LeadLensDb) => T {
  const made = new WeakMap<LeadLensDb, T>();
  return (db) => {
    let value = made.get(db);
    if (!value) {
      value = create(db);
      made.set(db, value);
    }
    return value;
  };
}
