import { Simulator } from '../cache/simulator';
import type { TokenSources } from '../cache/tokenSources';
import type { CacheReport, Millis, RenderedPart, RenderedPrompt } from '../cache/types';
import type { ModelInfo } from '../pricing/types';
import { MAX_ANALYZED_CHARS, parsePrompt, sourceKind } from '../prompt/parse';
import { segmentCacheFor } from '../prompt/segmentCache';
import type { Block, Diagnostic, Prompt, PromptDocument, Segment } from '../prompt/types';
import { PieceText } from '../text/pieceText';
import { ChunkedTokens, type TokenText } from '../tokenizer/chunkedTokens';
import type { TextEdit, Tokenizer } from '../tokenizer/types';
import { documentReport, type BaselineInput, type DocumentReport, type DocumentReportResult } from './documentReport';
import { reportRanges } from './reportRanges';
import { BASELINE_AGE_MS, renderVersion, sendVersions, STEADY_STATE, type PromptVersion } from './versions';

export interface LiveReportInput {
  readonly text: string;
  readonly fileName: string;
  readonly languageId?: string;
  readonly model: ModelInfo;
  readonly tokenizer: Tokenizer;
  readonly baseline: BaselineInput;
  readonly now: Millis;
  readonly parsed?: PromptDocument;
}

/** One block of a text prompt (one verbatim segment each) with its tokens. */
interface LiveBlock {
  block: Block;
  tokens: ChunkedTokens;
}

/** Line breaks as a multiline regex sees them (the marker and front-matter patterns are line-anchored). */
const isLineBreak = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
/** Text that, in a line an edit touches, could make or unmake structure: a marker, a run-time reference. */
const STRUCTURAL = /<!--|\$\{|#file:/;
/** With a `${` in the text, a `}` can close a `${input:…}` lines later. */
const STRUCTURAL_WITH_SIGIL = /<!--|\$\{|#file:|\}/;
/** NUL and U+FFFD decide whether a file is "binary". */
const BINARY_CHARS = /[\0\uFFFD]/;
/** Prompts sniffed as text by content: their first 4,096 units decide the kind. */
const SNIFF_WINDOW = 4096;

let zeros = new Uint32Array(0);
/**
 * Stand-in ids for the steady state: the simulator then holds prefixes of the prompt itself, whose comparison it
 * skips for the same buffer, so the ids' values are never read and one zero-filled buffer serves every prompt.
 */
function standInIds(n: number): Uint32Array {
  if (zeros.length < n) zeros = new Uint32Array(Math.ceil(n * 1.25) + 4096);
  return zeros.subarray(0, n);
}

/**
 * The editor's cache report kept current edit by edit in O(edit + blocks + chunks), for plain-text and Markdown
 * prompts tokenized by the OpenAI engines: the text is a PieceText, each block's tokens a ChunkedTokens, and the
 * report comes from the same simulator, policies and report builder as documentReport() — fed a rendered prompt
 * whose offsets are an index over the chunks and whose ids are only materialized when someone reads them.
 *
 * update() declines (returns undefined; the object is then spent) whatever it cannot follow exactly: an edit that
 * touches structure (front matter, a marker line, a run-time reference, the content sniff window, an emptied
 * block), an edit before the point where the prompt leaves its baseline, a baseline entry expiring. The caller then
 * analyzes the whole text and starts a new LiveReport. Unit tests compare every update with documentReport().
 */
export class LiveReport {
  private spent = false;
  /** Why the last update() declined, for the timings command and tests. */
  declined: string | undefined;
  private readonly blocks: LiveBlock[];
  private prompt: Prompt;
  private diagnostics: readonly Diagnostic[];
  /** The baseline's simulator (built once), its reusable prefix, and the anchor ids it reads. */
  private readonly against?: { readonly sim: Simulator; readonly reusable: number; readonly ids: Uint32Array; readonly validUntil: Millis; readonly from: Millis };
  /** Where an edit must not reach: the front matter or first line, the content sniff window. */
  private readonly protectedEnd: number;
  private readonly structural: RegExp;

  private constructor(
    readonly text: PieceText, private readonly input: LiveReportInput, first: DocumentReport, doc: PromptDocument,
    private readonly baseline: BaselineInput, anchorIds: Uint32Array, private readonly baselineProblem: string | undefined,
  ) {
    const prompt = doc.prompts[0];
    const cache = segmentCacheFor(input.tokenizer);
    this.prompt = prompt;
    this.diagnostics = doc.diagnostics;
    this.blocks = prompt.blocks.map((block) => ({ block, tokens: ChunkedTokens.from(cache.fullState(block.segments[0].text, input.tokenizer)) }));
    const bodyStart = prompt.blocks[0]?.range.start ?? 0;
    const firstLineEnd = input.text.search(/[\n\r\u2028\u2029]/);
    const sniffed = sourceKind(input.fileName, input.languageId, '') === 'text';
    this.protectedEnd = Math.max(bodyStart > 1 ? bodyStart : firstLineEnd < 0 ? input.text.length + 1 : firstLineEnd + 1, sniffed ? SNIFF_WINDOW + 1 : 0);
    this.structural = input.text.includes('${') ? STRUCTURAL_WITH_SIGIL : STRUCTURAL;
    if (baseline.kind !== 'steady') {
      const sim = new Simulator();
      // The baseline as documentReport sent it (same label, text and time), so the simulator is the one it built.
      const b = renderVersion(baseline.label, baseline.fileName ?? input.fileName, baseline.text ?? '', input.tokenizer, baseline.sentAt);
      if (!b.ok) throw new Error(`internal: the baseline rendered for documentReport() did not render again: ${b.message}`);
      sendVersions(sim, [b.version], input.model, input.now);
      const live = sim.entries().filter((e) => e.writtenAt + e.ttlMs > input.now);
      const validUntil = Math.min(...live.map((e) => e.writtenAt + e.ttlMs), input.now + 60 * BASELINE_AGE_MS);
      const ids = new Uint32Array(Math.ceil(anchorIds.length * 1.25) + 4096);
      ids.set(anchorIds);
      this.against = { sim, reusable: first.report.reusablePrefixTokens, ids, validUntil, from: input.now };
    }
  }

  /**
   * The report of a document and, where it can follow edits, a LiveReport for them. `result` is documentReport()'s.
   */
  static start(input: LiveReportInput): { readonly result: DocumentReportResult; readonly live?: LiveReport } {
    const parsed = input.parsed ?? parsePrompt(input.text, { fileName: input.fileName, languageId: input.languageId });
    const result = documentReport({ ...input, parsed });
    if (!result.ok || !LiveReport.follows(input, parsed, result.value)) return { result };
    const problem = result.value.baselineProblem;
    // As documentReport() does: a baseline it could not use (or with no text) is the steady state.
    const baseline = problem || (input.baseline.kind !== 'steady' && input.baseline.text === undefined) ? { kind: 'steady' as const, label: STEADY_STATE } : input.baseline;
    const live = new LiveReport(new PieceText(input.text), input, result.value, parsed, baseline, result.value.rendered.ids, problem);
    return { result, live };
  }

  private static follows(input: LiveReportInput, doc: PromptDocument, first: DocumentReport): boolean {
    const p = doc.prompts;
    if (p.length !== 1 || (p[0].format !== 'text' && p[0].format !== 'markdown') || !ChunkedTokens.supports(input.tokenizer)) return false;
    if (!p[0].blocks.length || p[0].blocks.some((b) => b.segments.length !== 1 || !b.segments[0].verbatim)) return false;
    if (doc.diagnostics.some((d) => d.code === 'front-matter-unclosed') || BINARY_CHARS.test(input.text)) return false;
    return first.version.rendered.length === 1;
  }

  /** The text as a string (built on demand). */
  get source(): string {
    return this.text.toString();
  }

  /** The document as parsed, kept current. */
  get parsed(): PromptDocument {
    return { prompts: [this.prompt], diagnostics: this.diagnostics };
  }

  /**
   * Applies edits (each in the offsets of the text after the ones before it, as VS Code lists a change event's) and
   * returns the report at `now`; undefined when it cannot follow them (start again from the whole text).
   */
  update(edits: readonly TextEdit[], now: Millis): DocumentReportResult | undefined {
    if (this.spent) return undefined;
    const a = this.against;
    if (a && (now < a.from || now >= a.validUntil)) return this.decline('a baseline entry expired (or the clock went back)');
    for (const e of edits) {
      const why = this.apply(e);
      if (why) return this.decline(why);
    }
    return { ok: true, value: this.report(now) };
  }

  private decline(why: string): undefined {
    this.spent = true;
    this.declined = why;
    return undefined;
  }

  /** Applies one edit; returns why it cannot be followed, or undefined. */
  private apply(e: TextEdit): string | undefined {
    const text = this.text;
    if (e.start < this.protectedEnd) return 'edit in the front matter, first line or sniffed head';
    if (e.end < e.start || e.end > text.length || BINARY_CHARS.test(e.text)) return 'edit out of range or binary';
    // Line breaks: a CR may only come in as part of CRLF, and nothing may land between a CR and what follows it.
    if (/\r(?!\n)/.test(e.text) || text.charCodeAt(e.start - 1) === 13) return 'a lone CR, or an edit after a CR';
    if (text.length - (e.end - e.start) + e.text.length > MAX_ANALYZED_CHARS) return 'too large';
    const k = this.blocks.findIndex((b) => b.block.range.start <= e.start && e.end <= b.block.range.end);
    if (k < 0) return 'edit across blocks or outside them';
    const removed = text.slice(e.start, e.end);
    if (/[\r\0\uFFFD]/.test(removed)) return 'removes a CR';
    // The lines the edit touches, before and after: nothing in them may be (or become) structure.
    const oldLines = this.lineAround(e.start, e.end);
    if (this.structural.test(text.slice(oldLines[0], oldLines[1]))) return 'edit in a line with structure (marker, reference)';
    if (this.diagnostics.some((d) => d.range.end >= oldLines[0] && d.range.start <= oldLines[1])) return 'edit in a line with a diagnostic';
    const lb = this.blocks[k];
    const range = lb.block.range, dPos = e.text.length - (e.end - e.start);
    if (range.end - range.start + dPos <= 0) return 'empties a block';
    text.edit(e.start, e.end, e.text);
    const newLines = this.lineAround(e.start, e.start + e.text.length);
    if (this.structural.test(text.slice(newLines[0], newLines[1]))) return 'edit makes structure (marker, reference)';
    const view = segmentView(text, range.start, range.end + dPos);
    const { firstChanged } = lb.tokens.edit({ start: e.start - range.start, end: e.end - range.start, text: e.text }, view, this.input.tokenizer);
    if (this.against) {
      let before = 0;
      for (let j = 0; j < k; j++) before += this.blocks[j].tokens.length;
      if (before + firstChanged <= this.against.reusable) return 'edit before where the prompt leaves its baseline';
    }
    this.shift(k, e.end, dPos, /[\n\r\u2028\u2029]/.test(removed + e.text));
    return undefined;
  }

  /** [start of the line holding `from`, end of the line holding `to`] in the current text. */
  private lineAround(from: number, to: number): [number, number] {
    const t = this.text;
    let a = from;
    while (a > 0 && !isLineBreak(t.charCodeAt(a - 1))) a--;
    let b = to;
    while (b < t.length && !isLineBreak(t.charCodeAt(b))) b++;
    return [a, b];
  }

  /** Block k grew by dPos; the blocks after it and what lies from `end` (old offsets) on move by dPos. */
  private shift(k: number, end: number, dPos: number, lines: boolean): void {
    const text = this.text;
    const moved = (r: { start: number; end: number }) => ({ start: r.start >= end ? r.start + dPos : r.start, end: r.end >= end ? r.end + dPos : r.end });
    this.blocks.forEach((lb, j) => {
      if (j < k) return;
      const r = lb.block.range;
      const range = j === k ? { start: r.start, end: r.end + dPos } : { start: r.start + dPos, end: r.end + dPos };
      lb.block = { ...lb.block, range, segments: [lazySegment(text, range)] };
    });
    if (!dPos && !lines) return;
    const diag = (d: Diagnostic): Diagnostic => {
      if (d.range.start < end) return d;
      const range = moved(d.range), { line, column } = text.position(range.start);
      return { ...d, range, line, column };
    };
    const map = new Map(this.diagnostics.map((d) => [d, diag(d)] as const));
    this.diagnostics = this.diagnostics.map((d) => map.get(d)!);
    this.prompt = { ...this.prompt, range: { start: this.prompt.range?.start ?? 0, end: text.length }, diagnostics: this.prompt.diagnostics.map((d) => map.get(d) ?? diag(d)) };
  }

  private report(now: Millis): DocumentReport {
    const { model } = this.input;
    this.prompt = { ...this.prompt, blocks: this.blocks.map((b) => b.block) };
    const { fields, sources } = this.renderedFields();
    const rendered = withArrays(fields, sources, () => sources.ids());
    const opts = { text: this.text, lineIndex: this.text };
    let report: CacheReport;
    if (this.against) {
      // The simulator reads ids only up to where the prompt leaves the baseline, which no edit here reached.
      const n = sources.length;
      if (n > this.against.ids.length) throw new Error('internal: the live prompt outgrew its baseline buffer');
      const standIn = withArrays(fields, sources, () => this.against!.ids.subarray(0, n));
      report = this.against.sim.analyze(standIn, model, now, opts);
    } else {
      const sim = new Simulator();
      const standIn = withArrays(fields, sources, () => standInIds(sources.length));
      sim.request(standIn, model, now - BASELINE_AGE_MS, { ...opts, label: STEADY_STATE });
      report = sim.analyze(standIn, model, now, opts);
    }
    const version: PromptVersion = lazyVersion(this.input.fileName, this.text, [this.prompt], [rendered]);
    const b = this.baseline;
    return {
      report: { ...report, matched: report.baseline, baseline: { kind: b.kind, label: b.label }, ranges: reportRanges(rendered, report) },
      rendered, version,
      ...(this.baselineProblem ? { baselineProblem: this.baselineProblem } : {}),
    };
  }

  /** The rendered prompt's counts and spans over the chunks (its ids and offsets are left to withArrays). */
  private renderedFields(): { fields: Omit<RenderedPrompt, 'ids' | 'tokenSource'>; sources: BlockSources } {
    const blocks = this.blocks;
    const blockStart = new Int32Array(blocks.length + 1);
    const parts: RenderedPart[] = [];
    const breakpoints: { token: number; block: number; ttl: '5m' | '1h' }[] = [];
    let total = 0;
    blocks.forEach((b, i) => {
      blockStart[i] = total;
      const n = b.tokens.length, r = b.block.range;
      parts.push({ tokenStart: total, tokenEnd: total + n, sourceStart: r.start, sourceEnd: r.end, framing: false });
      total += n;
      if (b.block.cacheControl) breakpoints.push({ token: total, block: i, ttl: b.block.cacheControl.ttl ?? '5m' });
    });
    blockStart[blocks.length] = total;
    const sources = new BlockSources(blocks.map((b) => b.tokens), blockStart, blocks.map((b) => b.block.range.start));
    const t = this.input.tokenizer;
    const fields = { blockStart, breakpoints, parts, sources, blocks: blocks.map((b) => ({ label: b.block.label, kind: b.block.kind })), encoding: t.encoding, exact: t.exact };
    return { fields, sources };
  }
}

/**
 * A rendered prompt whose ids and offsets arrays are built when first read (O(n)); the live path itself reads
 * offsets through `sources`. Never spread one: the spread would read both.
 */
function withArrays(fields: Omit<RenderedPrompt, 'ids' | 'tokenSource'>, sources: BlockSources, ids: () => Uint32Array): RenderedPrompt {
  let i: Uint32Array | undefined, o: Int32Array | undefined;
  const out = { ...fields };
  Object.defineProperties(out, {
    ids: { enumerable: true, get: () => (i ??= ids()) },
    tokenSource: { enumerable: true, get: () => (o ??= sources.offsets()) },
  });
  return out as RenderedPrompt;
}

/** Token offsets of the blocks' chunks as one index (binary search over blocks, then chunks). */
class BlockSources implements TokenSources {
  readonly length: number;

  constructor(private readonly tokens: readonly ChunkedTokens[], private readonly starts: Int32Array, private readonly sourceStarts: readonly number[]) {
    this.length = starts[tokens.length];
  }

  at(i: number): number | undefined {
    if (!(i >= 0 && i < this.length)) return undefined;
    const b = this.blockOf(i);
    return this.sourceStarts[b] + this.tokens[b].offsetAt(i - this.starts[b]);
  }

  find(offset: number): number {
    if (!this.length || offset < this.at(0)!) return 0;
    let lo = 0, hi = this.tokens.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.sourceStarts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return this.starts[lo] + this.tokens[lo].tokenAtOrBefore(offset - this.sourceStarts[lo]);
  }

  ids(): Uint32Array {
    const out = new Uint32Array(this.length);
    this.tokens.forEach((t, b) => out.set(t.ids(), this.starts[b]));
    return out;
  }

  offsets(): Int32Array {
    const out = new Int32Array(this.length);
    this.tokens.forEach((t, b) => t.writeOffsets(out, this.starts[b], this.sourceStarts[b]));
    return out;
  }

  private blockOf(i: number): number {
    let lo = 0, hi = this.tokens.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= i) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
}

/** A block's text as the tokenizer reads it: a window of the document, offsets relative to the block. */
function segmentView(text: PieceText, start: number, end: number): TokenText {
  return {
    length: end - start,
    slice: (a, b) => text.slice(start + a, start + Math.min(b, end - start)),
    charCodeAt: (i) => (i >= 0 && i < end - start ? text.charCodeAt(start + i) : NaN),
  };
}

/** A verbatim segment whose text is read from the document only when asked for. */
function lazySegment(text: PieceText, range: { start: number; end: number }): Segment {
  let s: string | undefined;
  const seg = { range, verbatim: true } as Segment;
  Object.defineProperty(seg, 'text', { enumerable: true, get: () => (s ??= text.slice(range.start, range.end)) });
  return seg;
}

function lazyVersion(label: string, text: PieceText, prompts: readonly Prompt[], rendered: readonly RenderedPrompt[]): PromptVersion {
  const v = { label, prompts, rendered } as PromptVersion;
  Object.defineProperty(v, 'text', { enumerable: true, get: () => text.toString() });
  return v;
}
