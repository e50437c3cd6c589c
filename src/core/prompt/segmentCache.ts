import type { TokenState, Tokenizer } from '../tokenizer/types';

/** Token ids of one segment text, and (for texts that map to source) each token's start offset within the text. */
export interface SegmentTokens {
  readonly ids: Uint32Array;
  /** ids.length + 1 entries, as TokenState.offsets. */
  readonly offsets: Int32Array;
  /** As TokenState.pieceStarts, where the engine keeps them (so the live path can start from these tokens). */
  readonly pieceStarts?: Uint8Array;
}

/** Segments at least this long are re-tokenized from a similar recent one (the edited version) rather than in full. */
const INCREMENTAL_MIN_CHARS = 16 * 1024;
/** How many long segments are kept as starting points for incremental re-tokenization. */
const RECENT_LONG = 4;

/**
 * Bounded LRU of segment text → tokens, one per tokenizer. Re-rendering after an edit then re-tokenizes only the
 * segments whose text changed — and a long segment that changed (the body of a 1 MB prompt after a keystroke) is
 * re-tokenized from its previous version around the edit only: its common prefix and suffix with a recent long
 * segment give the edit, and the tokenizer's incremental engine does the rest. Bounded by total characters held,
 * so one huge segment cannot pin memory.
 */
export class SegmentCache {
  private readonly map = new Map<string, SegmentTokens>();
  private chars = 0;
  /** Full token states of the last few long segments (newest last). */
  private readonly recent: TokenState[] = [];

  constructor(
    private readonly maxChars = 8 * 1024 * 1024,
    private readonly maxEntries = 4096,
  ) {}

  get(text: string, tokenizer: Tokenizer): SegmentTokens {
    const hit = this.map.get(text);
    if (hit) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.map.delete(text);
      this.map.set(text, hit);
      return hit;
    }
    const state = text.length >= INCREMENTAL_MIN_CHARS ? this.fromRecent(text, tokenizer) : tokenizer.tokenize(text);
    const value = { ids: state.ids, offsets: state.offsets, pieceStarts: state.pieceStarts };
    this.remember(text, value);
    return value;
  }

  private remember(text: string, value: SegmentTokens): void {
    if (text.length > this.maxChars / 4) return;
    this.map.set(text, value);
    this.chars += text.length;
    for (const [k] of this.map) {
      if (this.chars <= this.maxChars && this.map.size <= this.maxEntries) break;
      this.map.delete(k);
      this.chars -= k.length;
    }
  }

  /** Tokenizes a long text as an edit of the most similar recent long segment (same encoding), else in full. */
  private fromRecent(text: string, tokenizer: Tokenizer): TokenState {
    let best: TokenState | undefined,
      bestShared = 0;
    for (const r of this.recent) {
      if (r.encoding !== tokenizer.encoding) continue;
      const shared = commonPrefix(r.text, text) + commonSuffix(r.text, text);
      if (shared > bestShared) {
        best = r;
        bestShared = shared;
      }
    }
    let state: TokenState;
    // Worth it when the two share most of their text; an unrelated segment is tokenized from scratch.
    if (best && bestShared >= text.length / 2) {
      const start = commonPrefix(best.text, text);
      const suffix = Math.min(commonSuffix(best.text, text), best.text.length - start, text.length - start);
      // The edited version replaces the old one: its arrays are reused in place, so the old text leaves the memo
      // (an undo tokenizes it again from this one).
      const old = this.map.get(best.text);
      if (old) {
        this.map.delete(best.text);
        this.chars -= best.text.length;
      }
      state = tokenizer.retokenize(
        best,
        { start, end: best.text.length - suffix, text: text.slice(start, text.length - suffix) },
        text,
        { reusePrevious: true },
      ).state;
      this.recent.splice(this.recent.indexOf(best), 1);
    } else {
      state = tokenizer.tokenize(text);
    }
    this.recent.push(state);
    if (this.recent.length > RECENT_LONG) this.recent.shift();
    return state;
  }

  /** Whether the text's tokens are held (a render would not tokenize it). */
  has(text: string): boolean {
    return this.map.has(text);
  }

  /**
   * Takes a full tokenization made elsewhere (in steps, so a host thread is never blocked for long): the next render
   * of this text, and an edit of it, start from it.
   */
  prime(state: TokenState): void {
    if (this.map.has(state.text)) return;
    this.remember(state.text, { ids: state.ids, offsets: state.offsets, pieceStarts: state.pieceStarts });
    if (state.text.length >= INCREMENTAL_MIN_CHARS) {
      this.recent.push(state);
      if (this.recent.length > RECENT_LONG) this.recent.shift();
    }
  }

  /** The full token state (with piece starts) of a text: one of the recent long segments, else tokenized now. */
  fullState(text: string, tokenizer: Tokenizer): TokenState {
    const held = this.map.get(text);
    if (held?.pieceStarts)
      return {
        encoding: tokenizer.encoding,
        text,
        ids: held.ids,
        offsets: held.offsets,
        pieceStarts: held.pieceStarts,
      };
    return this.recent.find((r) => r.encoding === tokenizer.encoding && r.text === text) ?? tokenizer.tokenize(text);
  }

  get size(): number {
    return this.map.size;
  }
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  // Halve the window while it differs: string equality of slices runs at memory speed, a char loop does not.
  let lo = 0,
    hi = n;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function commonSuffix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let lo = 0,
    hi = n;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(a.length - mid, a.length - lo) === b.slice(b.length - mid, b.length - lo)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const caches = new WeakMap<Tokenizer, SegmentCache>();

/** The shared cache of a tokenizer (tokenizers are singletons per encoding in the registry). */
export function segmentCacheFor(tokenizer: Tokenizer): SegmentCache {
  let c = caches.get(tokenizer);
  if (!c) caches.set(tokenizer, (c = new SegmentCache()));
  return c;
}
