// The token and the connection live in the extension's own IndexedDB; an install that kept them
// in storage.local (where content scripts read) has them moved once, then removed there.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { connectionItem, connectionStatusItem, loadConnection } from '../../utils/settings';
import { resetTrustedStoreForTests, TRUSTED_DB_NAME } from '../../utils/trusted-store';

const OLD = {
  connection: { apiUrl: 'https://scoring.example.jp', token: 'tok-old-1234' },
  'connection$': { v: 1 },
  connectionStatus: { user: { id: 'u-sato', name: '佐藤 健', email: 'sato@example.jp' } },
  pollSeconds: 120,
};
const noAdmin = async () => undefined;

/** What the extension's IndexedDB holds, read without the module under test. */
async function storedInIndexedDb(): Promise<Record<string, unknown>> {
  const db = new Dexie(TRUSTED_DB_NAME);
  db.version(1).stores({ items: 'key' });
  const rows = (await db.table('items').toArray()) as { key: string; value: unknown }[];
  db.close();
  return Object.fromEntries(rows.map((row) => [row.key, row.value]));
}

describe('trusted store', () => {
  it('moves the token and connection status out of storage.local on first read, and removes them there', async () => {
    await fakeBrowser.storage.local.set(OLD);
    expect(await loadConnection(noAdmin)).toEqual(OLD.connection);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ pollSeconds: 120 });
    expect(await storedInIndexedDb()).toEqual({ connection: OLD.connection, connectionStatus: OLD.connectionStatus });
    // A new worker (module state gone) still finds them, from IndexedDB only.
    resetTrustedStoreForTests();
    expect(await loadConnection(noAdmin)).toEqual(OLD.connection);
    expect(await connectionStatusItem.getValue()).toEqual(OLD.connectionStatus);
  });

  it('never lets a stale storage.local copy overwrite a newer saved token', async () => {
    await connectionItem.setValue({ apiUrl: 'https://new.example.jp', token: 'tok-new' });
    resetTrustedStoreForTests();
    // Left behind by a worker stopped between the copy and the removal.
    await fakeBrowser.storage.local.set({ connection: OLD.connection });
    expect(await loadConnection(noAdmin)).toEqual({ apiUrl: 'https://new.example.jp', token: 'tok-new' });
    expect(await fakeBrowser.storage.local.get('connection')).toEqual({});
  });

  it('saves new values where a content script cannot read them', async () => {
    await connectionItem.setValue({ apiUrl: 'https://api.test', token: 'secret-token' });
    await connectionStatusItem.setValue({ lastError: 'refused' });
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('secret-token');
    expect(JSON.stringify(await fakeBrowser.storage.sync.get(null))).not.toContain('secret-token');
    expect(await storedInIndexedDb()).toEqual({ connection: { apiUrl: 'https://api.test', token: 'secret-token' }, connectionStatus: { lastError: 'refused' } });
  });
});
