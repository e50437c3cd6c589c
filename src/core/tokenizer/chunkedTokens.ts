import { lastAtMost } from '../text/sortedSearch';
import { restartToken, resyncToken, type OldTokens } from './incrementalWindow';
import { TokenBuffer } from './tokenBuffer';
import type { TextEdit, TokenState, Tokenizer } from './types';

/** Tokens per chunk: an edit rewrites one or two chunks, and the running totals have one entry per chunk. */
const CHUNK = 4096;
/** A re-synchronisation this close to the end of the window could see a truncated piece: widen the window instead. */
const SAFE = 64;

/** Tokens of one stretch of text; offsets are relative to the chunk's first token, which starts at `start`. */
interface Chunk {
  readonly ids: Uint32Array;
  readonly offs: Int32Array;
  readonly flags: Uint8Array;
  /** UTF-16 units from this chunk's first token to the next chunk's (or the end of the text). */
  readonly chars: number;
}

/** Read access to the text the tokens are of (a string, or PieceText). */
export interface TokenText {
  readonly length: number;
  slice(start: number, end: number): string;
  charCodeAt(i: number): number;
}

/**
 * The tokens of a long text, with offsets, in chunks with relative offsets — as editors keep text in piece trees — so
 * an edit re-tokenizes a window around it and rewrites one or two chunks: O(edit + chunks) instead of shifting every
 * token after the edit (what a flat TokenState costs at the top of a 10 MB prompt). Same tokens as a full
 * tokenization: the window starts and re-synchronises where the incremental engine does (incrementalWindow.ts).
 */
export class ChunkedTokens implements OldTokens {
  private chunks: Chunk[] = [];
  /** Running totals: tokStart[c] / charStart[c] of chunk c, then the totals. */
  private tokStart: number[] = [0];
  private charStart: number[] = [0];
  private readonly window = new TokenBuffer(1024);

  private constructor(private chars: number) {}

  /** From a full tokenization that kept piece starts (the OpenAI engines do). */
  static from(state: TokenState): ChunkedTokens {
    const t = new ChunkedTokens(state.text.length);
    const flags = state.pieceStarts!;
    const n = state.ids.length;
    for (let a = 0; a < n; a += CHUNK) {
      const b = Math.min(n, a + CHUNK),
        base = state.offsets[a];
      const offs = new Int32Array(b - a);
      for (let k = a; k < b; k++) offs[k - a] = state.offsets[k] - base;
      t.chunks.push({
        ids: state.ids.slice(a, b),
        offs,
        flags: flags.slice(a, b),
        chars: (b < n ? state.offsets[b] : state.text.length) - base,
      });
    }
    t.reindex(0);
    return t;
  }

  /** A copy that later edits of this store leave as it is (chunks are never changed, only replaced). */
  snapshot(): ChunkedTokens {
    const t = new ChunkedTokens(this.chars);
    t.chunks = [...this.chunks];
    t.tokStart = [...this.tokStart];
    t.charStart = [...this.charStart];
    return t;
  }

  /** True when the tokenizer can re-tokenize a window (scanPieces), which this store needs. */
  static supports(tokenizer: Tokenizer): boolean {
    return typeof tokenizer.scanPieces === 'function';
  }

  get length(): number {
    return this.tokStart[this.chunks.length];
  }

  idAt(i: number): number {
    const c = this.chunkOf(i);
    return this.chunks[c].ids[i - this.tokStart[c]];
  }

  /** Ids from token i (< length) to the end of its chunk, without copying. */
  run(i: number): Uint32Array {
    const c = this.chunkOf(i);
    return this.chunks[c].ids.subarray(i - this.tokStart[c]);
  }

  /** Offset of token i in the text (the text's length for i = length). */
  offsetAt(i: number): number {
    if (i >= this.length) return this.chars;
    const c = this.chunkOf(i);
    return this.charStart[c] + this.chunks[c].offs[i - this.tokStart[c]];
  }

  /** The last token starting at or before offset x (0 when none). */
  tokenAtOrBefore(x: number): number {
    const n = this.chunks.length;
    if (!n) return 0;
    const c = lastAtMost(this.charStart, x, n),
      rel = x - this.charStart[c];
    return rel < 0 ? 0 : this.tokStart[c] + lastAtMost(this.chunks[c].offs, rel);
  }

  /** All ids in one array (built on demand, O(n)). */
  ids(): Uint32Array {
    const out = new Uint32Array(this.length);
    this.chunks.forEach((c, k) => out.set(c.ids, this.tokStart[k]));
    return out;
  }

  /** Writes base + offset of every token into `into` from `at`. */
  writeOffsets(into: Int32Array, at: number, base: number): void {
    this.chunks.forEach((c, k) => {
      const s = base + this.charStart[k],
        o = at + this.tokStart[k],
        offs = c.offs;
      for (let i = 0; i < offs.length; i++) into[o + i] = s + offs[i];
    });
  }

  /** The whole store as one TokenState (tests compare it with a full tokenization). */
  toState(text: string): TokenState {
    const offsets = new Int32Array(this.length + 1);
    this.writeOffsets(offsets, 0, 0);
    offsets[this.length] = text.length;
    return { encoding: '', text, ids: this.ids(), offsets };
  }

  /**
   * Applies an edit (old-text offsets) given the new text; returns the first token that may have changed (tokens
   * before it are the old ones), how many tokens were added (negative: removed), and `end`: the old tokens from `end`
   * on are the new ones from end + added on (the re-synchronised tail, moved).
   */
  edit(
    edit: TextEdit,
    text: TokenText,
    tokenizer: Tokenizer,
  ): { readonly firstChanged: number; readonly added: number; readonly end: number } {
    const scan = tokenizer.scanPieces!.bind(tokenizer);
    const dPos = edit.text.length - (edit.end - edit.start);
    const n = this.length;
    const t = n ? restartToken(this, edit.start, (i) => text.charCodeAt(i)) : 0;
    const from = n ? this.offsetAt(t) : 0;
    const insEnd = edit.start + edit.text.length;
    let size = insEnd - from + 1024;
    for (;;) {
      const end = Math.min(text.length, from + size);
      const win = text.slice(from, end);
      const atEnd = end >= text.length;
      const sync = resyncToken(this, edit.end, insEnd, dPos);
      let overflow = false;
      const w = this.window;
      w.reset();
      const stopped = scan(win, 0, w, (p) => {
        if (!atEnd && p > win.length - SAFE) {
          overflow = true;
          return true;
        }
        return sync.test(from + p);
      });
      // Ran off a window that is not the end of the text: its last piece may have been cut short.
      if (overflow || (!atEnd && stopped >= win.length)) {
        size *= 4;
        continue;
      }
      // Tokens the window gave again (same ids from the restart on) did not change: the first change is past them.
      let same = 0;
      const lim = Math.min(w.length, sync.tail - t);
      while (same < lim && w.ids[same] === this.idAt(t + same)) same++;
      this.replace(t, sync.tail, w, from, dPos, text.length);
      return { firstChanged: t + same, added: w.length - (sync.tail - t), end: sync.tail };
    }
  }

  /** Whether token i begins a pre-token (the restart and resync rules read it). */
  isPieceStart(i: number): boolean {
    const c = this.chunkOf(i);
    return this.chunks[c].flags[i - this.tokStart[c]] === 1;
  }

  /** Old tokens [t, tail) become the window's tokens (positions relative to `from`); later offsets move by dPos. */
  private replace(t: number, tail: number, w: TokenBuffer, from: number, dPos: number, newLength: number): void {
    const nChunks = this.chunks.length;
    if (!nChunks) {
      this.chars = newLength;
      this.chunks = split(
        w.ids.slice(0, w.length),
        offsetsFrom(w.starts, w.length, 0),
        w.pieceStarts.slice(0, w.length),
        newLength,
      );
      this.reindex(0);
      return;
    }
    const ca = this.chunkOf(Math.min(t, this.length - 1));
    // The chunk holding `tail`; when tail starts a chunk, that chunk and all after it stay as they are.
    let cb = tail >= this.length ? nChunks - 1 : this.chunkOf(tail);
    if (tail < this.length && tail === this.tokStart[cb] && cb > ca) cb--;
    const base = this.charStart[ca];
    const left = t - this.tokStart[ca];
    const rightFrom = Math.max(tail - this.tokStart[cb], 0),
      right = this.chunks[cb].ids.length - rightFrom;
    const m = left + w.length + Math.max(0, right);
    const ids = new Uint32Array(m),
      offs = new Int32Array(m),
      flags = new Uint8Array(m);
    const A = this.chunks[ca],
      B = this.chunks[cb];
    ids.set(A.ids.subarray(0, left));
    offs.set(A.offs.subarray(0, left));
    flags.set(A.flags.subarray(0, left));
    ids.set(w.ids.subarray(0, w.length), left);
    flags.set(w.pieceStarts.subarray(0, w.length), left);
    for (let k = 0; k < w.length; k++) offs[left + k] = from + w.starts[k] - base;
    if (right > 0) {
      const at = left + w.length,
        shift = this.charStart[cb] + dPos - base;
      ids.set(B.ids.subarray(rightFrom), at);
      flags.set(B.flags.subarray(rightFrom), at);
      for (let k = 0; k < right; k++) offs[at + k] = B.offs[rightFrom + k] + shift;
    }
    const endNew = cb + 1 < nChunks ? this.charStart[cb + 1] + dPos : newLength;
    const repl = split(ids, offs, flags, endNew - base);
    if (!repl.length && ca > 0) {
      // Nothing left here: the chunk before covers the text up to the next chunk.
      const prev = this.chunks[ca - 1];
      this.chunks[ca - 1] = { ...prev, chars: endNew - this.charStart[ca - 1] };
    }
    this.chunks.splice(ca, cb - ca + 1, ...repl);
    this.chars = newLength;
    this.reindex(Math.max(0, ca - 1));
  }

  private chunkOf(i: number): number {
    return lastAtMost(this.tokStart, i, this.chunks.length);
  }

  private reindex(from: number): void {
    const n = this.chunks.length;
    this.tokStart.length = n + 1;
    this.charStart.length = n + 1;
    if (from === 0) {
      this.tokStart[0] = 0;
      this.charStart[0] = 0;
    }
    for (let k = from; k < n; k++) {
      this.tokStart[k + 1] = this.tokStart[k] + this.chunks[k].ids.length;
      this.charStart[k + 1] = this.charStart[k] + this.chunks[k].chars;
    }
  }
}

function offsetsFrom(starts: Int32Array, n: number, base: number): Int32Array {
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = starts[k] - base;
  return out;
}

/** Cuts tokens (offsets relative to their first) into chunks of at most 2×CHUNK; `chars` = units they cover. */
function split(ids: Uint32Array, offs: Int32Array, flags: Uint8Array, chars: number): Chunk[] {
  const m = ids.length;
  if (!m) return [];
  if (m <= 2 * CHUNK) return [{ ids, offs, flags, chars }];
  const out: Chunk[] = [];
  for (let a = 0; a < m; a += CHUNK) {
    const b = Math.min(m, a + CHUNK),
      base = offs[a];
    const o = new Int32Array(b - a);
    for (let k = a; k < b; k++) o[k - a] = offs[k] - base;
    out.push({ ids: ids.slice(a, b), offs: o, flags: flags.slice(a, b), chars: (b < m ? offs[b] : chars) - base });
  }
  return out;
}
