import { createMemoryOutboxStorage, type OutboxItem, type OutboxStorage } from './discovery-outbox';

const DB_NAME = 'qianzhi-field';
const DB_VERSION = 1;
const STORE = 'discovery-outbox';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function open(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: 'id' });
  };
  return promised(request);
}

/**
 * The outbox in IndexedDB: it outlives a closed tab, a reload and a dead battery, and stores the photos
 * as Blobs. A thin adapter; the rules are in discovery-outbox.ts.
 */
export function createIndexedDbOutboxStorage(factory: IDBFactory): OutboxStorage {
  let db: Promise<IDBDatabase> | null = null;
  const database = () => (db ??= open(factory));

  async function inStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const tx = (await database()).transaction(STORE, mode);
    const result = promised(work(tx.objectStore(STORE)));
    // A write counts only once its transaction has committed (durable across a crash right after).
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    return result;
  }

  return {
    put: async (item) => void (await inStore('readwrite', (s) => s.put(item))),
    get: (id) => inStore('readonly', (s) => s.get(id) as IDBRequest<OutboxItem | undefined>),
    delete: async (id) => void (await inStore('readwrite', (s) => s.delete(id))),
    list: () => inStore('readonly', (s) => s.getAll() as IDBRequest<OutboxItem[]>),
  };
}

/** IndexedDB where the browser has it; otherwise memory (the page says so: reports then last only while the tab is open). */
export function createBrowserOutboxStorage(): { storage: OutboxStorage; durable: boolean } {
  try {
    if (typeof indexedDB !== 'undefined') return { storage: createIndexedDbOutboxStorage(indexedDB), durable: true };
  } catch {
    // some locked-down browsers throw on the mere access
  }
  return { storage: createMemoryOutboxStorage(), durable: false };
}
