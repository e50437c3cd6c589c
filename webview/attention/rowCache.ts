// The panel's cache of its first heat map: the attention rows of the window it showed first (tokens 0…255), kept in
// the panel's IndexedDB (shared by every attention panel of this VS Code: webview origins are stable per view type)
// with the model and the exact tokens they are of. The model is causal — row i depends only on tokens
// 0…i — so rows kept for the same tokens are the rows a run computes: a reopened or reloaded panel paints them at once,
// while onnxruntime and the model load, and the model's run of the whole text then replaces them. One entry per layer
// (the last text's), a megabyte at most. IndexedDB rather than Cache Storage: a megabyte reads in a few milliseconds
// there, where Cache Storage takes ten times as long while the runtime's 14 MB are being read from it.

/** Where the rows are kept: the database, its store, and an entry's key (also read by the tests, which wait for it). */
export const KEPT_ROWS = { db: 'kvlens.attention', store: 'rows', key: (layer: number) => `layer ${layer}` } as const;
const DB = KEPT_ROWS.db;
const STORE = KEPT_ROWS.store;

interface Entry {
  readonly model: string;
  readonly layer: number;
  readonly ids: Int32Array;
  readonly bytes: ArrayBuffer;
}

/** What a panel kept for a layer: read as the panel's script starts, before the runtime's work fills the thread. */
export interface Kept {
  readonly entry: Entry;
  /** Time to read it. */
  readonly ms: number;
}

export interface KeptRows {
  /** Attention of the layer for tokens 0…tokens−1: [head][query][key], tokens × tokens per head. */
  readonly attention: Float32Array;
  readonly tokens: number;
  readonly ms: number;
}

function open(): Promise<IDBDatabase | undefined> {
  if (typeof indexedDB === 'undefined') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    // No IndexedDB (a private profile, a full disk): nothing is kept, the model runs as if the cache were empty.
    req.onerror = () => resolve(undefined);
    req.onblocked = () => resolve(undefined);
  });
}

function request<T>(db: IDBDatabase, mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode),
      req = f(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result as T);
    tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

/**
 * Longest a look-up may take. The model's session waits for it (a run must not overtake kept rows being painted), and
 * on a loaded machine IndexedDB can take seconds — a new profile's database is created on a busy disk — or not answer:
 * past this the panel starts as if nothing were kept.
 */
const READ_MS = 2000;

/** The rows a panel kept for `layer` of `model` (any text: rowsFor() tells whether they are this text's). */
export function readKept(model: string, layer: number): Promise<Kept | undefined> {
  return Promise.race([read(model, layer), new Promise<undefined>((r) => setTimeout(() => r(undefined), READ_MS))]);
}

async function read(model: string, layer: number): Promise<Kept | undefined> {
  const t0 = performance.now();
  const db = await open();
  if (!db) return undefined;
  try {
    const entry = await request<Entry | undefined>(db, 'readonly', (s) => s.get(KEPT_ROWS.key(layer)));
    return entry?.model === model && entry.layer === layer ? { entry, ms: performance.now() - t0 } : undefined;
  } finally {
    db.close();
  }
}

/** The kept rows when they are of exactly these tokens (the first window of the text), else undefined. */
export function rowsFor(kept: Kept | undefined, ids: readonly number[], heads: number): KeptRows | undefined {
  const e = kept?.entry,
    S = ids.length;
  // Another text's rows, or a torn or foreign entry (another shape): the model runs as if nothing were kept.
  if (!e || !(e.ids instanceof Int32Array) || e.ids.length !== S || !(e.bytes instanceof ArrayBuffer)) return undefined;
  if (e.bytes.byteLength !== heads * S * S * 4 || ids.some((id, i) => e.ids[i] !== id)) return undefined;
  return { attention: new Float32Array(e.bytes), tokens: S, ms: kept!.ms };
}

/** Keeps the rows of a run of `ids` (its attention, [head][query][key]) for the next panel. */
export async function keepRows(model: string, layer: number, ids: readonly number[], attention: Float32Array) {
  const db = await open();
  if (!db) return;
  const entry: Entry = { model, layer, ids: Int32Array.from(ids), bytes: attention.slice().buffer as ArrayBuffer };
  try {
    await request(db, 'readwrite', (s) => s.put(entry, KEPT_ROWS.key(layer)));
  } finally {
    db.close();
  }
}
