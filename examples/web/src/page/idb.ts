// A tiny key–value store over IndexedDB (one database, one object store), usable from the page and Workers: the
// train view keeps its run here (corpus, settings, the last and best checkpoints' files, the metrics log) so a
// reload resumes it.
const DB = 'gloss-web';
const STORE = 'run';

let opened: Promise<IDBDatabase> | null = null;

function db(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`IndexedDB ${DB} cannot be opened: ${req.error?.message ?? 'unknown error'}`));
  });
  return opened;
}

/** Writes every entry of `values` in one transaction (all or none); undefined deletes the key. */
export async function put(values: Record<string, unknown>): Promise<void> {
  const d = await db();
  await new Promise<void>((resolve, reject) => {
    const tx = d.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) store.delete(k);
      else store.put(v, k);
    }
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(new Error(`IndexedDB write failed: ${tx.error?.message ?? 'unknown error'}`));
    tx.onabort = () => reject(new Error(`IndexedDB write aborted: ${tx.error?.message ?? 'unknown error'} (is the disk full?)`));
  });
}

export async function get<T>(key: string): Promise<T | undefined> {
  const d = await db();
  return new Promise((resolve, reject) => {
    const req = d.transaction(STORE, 'readonly').objectStore(STORE).get(key);
    req.onsuccess = () => resolve(req.result as T | undefined);
    req.onerror = () => reject(new Error(`IndexedDB read failed: ${req.error?.message ?? 'unknown error'}`));
  });
}

export async function clear(): Promise<void> {
  const d = await db();
  await new Promise<void>((resolve, reject) => {
    const tx = d.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).clear();
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(new Error(`IndexedDB clear failed: ${tx.error?.message ?? 'unknown error'}`));
  });
}
