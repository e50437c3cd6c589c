import type { RankTable } from './rankTable';

// tiktoken's byte-pair merge: repeatedly merge the adjacent pair of parts whose concatenation has the lowest rank,
// the leftmost on ties, until no pair is a token. The plain loop is quadratic in the piece length, which freezes on
// one long piece (200 KB of spaces); above HEAP_MIN_BYTES a min-heap over a linked list does the same merges in
// O(n log n).

/** Pieces longer than this (in bytes) use the heap; below, the plain loop is faster. */
export const HEAP_MIN_BYTES = 96;
const NONE = 0x7fffffff;

export function bytePairMerge(bytes: string, table: RankTable, maxTokenBytes: number): number[] {
  return bytes.length > HEAP_MIN_BYTES
    ? mergeWithHeap(bytes, table, maxTokenBytes)
    : mergeQuadratic(bytes, table, maxTokenBytes);
}

function rankOf(bytes: string, from: number, to: number, table: RankTable, maxTokenBytes: number): number {
  if (to - from > maxTokenBytes) return NONE;
  return table.rank.get(bytes.slice(from, to)) ?? NONE;
}

function finalIds(bytes: string, starts: ArrayLike<number>, count: number, table: RankTable): number[] {
  const out: number[] = new Array(count - 1);
  // Every single byte is a token, and every merge result is a token, so the lookups always succeed.
  for (let i = 0; i < count - 1; i++) out[i] = table.rank.get(bytes.slice(starts[i], starts[i + 1]))!;
  return out;
}

let qStarts = new Int32Array(256);
let qRanks = new Int32Array(256);

/** The reference algorithm, as tiktoken's `_byte_pair_merge`. */
export function mergeQuadratic(bytes: string, table: RankTable, maxTokenBytes: number): number[] {
  const n = bytes.length;
  if (qStarts.length < n + 1) {
    qStarts = new Int32Array(2 * n + 2);
    qRanks = new Int32Array(2 * n + 2);
  }
  const starts = qStarts,
    ranks = qRanks;
  let m = n + 1; // boundaries
  for (let i = 0; i < m; i++) starts[i] = i;
  for (let i = 0; i < m; i++) ranks[i] = i + 2 < m ? rankOf(bytes, i, i + 2, table, maxTokenBytes) : NONE;
  while (m > 2) {
    let best = NONE,
      at = -1;
    for (let i = 0; i < m - 2; i++)
      if (ranks[i] < best) {
        best = ranks[i];
        at = i;
      }
    if (at < 0) break;
    starts.copyWithin(at + 1, at + 2, m);
    ranks.copyWithin(at + 1, at + 2, m);
    m--;
    ranks[at] = at + 2 < m ? rankOf(bytes, starts[at], starts[at + 2], table, maxTokenBytes) : NONE;
    if (at > 0) ranks[at - 1] = rankOf(bytes, starts[at - 1], starts[at + 1], table, maxTokenBytes);
  }
  return finalIds(bytes, starts, m, table);
}

/**
 * Same result as mergeQuadratic. Parts are a doubly linked list keyed by their first byte; the heap holds
 * (rank, position) of adjacent pairs, position breaking ties so the leftmost wins. Entries go stale when a
 * neighbour merges; a popped entry counts only if its part is alive and still has that pair rank (a re-pushed
 * equal entry is then a genuine current pair, so acting on it is also right).
 */
export function mergeWithHeap(bytes: string, table: RankTable, maxTokenBytes: number): number[] {
  const n = bytes.length;
  const next = new Int32Array(n + 1),
    prev = new Int32Array(n + 1),
    pairRank = new Int32Array(n);
  const alive = new Uint8Array(n);
  const heap = new MinHeap(n);
  const SCALE = 2 ** 32; // key = rank * 2^32 + position: exact in a double (rank < 2^20, position < 2^32)
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    alive[i] = 1;
  }
  next[n] = n;
  for (let i = 0; i + 1 < n; i++) {
    const r = rankOf(bytes, i, i + 2, table, maxTokenBytes);
    pairRank[i] = r;
    if (r !== NONE) heap.push(r * SCALE + i);
  }
  if (n > 0) pairRank[n - 1] = NONE;
  while (heap.size > 0) {
    const key = heap.pop();
    const r = Math.floor(key / SCALE),
      p = key - r * SCALE;
    if (!alive[p] || pairRank[p] !== r) continue;
    const q = next[p];
    alive[q] = 0;
    next[p] = next[q];
    if (next[q] < n) prev[next[q]] = p;
    const after = next[p];
    pairRank[p] = after < n ? rankOf(bytes, p, next[after], table, maxTokenBytes) : NONE;
    if (pairRank[p] !== NONE) heap.push(pairRank[p] * SCALE + p);
    if (p > 0) {
      const pp = prev[p];
      pairRank[pp] = rankOf(bytes, pp, after, table, maxTokenBytes);
      if (pairRank[pp] !== NONE) heap.push(pairRank[pp] * SCALE + pp);
    }
  }
  const starts: number[] = [];
  for (let p = 0; p < n; p = next[p]) starts.push(p);
  starts.push(n);
  return finalIds(bytes, starts, starts.length, table);
}

class MinHeap {
  private a: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.a = new Float64Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.size === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    const a = this.a;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= v) break;
      a[i] = a[parent];
      i = parent;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.a,
      top = a[0],
      last = a[--this.size];
    let i = 0;
    const n = this.size;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && a[c + 1] < a[c]) c++;
      if (a[c] >= last) break;
      a[i] = a[c];
      i = c;
    }
    a[i] = last;
    return top;
  }
}
