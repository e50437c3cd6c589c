import type { Tokenizer } from '../tokenizer/types';

/** Token ids of one segment text, and (for texts that map to source) each token's start offset within the text. */
export interface SegmentTokens {
  readonly ids: Uint32Array;
  /** ids.length + 1 entries, as TokenState.offsets. */
  readonly offsets: Int32Array;
}

/**
 * Bounded LRU of segment text → tokens, one per tokenizer. Re-rendering after an edit then re-tokenizes only the
 * segments whose text changed. Bounded by total characters held, so one huge segment cannot pin memory.
 */
export class SegmentCache {
  private readonly map = new Map<string, SegmentTokens>();
  private chars = 0;

  constructor(private readonly maxChars = 8 * 1024 * 1024, private readonly maxEntries = 4096) {}

  get(text: string, tokenizer: Tokenizer): SegmentTokens {
    const hit = this.map.get(text);
    if (hit) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.map.delete(text);
      this.map.set(text, hit);
      return hit;
    }
    const state = tokenizer.tokenize(text);
    const value = { ids: state.ids, offsets: state.offsets };
    if (text.length <= this.maxChars / 4) {
      this.map.set(text, value);
      this.chars += text.length;
      for (const [k] of this.map) {
        if (this.chars <= this.maxChars && this.map.size <= this.maxEntries) break;
        this.map.delete(k);
        this.chars -= k.length;
      }
    }
    return value;
  }

  get size(): number {
    return this.map.size;
  }
}

const caches = new WeakMap<Tokenizer, SegmentCache>();

/** The shared cache of a tokenizer (tokenizers are singletons per encoding in the registry). */
export function segmentCacheFor(tokenizer: Tokenizer): SegmentCache {
  let c = caches.get(tokenizer);
  if (!c) caches.set(tokenizer, (c = new SegmentCache()));
  return c;
}
