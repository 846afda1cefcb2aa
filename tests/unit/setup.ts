// Each test gets a fresh fake browser and a fresh fake IndexedDB. Dexie caches the
// indexedDB factory it found first, so the new one is handed to it explicitly.
import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import Dexie from 'dexie';
import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { resetTrustedStoreForTests } from '../../utils/trusted-store';

beforeEach(() => {
  fakeBrowser.reset();
  resetTrustedStoreForTests();
  const factory = new IDBFactory();
  globalThis.indexedDB = factory;
  Dexie.dependencies.indexedDB = factory;
  Dexie.dependencies.IDBKeyRange = IDBKeyRange;
});
