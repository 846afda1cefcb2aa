/**
 * Settings a web page must never see (the API token, the connection and who it signs in as),
 * kept in an IndexedDB database of the extension's own origin: the worker and the extension's
 * pages open it, a content script cannot (its IndexedDB is the CRM site's). storage.local would
 * not do: content scripts read it, and neither Chromium nor Firefox lets an extension close it to
 * them (setAccessLevel is for storage.session, which a browser restart empties).
 */
import Dexie, { type EntityTable } from 'dexie';
import { browser } from 'wxt/browser';

export const TRUSTED_DB_NAME = 'leadlens-trusted';

interface ItemRow {
  key: string;
  value: unknown;
}

type TrustedDb = Dexie & { items: EntityTable<ItemRow, 'key'> };

/** Keys that earlier versions kept in storage.local, moved here once and then removed there. */
const MOVED_FROM_STORAGE_LOCAL = ['connection', 'connectionStatus'] as const;

export interface TrustedItem<T> {
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
}

function openTrustedDb(): TrustedDb {
  const db = new Dexie(TRUSTED_DB_NAME) as TrustedDb;
  db.version(1).stores({ items: 'key' });
  return db;
}

let opened: { db: TrustedDb; migrated: Promise<void> } | undefined;

/** The database, after the one-time move of what storage.local held. */
async function trustedDb(): Promise<TrustedDb> {
  opened ??= (() => {
    const db = openTrustedDb();
    return { db, migrated: moveFromStorageLocal(db) };
  })();
  await opened.migrated;
  return opened.db;
}

/**
 * Copies the old storage.local values that this database does not hold yet, then removes them
 * (with WXT's version meta keys) from storage.local. Copy first: a worker stopped in between
 * leaves the value in both places, and the next start finishes the move.
 */
async function moveFromStorageLocal(db: TrustedDb): Promise<void> {
  const keys = [...MOVED_FROM_STORAGE_LOCAL];
  const old = await browser.storage.local.get(keys);
  const present = keys.filter((key) => old[key] !== undefined);
  if (!present.length) return;
  await db.transaction('rw', db.items, async () => {
    for (const key of present) {
      if ((await db.items.get(key)) === undefined) await db.items.put({ key, value: old[key] });
    }
  });
  await browser.storage.local.remove(keys.flatMap((key) => [key, `${key}$`]));
}

export function trustedItem<T>(key: (typeof MOVED_FROM_STORAGE_LOCAL)[number], fallback: T): TrustedItem<T> {
  return {
    async getValue() {
      const row = await (await trustedDb()).items.get(key);
      return row === undefined ? fallback : (row.value as T);
    },
    async setValue(value) {
      await (await trustedDb()).items.put({ key, value });
    },
  };
}

/** Tests: forget the open database (each test gets a fresh IndexedDB). */
export function resetTrustedStoreForTests(): void {
  opened?.db.close();
  opened = undefined;
}
