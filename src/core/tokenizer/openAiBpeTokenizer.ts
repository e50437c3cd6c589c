import { bytePairMerge } from './bytePairMerge';
import { flatTokens, restartToken, resyncToken } from './incrementalWindow';
import { toByteString, tokenStarts } from './pieceBytes';
import type { RankTable } from './rankTable';
import { splitter } from './splitPatterns';
import { TokenBuffer } from './tokenBuffer';
import type { EncodingName, RetokenizeOptions, RetokenizeResult, TextEdit, TokenState, Tokenizer } from './types';

const CACHE_LIMIT = 50_000;

/**
 * tiktoken-exact BPE with UTF-16 offsets: the encoding's split regex cuts the text into pieces, each piece is
 * byte-pair merged on its UTF-8 bytes with the encoding's ranks. Special-token text is plain text (tiktoken's
 * encode(text, [], [])), so a prompt that mentions "<|endoftext|>" never fails.
 */
export class OpenAiBpeTokenizer implements Tokenizer {
  readonly exact = true;
  private readonly re: RegExp;
  private readonly maxTokenBytes: number;
  /** Multi-token pieces seen recently (single-token pieces are one Map lookup anyway). */
  private readonly cache = new Map<string, number[]>();
  private readonly window = new TokenBuffer(1024);
  private startScratch = new Int32Array(256);

  constructor(
    readonly encoding: EncodingName,
    private readonly table: RankTable,
    pattern: string,
  ) {
    this.re = splitter(pattern);
    let max = 0;
    for (const n of table.byteLength) if (n > max) max = n;
    this.maxTokenBytes = max;
  }

  encode(text: string): Uint32Array {
    return this.tokenize(text).ids;
  }

  count(text: string): number {
    return this.tokenize(text).ids.length;
  }

  tokenize(text: string): TokenState {
    const b = new TokenBuffer(Math.max(16, text.length >> 2));
    this.scan(text, 0, b, undefined, Infinity);
    return this.assemble(text, b, undefined, 0, 0, 0);
  }

  tokenizeInSteps(text: string): { step(budgetMs: number): TokenState | undefined } {
    const b = new TokenBuffer(Math.max(16, text.length >> 2));
    let pos = 0;
    let done: TokenState | undefined;
    return {
      step: (budgetMs: number) => {
        if (done) return done;
        pos = this.scan(text, pos, b, undefined, performance.now() + budgetMs);
        if (pos >= text.length) done = this.assemble(text, b, undefined, 0, 0, 0);
        return done;
      },
    };
  }

  retokenize(prev: TokenState, edit: TextEdit, newText?: string, options?: RetokenizeOptions): RetokenizeResult {
    const old = prev.text;
    const start = clamp(edit.start, 0, old.length),
      end = clamp(edit.end, start, old.length);
    const text = newText ?? old.slice(0, start) + edit.text + old.slice(end);
    const dPos = edit.text.length - (end - start);
    const flags = prev.pieceStarts;
    if (
      prev.encoding !== this.encoding ||
      !flags ||
      flags.length !== prev.ids.length ||
      prev.ids.length === 0 ||
      text.length !== old.length + dPos
    ) {
      const state = this.tokenize(text);
      return { state, firstChangedToken: commonPrefix(prev.ids, state.ids, 0) };
    }
    const tokens = flatTokens(prev);
    const t = restartToken(tokens, start, (i) => old.charCodeAt(i));
    const insEnd = start + edit.text.length;
    const resync = resyncToken(tokens, end, insEnd, dPos);
    const w = this.window;
    w.reset();
    this.scan(text, prev.offsets[t], w, resync.test, Infinity);
    if (options?.reusePrevious) {
      const firstChangedToken = firstChange(prev.ids, w, t, resync.tail);
      return { state: this.assembleInPlace(text, w, prev, t, resync.tail, dPos), firstChangedToken };
    }
    const state = this.assemble(text, w, prev, t, resync.tail, dPos);
    return { state, firstChangedToken: commonPrefix(prev.ids, state.ids, t) };
  }

  /**
   * The tokens of text[from, …) into `into` (positions in `text`), stopping before the first piece start `stop`
   * accepts; returns where it stopped (text.length when it ran to the end). For re-tokenizing a window of a text held
   * elsewhere in chunks (ChunkedTokens): `text` is then the window.
   */
  scanPieces(text: string, from: number, into: TokenBuffer, stop?: (pos: number) => boolean): number {
    return this.scan(text, from, into, stop, Infinity);
  }

  /**
   * Appends the tokens of the pieces from `from` on; stops before the first piece start `stop` accepts, or once
   * the clock passes `deadline` (checked every 64 pieces). Returns where it stopped.
   */
  private scan(
    text: string,
    from: number,
    b: TokenBuffer,
    stop: ((pos: number) => boolean) | undefined,
    deadline: number,
  ): number {
    const re = this.re,
      rank = this.table.rank;
    let pos = from,
      n = 0;
    while (pos < text.length) {
      if (stop?.(pos)) return pos;
      if (deadline !== Infinity && (++n & 63) === 0 && performance.now() > deadline) return pos;
      re.lastIndex = pos;
      // test() instead of exec(): no match array to allocate; the piece is text[pos, lastIndex).
      if (!re.test(text)) {
        // unreachable: the alternatives cover every code point; keep going rather than loop
        b.push(rank.get(toByteString(text[pos]))!, pos, 1);
        pos++;
        continue;
      }
      const piece = text.slice(pos, re.lastIndex);
      const key = toByteString(piece);
      const single = rank.get(key);
      if (single !== undefined) b.push(single, pos, 1);
      else this.pushPiece(piece, key, pos, b);
      pos = re.lastIndex;
    }
    return pos;
  }

  private pushPiece(piece: string, key: string, pos: number, b: TokenBuffer): void {
    let ids = this.cache.get(piece);
    if (ids === undefined) {
      ids = bytePairMerge(key, this.table, this.maxTokenBytes);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(detach(piece), ids);
    }
    b.reserve(ids.length);
    const len = this.table.byteLength;
    if (key.length === piece.length) {
      // ASCII: one byte per UTF-16 unit
      let at = pos;
      for (let k = 0; k < ids.length; k++) {
        b.push(ids[k], at, k === 0 ? 1 : 0);
        at += len[ids[k]];
      }
      return;
    }
    if (this.startScratch.length < ids.length) this.startScratch = new Int32Array(ids.length * 2);
    const s = this.startScratch;
    tokenStarts(piece, ids, len, s);
    for (let k = 0; k < ids.length; k++) b.push(ids[k], pos + s[k], k === 0 ? 1 : 0);
  }

  /**
   * assemble() into the old state's own buffers (views over a larger backing store): the tail is moved with
   * copyWithin and its offsets shifted; only when the backing store is too small is a bigger one allocated.
   */
  private assembleInPlace(
    text: string,
    w: TokenBuffer,
    old: TokenState,
    head: number,
    tail: number,
    dPos: number,
  ): TokenState {
    const nTail = old.ids.length - tail;
    const n = head + w.length + nTail;
    const capacity = Math.min(
      old.ids.buffer.byteLength / 4,
      old.offsets.buffer.byteLength / 4 - 1,
      old.pieceStarts!.buffer.byteLength,
    );
    const aligned = old.ids.byteOffset === 0 && old.offsets.byteOffset === 0 && old.pieceStarts!.byteOffset === 0;
    if (!aligned || capacity < n) {
      const cap = Math.ceil(n * GROWTH) + 16;
      const grown = this.assemble(text, w, old, head, tail, dPos);
      const ids = new Uint32Array(cap),
        offsets = new Int32Array(cap + 1),
        pieceStarts = new Uint8Array(cap);
      ids.set(grown.ids);
      offsets.set(grown.offsets);
      pieceStarts.set(grown.pieceStarts!);
      return {
        encoding: this.encoding,
        text,
        ids: ids.subarray(0, n),
        offsets: offsets.subarray(0, n + 1),
        pieceStarts: pieceStarts.subarray(0, n),
      };
    }
    const ids = new Uint32Array(old.ids.buffer),
      offsets = new Int32Array(old.offsets.buffer),
      flags = new Uint8Array(old.pieceStarts!.buffer);
    const at = head + w.length;
    if (nTail > 0 && at !== tail) {
      ids.copyWithin(at, tail, tail + nTail);
      offsets.copyWithin(at, tail, tail + nTail);
      flags.copyWithin(at, tail, tail + nTail);
    }
    if (dPos !== 0) for (let k = at; k < at + nTail; k++) offsets[k] += dPos;
    ids.set(w.ids.subarray(0, w.length), head);
    offsets.set(w.starts.subarray(0, w.length), head);
    flags.set(w.pieceStarts.subarray(0, w.length), head);
    offsets[n] = text.length;
    return {
      encoding: this.encoding,
      text,
      ids: ids.subarray(0, n),
      offsets: offsets.subarray(0, n + 1),
      pieceStarts: flags.subarray(0, n),
    };
  }

  /** old tokens [0, head) + window tokens + old tokens [tail, end) shifted by dPos. */
  private assemble(
    text: string,
    w: TokenBuffer,
    old: TokenState | undefined,
    head: number,
    tail: number,
    dPos: number,
  ): TokenState {
    const nTail = old ? old.ids.length - tail : 0;
    const n = head + w.length + nTail;
    const ids = new Uint32Array(n),
      offsets = new Int32Array(n + 1),
      pieceStarts = new Uint8Array(n);
    if (old && head > 0) {
      ids.set(old.ids.subarray(0, head));
      offsets.set(old.offsets.subarray(0, head));
      pieceStarts.set(old.pieceStarts!.subarray(0, head));
    }
    ids.set(w.ids.subarray(0, w.length), head);
    offsets.set(w.starts.subarray(0, w.length), head);
    pieceStarts.set(w.pieceStarts.subarray(0, w.length), head);
    if (old && nTail > 0) {
      const at = head + w.length;
      ids.set(old.ids.subarray(tail), at);
      pieceStarts.set(old.pieceStarts!.subarray(tail), at);
      const o = old.offsets;
      if (dPos === 0) offsets.set(o.subarray(tail, tail + nTail), at);
      else for (let k = 0; k < nTail; k++) offsets[at + k] = o[tail + k] + dPos;
    }
    offsets[n] = text.length;
    return { encoding: this.encoding, text, ids, offsets, pieceStarts };
  }
}

/** Spare capacity when a reused state must grow, so a typing run does not reallocate on every keystroke. */
const GROWTH = 1.25;

/**
 * First index where old ids and the new stream (old [0, head) + window + old [tail, end)) differ, computed before
 * the old arrays are overwritten in place.
 */
function firstChange(old: Uint32Array, w: TokenBuffer, head: number, tail: number): number {
  const nNew = head + w.length + (old.length - tail);
  const lim = Math.min(old.length, nNew);
  let i = head;
  for (; i < lim && i < head + w.length; i++) if (old[i] !== w.ids[i - head]) return i;
  for (let j = tail; i < lim; i++, j++) if (old[i] !== old[j]) return i;
  return i;
}

/**
 * A copy of a piece that does not keep its source text alive: V8 makes slices of 13+ chars views into the parent
 * string, so caching `piece` itself would retain every old version of a large document. Concatenating and slicing
 * again flattens into a fresh string.
 */
function detach(piece: string): string {
  return piece.length < 13 ? piece : (' ' + piece).slice(1);
}

function clamp(x: number, lo: number, hi: number): number {
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, Math.trunc(x))) : lo;
}

function commonPrefix(a: Uint32Array, b: Uint32Array, from: number): number {
  const lim = Math.min(a.length, b.length);
  let i = Math.min(from, lim);
  while (i < lim && a[i] === b[i]) i++;
  return i;
}
