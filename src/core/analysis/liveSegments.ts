import type { TokenIds, TokenSources } from '../cache/tokenSources';
import type { RenderedPart, RenderedPrompt } from '../cache/types';
import { blockInfo } from '../prompt/render';
import type { Prompt, Segment, SourceRange } from '../prompt/types';
import type { SourceText } from '../text/lineIndex';
import { lastAtMost, lastAtMostBy } from '../text/sortedSearch';
import type { PieceText } from '../text/pieceText';
import type { ChunkedTokens } from '../tokenizer/chunkedTokens';

/** Tokens that never change while followed (chat framing, tool JSON): all at the segment's start in the source. */
export class FixedTokens {
  constructor(private readonly idv: Uint32Array) {}
  get length(): number {
    return this.idv.length;
  }
  offsetAt(): number {
    return 0;
  }
  tokenAtOrBefore(): number {
    return 0;
  }
  ids(): Uint32Array {
    return this.idv;
  }
  run(i: number): Uint32Array {
    return this.idv.subarray(i);
  }
}

/**
 * Where a JSON string's decoded units are in the source, as its escapes: unit i is at base + i + the extra source
 * units of the escapes before it (`\n` is 1 extra, `\u00e9` 5). An edit shifts the escapes after it — O(escapes) in
 * typed-array copies, not O(string) as a map of every unit would be.
 */
export class EscapeMap {
  private constructor(
    /** The decoded unit of each escape, ascending. */
    private readonly index: Int32Array,
    /** Extra source units of the escapes up to and including each. */
    private readonly extra: Int32Array,
  ) {}

  static readonly none = new EscapeMap(new Int32Array(0), new Int32Array(0));

  get size(): number {
    return this.index.length;
  }

  /** From a sourceOffsets map (length = units + 1). */
  static from(map: Int32Array): EscapeMap {
    const index: number[] = [],
      extra: number[] = [];
    for (let i = 0; i + 1 < map.length; i++) {
      const width = map[i + 1] - map[i];
      if (width > 1) {
        index.push(i);
        extra.push((extra.at(-1) ?? 0) + width - 1);
      }
    }
    return new EscapeMap(Int32Array.from(index), Int32Array.from(extra));
  }

  /** The number of escapes at decoded units below i. */
  private count(i: number): number {
    let lo = 0,
      hi = this.index.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.index[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Extra source units before decoded unit i. */
  private before(i: number): number {
    const k = this.count(i);
    return k ? this.extra[k - 1] : 0;
  }

  sourceOf(base: number, i: number): number {
    return base + i + this.before(i);
  }

  /** The decoded unit that starts at source offset x (of `units`), or -1 when x is inside an escape. */
  unitAt(base: number, x: number, units: number): number {
    let lo = 0,
      hi = units;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sourceOf(base, mid) < x) lo = mid + 1;
      else hi = mid;
    }
    return this.sourceOf(base, lo) === x ? lo : -1;
  }

  /**
   * The map after decoded units [i, j) (with their escapes) became m units whose own escapes are `inserted` ([unit
   * within the m, source width]); this one stays as it was.
   */
  edited(i: number, j: number, m: number, inserted: readonly (readonly [number, number])[] = []): EscapeMap {
    const d = m - (j - i);
    const a = this.count(i),
      b = this.count(j),
      n = this.index.length;
    if (!d && a === b && !inserted.length) return this;
    const size = a + inserted.length + (n - b);
    const index = new Int32Array(size),
      extra = new Int32Array(size);
    index.set(this.index.subarray(0, a));
    extra.set(this.extra.subarray(0, a));
    let acc = a ? this.extra[a - 1] : 0,
      k = a;
    for (const [u, w] of inserted) {
      acc += w - 1;
      index[k] = i + u;
      extra[k++] = acc;
    }
    const dropped = (b ? this.extra[b - 1] : 0) - acc;
    for (let x = b; x < n; x++, k++) {
      index[k] = this.index[x] + d;
      extra[k] = this.extra[x] - dropped;
    }
    return new EscapeMap(index, extra);
  }

  toMap(base: number, units: number): Int32Array {
    const out = new Int32Array(units + 1);
    let k = 0,
      extra = 0;
    for (let i = 0; i <= units; i++) {
      while (k < this.index.length && this.index[k] < i) extra = this.extra[k++];
      out[i] = base + i + extra;
    }
    return out;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * What typed source text is inside a JSON string: its decoded text and its escapes ([decoded unit, source width]);
 * undefined when it is not whole JSON string characters (a bare quote or control character, a lone or cut escape).
 */
export function decodeJsonChars(src: string): { text: string; escapes: [number, number][] } | undefined {
  const escapes: [number, number][] = [];
  let text = '',
    from = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 34 || c < 32) return undefined;
    if (c !== 92) continue;
    text += src.slice(from, i);
    const e = src[i + 1];
    let unit: string;
    if (e === 'u') {
      const hex = src.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
      unit = String.fromCharCode(parseInt(hex, 16));
    } else if (e !== undefined && Object.hasOwn(SIMPLE_ESCAPES, e)) unit = SIMPLE_ESCAPES[e];
    else return undefined;
    const width = e === 'u' ? 6 : 2;
    escapes.push([text.length, width]);
    text += unit;
    i += width - 1;
    from = i + 1;
  }
  return { text: text + src.slice(from), escapes };
}

/**
 * One rendered segment of a followed prompt, in render order (renderPrompt skips empty ones, so does this):
 * - verbatim: text = the document's [range.start, range.end); token sources are range.start + offset;
 * - mapped: a JSON string with escapes; `decoded` is its text, `escapes` where its units are in the source;
 * - fixed: tokens that no edit here reaches, all at range.start.
 * `tokens` and `decoded` change in place as edits come; `state` and `seg` are this version's, never changed after.
 */
export interface LiveSegment {
  readonly block: number;
  /** A JSON string without escapes is verbatim until an edit types one (then mapped). */
  kind: SegmentState['kind'];
  readonly tokens: ChunkedTokens | FixedTokens;
  decoded?: PieceText;
  escapes?: EscapeMap;
  state: SegmentState;
  seg: Segment;
}

/** What a report reads of one segment: fixed once made, so a report stays true after later edits. */
export interface SegmentState {
  readonly block: number;
  readonly kind: 'verbatim' | 'mapped' | 'fixed';
  readonly range: SourceRange;
  readonly framing: boolean;
  readonly tokens: ChunkedTokens | FixedTokens;
  readonly escapes?: EscapeMap;
  /** A mapped segment's decoded length. */
  readonly units?: number;
}

/** The segment's state now: its tokens copied (O(chunks)) when they changed, else shared with `prev`. */
export function freeze(s: LiveSegment, range: SourceRange, tokensChanged: boolean): SegmentState {
  const tokens = !tokensChanged ? s.state.tokens : s.tokens instanceof FixedTokens ? s.tokens : s.tokens.snapshot();
  return {
    block: s.block,
    kind: s.kind,
    range,
    framing: s.state.framing,
    tokens,
    ...(s.escapes ? { escapes: s.escapes, units: s.decoded!.length } : {}),
  };
}

/** The source offset of a segment's token that starts at `offset` in its text. */
function sourceOf(s: SegmentState, offset: number): number {
  if (s.kind === 'verbatim') return s.range.start + offset;
  if (s.kind === 'mapped') return s.escapes!.sourceOf(s.range.start, Math.min(offset, s.units!));
  return s.range.start;
}

/**
 * Token offsets and ids of the followed segments as one index: a binary search over segments, then over chunks; ids
 * are read a chunk at a time (run), never copied into one array unless someone asks for ids().
 */
export class SegmentSources implements TokenSources, TokenIds {
  readonly length: number;

  constructor(
    private readonly segs: readonly SegmentState[],
    private readonly starts: Int32Array,
  ) {
    this.length = starts[segs.length];
  }

  at(i: number): number | undefined {
    if (!(i >= 0 && i < this.length)) return undefined;
    const k = this.segmentOf(i);
    const s = this.segs[k];
    return sourceOf(s, s.tokens.offsetAt(i - this.starts[k]));
  }

  /** The same binary search tokenAtOffset() runs over the flat array (whose order follows render, not source). */
  find(offset: number): number {
    return !this.length || offset < this.at(0)! ? 0 : lastAtMostBy((i) => this.at(i)!, this.length, offset);
  }

  run(i: number): Uint32Array {
    const k = this.segmentOf(i);
    return this.segs[k].tokens.run(i - this.starts[k]);
  }

  ids(): Uint32Array {
    const out = new Uint32Array(this.length);
    this.segs.forEach((s, k) => out.set(s.tokens.ids(), this.starts[k]));
    return out;
  }

  offsets(): Int32Array {
    const out = new Int32Array(this.length);
    this.segs.forEach((s, k) => {
      const n = s.tokens.length,
        at = this.starts[k];
      if (s.kind === 'verbatim') (s.tokens as ChunkedTokens).writeOffsets(out, at, s.range.start);
      else if (s.kind === 'fixed') out.fill(s.range.start, at, at + n);
      else for (let i = 0; i < n; i++) out[at + i] = sourceOf(s, s.tokens.offsetAt(i));
    });
    return out;
  }

  private segmentOf(i: number): number {
    return lastAtMost(this.starts, i, this.segs.length);
  }
}

/** The rendered prompt's counts and spans (as renderPrompt makes them), over the followed segments. */
export function renderedFields(
  prompt: Prompt,
  segs: readonly SegmentState[],
  encoding: string,
  exact: boolean,
): { fields: Omit<RenderedPrompt, 'ids' | 'tokenSource'>; sources: SegmentSources } {
  const blockStart = new Int32Array(prompt.blocks.length + 1);
  const segStart = new Int32Array(segs.length + 1);
  const parts: RenderedPart[] = [];
  const breakpoints: { token: number; block: number; ttl: '5m' | '1h' }[] = [];
  let total = 0,
    k = 0;
  prompt.blocks.forEach((block, b) => {
    blockStart[b] = total;
    for (; k < segs.length && segs[k].block === b; k++) {
      const s = segs[k],
        n = s.tokens.length,
        r = s.range;
      segStart[k] = total;
      parts.push({
        tokenStart: total,
        tokenEnd: total + n,
        sourceStart: r.start,
        sourceEnd: r.end,
        framing: s.framing,
      });
      total += n;
    }
    if (block.cacheControl) breakpoints.push({ token: total, block: b, ttl: block.cacheControl.ttl ?? '5m' });
  });
  blockStart[prompt.blocks.length] = total;
  segStart[segs.length] = total;
  const sources = new SegmentSources(segs, segStart);
  const auto = prompt.automaticCacheControl;
  const fields = {
    blockStart,
    breakpoints,
    parts,
    sources,
    blocks: prompt.blocks.map(blockInfo),
    ...(auto ? { automatic: { ttl: auto.ttl ?? '5m' } } : {}),
    encoding,
    exact,
  };
  return { fields, sources };
}

/**
 * A rendered prompt whose ids and offsets arrays are built when first read (O(n)); the live path itself reads
 * offsets through `sources` and, without `ids`, the ids through it too (`idRuns`). With `ids` (the steady state's
 * stand-in ids) the prompt has no runs: the simulator reads those. Never spread one: the spread would read both.
 */
export function withArrays(
  fields: Omit<RenderedPrompt, 'ids' | 'tokenSource'>,
  sources: SegmentSources,
  ids?: () => Uint32Array,
): RenderedPrompt {
  let i: Uint32Array | undefined, o: Int32Array | undefined;
  const out = ids ? { ...fields } : { ...fields, idRuns: sources };
  Object.defineProperties(out, {
    ids: { enumerable: true, get: () => (i ??= ids ? ids() : sources.ids()) },
    tokenSource: { enumerable: true, get: () => (o ??= sources.offsets()) },
  });
  return out as RenderedPrompt;
}

/** The Segment a followed one shows: its text (and a mapped one's source offsets) read only when asked for. */
export function segmentView(s: LiveSegment, doc: SourceText, range: SourceRange): Segment {
  if (s.kind === 'fixed') return { ...s.seg, range };
  let text: string | undefined, offsets: Int32Array | undefined;
  const seg = { range, verbatim: s.kind === 'verbatim' } as Segment;
  // `doc` is a snapshot; a mapped segment's decoded text and escapes are replaced, not changed, by an edit.
  const decoded = s.decoded,
    escapes = s.escapes;
  Object.defineProperty(seg, 'text', {
    enumerable: true,
    get: () => (text ??= decoded ? decoded.toString() : doc.slice(range.start, range.end)),
  });
  if (decoded && escapes) {
    const units = decoded.length;
    Object.defineProperty(seg, 'sourceOffsets', {
      enumerable: true,
      get: () => (offsets ??= escapes.toMap(range.start, units)),
    });
  }
  return seg;
}
