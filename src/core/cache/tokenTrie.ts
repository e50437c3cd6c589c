import type { TokenIds, TokenSources } from './tokenSources';
import type { CacheEntry, Millis } from './types';

/**
 * A cache entry as the trie holds it: mutable times (a hit refreshes the TTL), and the trie node it ends at.
 * Entries are keyed by content: writing the same token sequence twice refreshes the one entry.
 */
export interface StoredEntry {
  ids: Uint32Array;
  writtenAt: Millis;
  ttlMs: number;
  label: string;
  text?: string;
  tokenSource?: Int32Array;
  sources?: TokenSources;
  /** Last write or hit, for LRU eviction. */
  lastUsed: Millis;
  node: TrieNode;
}

export const expiresAt = (e: StoredEntry): Millis => e.writtenAt + e.ttlMs;

/**
 * Radix-trie node. The edge label is src[start, end) — a view into the ids of the entry that created it, so
 * inserting never copies tokens. maxExp/maxEntry summarize the subtree (latest expiry and who holds it), so a
 * lookup can stop at the first subtree with nothing live in it and knows which entry backs the match.
 */
export interface TrieNode {
  src: Uint32Array;
  start: number;
  end: number;
  depth: number;
  parent: TrieNode | null;
  children: Map<number, TrieNode> | null;
  terminal: StoredEntry | null;
  maxExp: Millis;
  maxEntry: StoredEntry | null;
}

export interface TrieMatch {
  /** Longest common token prefix of the query with any live entry. */
  readonly reusablePrefix: number;
  /** Live entries that are whole prefixes of the query, shortest first. */
  readonly prefixEntries: readonly StoredEntry[];
  /** A live entry sharing the whole reusable prefix (the one with the latest expiry), or null. */
  readonly best: StoredEntry | null;
  /** When an expired entry matched further than any live one: how far, and which. */
  readonly expired: { readonly reusablePrefix: number; readonly entry: StoredEntry } | null;
}

function newNode(src: Uint32Array, start: number, end: number, parent: TrieNode | null): TrieNode {
  return {
    src,
    start,
    end,
    depth: (parent ? parent.depth : 0) + (end - start),
    parent,
    children: null,
    terminal: null,
    maxExp: -Infinity,
    maxEntry: null,
  };
}

/** Recomputes a node's subtree summary from its own terminal and its children (after a removal). */
function resummarize(node: TrieNode): void {
  let maxExp = node.terminal ? expiresAt(node.terminal) : -Infinity;
  let maxEntry = node.terminal;
  if (node.children)
    for (const c of node.children.values())
      if (c.maxExp > maxExp) {
        maxExp = c.maxExp;
        maxEntry = c.maxEntry;
      }
  node.maxExp = maxExp;
  node.maxEntry = maxEntry;
}

/** Token trie over cache entries: insert O(len), longest live prefix O(query len), independent of entry count. */
export class TokenTrie {
  private readonly root: TrieNode = newNode(new Uint32Array(0), 0, 0, null);
  private readonly all = new Set<StoredEntry>();

  get size(): number {
    return this.all.size;
  }
  entries(): IterableIterator<StoredEntry> {
    return this.all.values();
  }

  /** Adds an entry, or refreshes the entry with the same tokens (later expiry wins, label and text updated). */
  insert(entry: CacheEntry, lastUsed: Millis = entry.writtenAt): StoredEntry {
    const ids = entry.ids;
    let node = this.root;
    let pos = 0;
    while (pos < ids.length) {
      const child = node.children?.get(ids[pos]);
      if (!child) {
        const leaf = newNode(ids, pos, ids.length, node);
        (node.children ??= new Map()).set(ids[pos], leaf);
        node = leaf;
        break;
      }
      let k = child.start;
      let i = pos;
      // Prefixes of one buffer (the writes of one request) are equal where they overlap: no need to compare.
      if (child.src.buffer === ids.buffer && child.src.byteOffset === ids.byteOffset && k === i) {
        const m = Math.min(child.end - k, ids.length - i);
        k += m;
        i += m;
      }
      while (k < child.end && i < ids.length && child.src[k] === ids[i]) {
        k++;
        i++;
      }
      if (k < child.end) {
        // Split the edge at k: mid takes [start, k), child keeps [k, end).
        const mid = newNode(child.src, child.start, k, node);
        node.children!.set(child.src[child.start], mid);
        child.start = k;
        child.parent = mid;
        mid.children = new Map([[child.src[k], child]]);
        mid.maxExp = child.maxExp;
        mid.maxEntry = child.maxEntry;
        node = mid;
        pos = i;
        continue;
      }
      node = child;
      pos = i;
    }
    let stored = node.terminal;
    if (stored) {
      if (expiresAt(stored) < entry.writtenAt + entry.ttlMs) {
        stored.writtenAt = entry.writtenAt;
        stored.ttlMs = entry.ttlMs;
      }
      stored.label = entry.label;
      if (entry.text !== undefined || entry.sources) {
        stored.text = entry.text;
        stored.tokenSource = entry.tokenSource;
        stored.sources = entry.sources;
      }
      stored.lastUsed = Math.max(stored.lastUsed, lastUsed);
    } else {
      stored = {
        ids,
        writtenAt: entry.writtenAt,
        ttlMs: entry.ttlMs,
        label: entry.label,
        text: entry.text,
        tokenSource: entry.tokenSource,
        sources: entry.sources,
        lastUsed,
        node,
      };
      node.terminal = stored;
      this.all.add(stored);
    }
    this.bubble(node, stored);
    return stored;
  }

  /** Extends an entry's life from `now` (a cache hit refreshes the TTL at no cost). */
  refresh(stored: StoredEntry, now: Millis): void {
    if (now <= stored.writtenAt) return;
    stored.writtenAt = now;
    stored.lastUsed = now;
    this.bubble(stored.node, stored);
  }

  remove(stored: StoredEntry): void {
    if (!this.all.delete(stored)) return;
    let node: TrieNode | null = stored.node;
    node.terminal = null;
    // Prune empty leaves, then fix summaries up to the root.
    while (node && node !== this.root && !node.terminal && !node.children?.size) {
      const parent: TrieNode = node.parent!;
      parent.children!.delete(node.src[node.start]);
      node = parent;
    }
    for (; node; node = node.parent) resummarize(node);
  }

  /**
   * Longest live prefix of `ids` at time `now` (an entry is live while now < writtenAt + ttl). The same walk goes on
   * through expired entries to report the longest match that has expired (why a "warm" prompt reads nothing).
   * `known`: the caller knows the first `known` ids equal a path of this trie (an earlier walk of an earlier version
   * of the same prompt went that far, and the edits since left those ids alone) — the walk jumps along them from node
   * to node instead of comparing them, so a followed edit costs O(nodes + what the edit changed), not O(prefix).
   */
  match(ids: Uint32Array | TokenIds, now: Millis, known = 0): TrieMatch {
    let node = this.root;
    let pos = 0;
    let reusable = 0;
    let best: StoredEntry | null = null;
    let expiredReusable = 0;
    let expiredBest: StoredEntry | null = null;
    let live = true;
    const prefixEntries: StoredEntry[] = [];
    const n = ids.length;
    const flat = ids instanceof Uint32Array ? ids : undefined;
    const runs = flat ? undefined : (ids as TokenIds);
    known = Math.min(known, n);
    while (pos < n) {
      const child = node.children?.get(flat ? flat[pos] : runs!.run(pos)[0]);
      if (!child) break;
      if (live && child.maxExp <= now) live = false;
      const src = child.src;
      const end = child.end;
      let k = child.start;
      let i = pos;
      // The same buffer at the same place (an entry this very prompt wrote, as in the steady state), or ids the caller
      // knows to be on this path: equal by construction, no need to compare token by token.
      const skip =
        flat && src.buffer === flat.buffer && src.byteOffset === flat.byteOffset && k === i
          ? n
          : Math.max(0, known - i);
      if (skip) {
        const m = Math.min(end - k, skip, n - i);
        k += m;
        i += m;
      }
      if (flat) {
        while (k < end && i < n && src[k] === flat[i]) {
          k++;
          i++;
        }
      } else {
        // Run by run: each run is a chunk of the live prompt's ids.
        while (k < end && i < n) {
          const run = runs!.run(i),
            lim = Math.min(end - k, run.length, n - i);
          let j = 0;
          while (j < lim && src[k + j] === run[j]) j++;
          k += j;
          i += j;
          if (j < lim) break;
        }
      }
      if (live) {
        reusable = i;
        best = child.maxEntry;
      } else {
        expiredReusable = i;
        expiredBest = child.maxEntry;
      }
      if (k < end) break;
      if (live && child.terminal && expiresAt(child.terminal) > now) prefixEntries.push(child.terminal);
      node = child;
      pos = i;
    }
    // Not even the first token matched: every live entry shares the empty prefix, and the one a report names (where the
    // cache broke: at token 0) is the newest — a change at the very first token is the costliest break, not "no baseline".
    if (!best && reusable === 0 && this.root.maxExp > now && this.root.maxEntry) best = this.root.maxEntry;
    return {
      reusablePrefix: reusable,
      prefixEntries,
      best,
      expired: expiredBest ? { reusablePrefix: expiredReusable, entry: expiredBest } : null,
    };
  }

  private bubble(from: TrieNode, stored: StoredEntry): void {
    const exp = expiresAt(stored);
    for (let n: TrieNode | null = from; n; n = n.parent) {
      if (exp > n.maxExp) {
        n.maxExp = exp;
        n.maxEntry = stored;
      } else if (n.maxEntry === stored) resummarize(n);
      else break;
    }
  }
}
