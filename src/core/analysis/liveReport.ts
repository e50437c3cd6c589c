import { mergeRanges } from '../cache/dynamicContent';
import { Simulator } from '../cache/simulator';
import type { CacheReport, Millis } from '../cache/types';
import type { ModelInfo } from '../pricing/types';
import { MAX_ANALYZED_CHARS, parsePrompt, sourceKind } from '../prompt/parse';
import { renderPrompt } from '../prompt/render';
import { segmentCacheFor } from '../prompt/segmentCache';
import type { Block, Diagnostic, Prompt, PromptDocument, Segment, SourceRange } from '../prompt/types';
import { PieceText } from '../text/pieceText';
import { ChunkedTokens, type TokenText } from '../tokenizer/chunkedTokens';
import type { TextEdit, Tokenizer } from '../tokenizer/types';
import { documentReport, type BaselineInput, type DocumentReport, type DocumentReportResult } from './documentReport';
import {
  decodeJsonChars,
  EscapeMap,
  FixedTokens,
  freeze,
  renderedFields,
  segmentView,
  withArrays,
  type LiveSegment,
  type SegmentState,
} from './liveSegments';
import { BaselineMatch } from './baselineMatch';
import { SNIFF_WINDOW, TextStructure } from './textEdits';
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

/** Formats whose edits inside a JSON string are followed. */
const JSON_FORMATS = new Set(['openai-chat', 'openai-responses', 'anthropic-messages', 'gemini-generate']);
/** NUL and U+FFFD decide whether a file is "binary". */
const BINARY_CHARS = /[\0\uFFFD]/;

let zeros = new Uint32Array(0);
/**
 * Stand-in ids for the steady state: the simulator then holds prefixes of the prompt itself, whose comparison it
 * skips for the same buffer, so the ids' values are never read and one zero-filled buffer serves every prompt.
 */
function standInIds(n: number): Uint32Array {
  if (zeros.length < n) zeros = new Uint32Array(Math.ceil(n * 1.25) + 4096);
  return zeros.subarray(0, n);
}

/** A block's segments: followed ones by index, empty ones (not rendered) as they are. */
type Slot = number | Segment;

/**
 * The editor's cache report kept current edit by edit, for plain-text and Markdown prompts and for edits inside the
 * strings of JSON request bodies, tokenized by the OpenAI engines: the text is a PieceText, each rendered segment's
 * tokens a ChunkedTokens, and the report comes from the same simulator, policies and report builder as
 * documentReport() — fed a rendered prompt whose offsets are an index over the chunks and whose ids are read from
 * the chunks (runs) or built only when someone asks. Against a baseline, the simulator's match starts where the edits
 * left what is known to match it (BaselineMatch), never at token 0. A keystroke costs O(edit + segments + chunks),
 * not O(document).
 *
 * update() declines (returns undefined; the object is then spent) whatever changes what the parser reads beyond the
 * edited text: front matter, a cache-breakpoint marker line, a run-time reference at or before the first of its kind,
 * the head of a file sniffed by its content turning into something else, a bare quote or control character (or half
 * an escape) in a JSON string, an emptied segment — and a baseline entry expiring. The caller then analyzes the whole
 * text and starts a new LiveReport. Typing, deleting, pasting and new lines anywhere else are followed, also in lines
 * of code with `${…}` and `}`, HTML comments and later references, and escapes typed whole in JSON strings. Unit tests
 * compare every update with documentReport().
 */
export class LiveReport {
  private spent = false;
  /** Why the last update() declined, for the timings command and tests. */
  declined: string | undefined;
  private readonly segs: LiveSegment[] = [];
  private readonly slots: Slot[][];
  private prompt: Prompt;
  private diagnostics: readonly Diagnostic[];
  /** The baseline's simulator (built once), and how far the prompt is known to match it (kept edit by edit). */
  private readonly against?: {
    readonly sim: Simulator;
    readonly match: BaselineMatch;
    readonly validUntil: Millis;
    readonly from: Millis;
  };
  /** Where an edit must not reach: the front matter. */
  private readonly protectedEnd: number;
  /** Text and Markdown prompts: what an edit must leave alone (markers, references, the head). */
  private readonly structure?: TextStructure;
  private readonly json: boolean;

  private constructor(
    readonly text: PieceText,
    private readonly input: LiveReportInput,
    doc: PromptDocument,
    private readonly baseline: BaselineInput,
    private readonly baselineProblem: string | undefined,
    sent: PromptVersion | undefined,
  ) {
    const prompt = doc.prompts[0];
    const { tokenizer, model, now } = input;
    const cache = segmentCacheFor(tokenizer);
    this.prompt = prompt;
    this.diagnostics = doc.diagnostics;
    this.json = JSON_FORMATS.has(prompt.format);
    this.slots = prompt.blocks.map((block, b) =>
      block.segments.map((seg) => {
        if (!seg.text && !seg.adjust) return seg;
        const editable = !seg.framing && (seg.verbatim || !!seg.sourceOffsets);
        // Long segments were usually tokenized in steps beforehand (pretokenize): the cache then holds them.
        const tokens = editable
          ? ChunkedTokens.from(cache.fullState(seg.text, tokenizer))
          : new FixedTokens(renderPrompt({ ...prompt, blocks: [{ ...block, segments: [seg] }] }, tokenizer).ids);
        const kind: SegmentState['kind'] = !editable ? 'fixed' : seg.verbatim ? 'verbatim' : 'mapped';
        const mapped =
          kind === 'mapped' ? { decoded: new PieceText(seg.text), escapes: EscapeMap.from(seg.sourceOffsets!) } : {};
        const state = {
          block: b,
          kind,
          range: seg.range,
          framing: !!seg.framing,
          tokens,
          ...(mapped.escapes ? { escapes: mapped.escapes, units: seg.text.length } : {}),
        };
        this.segs.push({ block: b, seg, kind, tokens, state, ...mapped });
        return this.segs.length - 1;
      }),
    );
    const sniffed = sourceKind(input.fileName, input.languageId, '') === 'text';
    const bodyStart = prompt.blocks[0]?.range.start ?? 0;
    const start = input.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    // Front matter is not followed (its keys choose the model); the head of a JSON body sniffed by content neither.
    this.protectedEnd = this.json ? (sniffed ? start + SNIFF_WINDOW + 1 : 0) : bodyStart > start ? bodyStart : 0;
    if (!this.json)
      this.structure = new TextStructure(
        input.text,
        prompt.format === 'markdown',
        start,
        sniffed ? { fileName: input.fileName, languageId: input.languageId } : undefined,
      );
    if (sent) {
      // The baseline sent as analyzeVersions() sends it; the first report compares the prompt with it from token 0.
      const sim = new Simulator();
      sendVersions(sim, [sent], model, now);
      const entries = sim.entries();
      const live = entries.filter((e) => e.writtenAt + e.ttlMs > now);
      const validUntil = Math.min(...live.map((e) => e.writtenAt + e.ttlMs), now + 60 * BASELINE_AGE_MS);
      this.against = { sim, match: new BaselineMatch(BaselineMatch.baseOf(entries), 0), validUntil, from: now };
    }
  }

  /**
   * The report of a document — documentReport()'s, computed here over the chunks when the document can be followed
   * (the unit tests compare the two) — and, then, a LiveReport to follow its edits.
   */
  static start(input: LiveReportInput): { readonly result: DocumentReportResult; readonly live?: LiveReport } {
    const parsed = input.parsed ?? parsePrompt(input.text, { fileName: input.fileName, languageId: input.languageId });
    if (!LiveReport.follows(input, parsed)) return { result: documentReport({ ...input, parsed }) };
    // The baseline as documentReport() takes it: one it cannot render (or with no text) leaves the steady state.
    let baseline = input.baseline,
      problem: string | undefined,
      sent: PromptVersion | undefined;
    if (baseline.kind !== 'steady' && baseline.text !== undefined) {
      const b = renderVersion(
        baseline.label,
        baseline.fileName ?? input.fileName,
        baseline.text,
        input.tokenizer,
        baseline.sentAt,
      );
      if (b.ok) sent = b.version;
      else {
        problem = `${baseline.label}: ${b.message}`;
        baseline = { kind: 'steady', label: STEADY_STATE };
      }
    } else if (baseline.kind !== 'steady') baseline = { kind: 'steady', label: STEADY_STATE };
    const live = new LiveReport(new PieceText(input.text), input, parsed, baseline, problem, sent);
    return { result: { ok: true, value: live.report(input.now) }, live };
  }

  private static follows(input: LiveReportInput, doc: PromptDocument): boolean {
    const p = doc.prompts;
    if (
      p.length !== 1 ||
      doc.diagnostics.some((d) => d.severity === 'error') ||
      !ChunkedTokens.supports(input.tokenizer) ||
      BINARY_CHARS.test(input.text)
    )
      return false;
    if (JSON_FORMATS.has(p[0].format)) return true;
    if (p[0].format !== 'text' && p[0].format !== 'markdown') return false;
    return p[0].blocks.length > 0 && !doc.diagnostics.some((d) => d.code === 'front-matter-unclosed');
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
    if (a && (now < a.from || now >= a.validUntil))
      return this.decline('a baseline entry expired (or the clock went back)');
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
    if (e.start < this.protectedEnd) return 'edit in the front matter';
    if (e.end < e.start || e.end > text.length || BINARY_CHARS.test(e.text)) return 'edit out of range or binary';
    if (text.length - (e.end - e.start) + e.text.length > MAX_ANALYZED_CHARS) return 'too large';
    const k = this.segs.findIndex(
      (s) => s.kind !== 'fixed' && s.state.range.start <= e.start && e.end <= s.state.range.end,
    );
    if (k < 0) return 'edit outside the text of one segment';
    const s = this.segs[k],
      range = s.state.range;
    const removed = text.slice(e.start, e.end);
    if (BINARY_CHARS.test(removed)) return 'removes a NUL or U+FFFD';
    if (this.diagnostics.some((d) => d.range.end >= e.start && d.range.start <= e.end))
      return 'edit where a diagnostic is';
    // A JSON string takes whole characters, escapes included (`\n`, `\"`, `\u00e9`); a bare quote or control character,
    // or half an escape, breaks the body.
    const typed = this.json ? decodeJsonChars(e.text) : undefined;
    if (this.json && !typed) return 'a bare quote or control character, or half an escape, in a JSON string';
    const why = this.structure?.before(text, e.start, e.end) ?? this.crProblem(e, removed);
    if (why) return why;
    const dPos = e.text.length - (e.end - e.start);
    if (range.end - range.start + dPos <= 0) return 'empties a segment';
    if (typed?.escapes.length && s.kind === 'verbatim') {
      // The string gets its first escape: from now on its text is decoded (it was its source, unit for unit).
      s.kind = 'mapped';
      s.decoded = new PieceText(text.slice(range.start, range.end));
      s.escapes = EscapeMap.none;
    }
    let res: { readonly firstChanged: number; readonly added: number; readonly end: number };
    if (s.kind === 'mapped') {
      const base = range.start,
        units = s.decoded!.length;
      const i = s.escapes!.unitAt(base, e.start, units),
        j = s.escapes!.unitAt(base, e.end, units);
      // Both ends between decoded units: the removed source is whole characters, escapes included.
      if (i < 0 || j < 0) return 'edit inside an escape';
      text.edit(e.start, e.end, e.text);
      // Replaced, not changed: the views of earlier versions keep reading their own.
      const decoded = s.decoded!.snapshot();
      decoded.edit(i, j, typed!.text);
      s.decoded = decoded;
      s.escapes = s.escapes!.edited(i, j, typed!.text.length, typed!.escapes);
      res = (s.tokens as ChunkedTokens).edit({ start: i, end: j, text: typed!.text }, decoded, this.input.tokenizer);
      if (!s.escapes.size) {
        // No escape left: the string is its source again, as the parser would say.
        s.kind = 'verbatim';
        s.decoded = s.escapes = undefined;
      }
    } else {
      text.edit(e.start, e.end, e.text);
      const after = this.structure?.after(text, e.start, e.end, e.start + e.text.length);
      if (after) return after;
      res = (s.tokens as ChunkedTokens).edit(
        { start: e.start - range.start, end: e.end - range.start, text: e.text },
        documentView(text, range.start, range.end + dPos),
        this.input.tokenizer,
      );
    }
    if (this.against) {
      let before = 0;
      for (let j = 0; j < k; j++) before += this.segs[j].tokens.length;
      this.against.match.edited(before + res.firstChanged, before + res.end, before + res.end + res.added);
    }
    this.shift(k, e.end, dPos, /[\n\r\u2028\u2029]/.test(removed + e.text));
    return undefined;
  }

  /**
   * Text and Markdown prompts: CRLF may come and go as a pair; nothing may split one or leave a CR on its own; and a
   * BOM may not appear or go at the start (it moves where the prompt starts).
   */
  private crProblem(e: TextEdit, removed: string): string | undefined {
    if (this.json) return undefined;
    if (/\r(?!\n)/.test(e.text) || this.text.charCodeAt(e.start - 1) === 13 || /\r(?!\n)/.test(removed))
      return 'a lone CR, or an edit next to a CR';
    if (e.start === 0 && (e.text ? e.text.charCodeAt(0) : this.text.charCodeAt(e.end)) === 0xfeff)
      return 'a BOM at the start';
    return undefined;
  }

  /** Segment k grew by dPos; every other position from `end` (old offsets) on moves by dPos. */
  private shift(k: number, end: number, dPos: number, lines: boolean): void {
    const text = this.text.snapshot();
    const at = (p: number) => (p >= end ? p + dPos : p);
    const moved = (r: SourceRange): SourceRange => (r.end < end ? r : { start: at(r.start), end: at(r.end) });
    this.segs.forEach((s, j) => {
      const r = s.state.range;
      if (j !== k && (r.end < end || !dPos)) return;
      const range = j === k ? { start: r.start, end: r.end + dPos } : moved(r);
      s.state = freeze(s, range, j === k);
      s.seg = segmentView(s, text, range);
    });
    // What holds the edited segment keeps its start (an insertion at a text block's start is the block's).
    const grown = (r: SourceRange): SourceRange => ({ start: r.start, end: at(r.end) });
    const blocks: Block[] = this.prompt.blocks.map((block, b) => {
      const holds = this.slots[b].includes(k);
      if (block.range.end < end && !holds) return block;
      return {
        ...block,
        range: holds ? grown(block.range) : moved(block.range),
        segments: this.slots[b].map((x) =>
          typeof x === 'number' ? this.segs[x].seg : { ...x, range: moved(x.range) },
        ),
      };
    });
    this.slots.forEach((slot, b) =>
      slot.forEach((x, i) => {
        if (typeof x !== 'number') slot[i] = blocks[b].segments[i];
      }),
    );
    const p = this.prompt;
    this.prompt = {
      ...p,
      blocks,
      ...(p.range ? { range: grown(p.range) } : {}),
      ...(p.modelRange ? { modelRange: moved(p.modelRange) } : {}),
    };
    if (!dPos && !lines) return;
    const diag = (d: Diagnostic): Diagnostic => {
      if (d.range.start < end) return d;
      const range = moved(d.range),
        { line, column } = this.text.position(range.start);
      return { ...d, range, line, column };
    };
    const map = new Map(this.diagnostics.map((d) => [d, diag(d)] as const));
    this.diagnostics = this.diagnostics.map((d) => map.get(d)!);
    this.prompt = { ...this.prompt, diagnostics: this.prompt.diagnostics.map((d) => map.get(d) ?? diag(d)) };
  }

  /**
   * The source ranges of the prompt's sent text (framing and empty segments left out), merged and ascending — from the
   * segments' states: a followed segment is never empty (an edit that would empty one is declined), and reading a
   * segment's text would build it (O(segment)).
   */
  private sentSourceRanges(): [number, number][] {
    const ranges: [number, number][] = [];
    for (const slot of this.slots)
      for (const x of slot) {
        const live = typeof x === 'number' ? this.segs[x] : undefined;
        const seg = live ? live.state : (x as Segment);
        const sent = live ? live.kind !== 'fixed' || !!live.seg.text : !!(x as Segment).text;
        if (sent && !seg.framing) ranges.push([seg.range.start, seg.range.end]);
      }
    return mergeRanges(ranges);
  }

  private report(now: Millis): DocumentReport {
    const { model, tokenizer } = this.input;
    const { fields, sources } = renderedFields(
      this.prompt,
      this.segs.map((x) => x.state),
      tokenizer.encoding,
      tokenizer.exact && this.prompt.framingExact !== false,
    );
    const rendered = withArrays(fields, sources);
    const opts = { text: this.text, lineIndex: this.text, sent: this.sentSourceRanges() };
    let report: CacheReport;
    const a = this.against;
    if (a) {
      // The simulator reads the ids from the chunks, and only from where the prompt is not known to match the
      // baseline: the tokens the edits made (no copy of the prompt's ids, no walk from token 0).
      report = a.sim.analyze(rendered, model, now, { ...opts, knownPrefix: a.match.prefix(sources) });
      a.match.walked(report.reusablePrefixTokens);
    } else {
      const sim = new Simulator();
      const standIn = withArrays(fields, sources, () => standInIds(sources.length));
      sim.send(standIn, model, now - BASELINE_AGE_MS, { ...opts, label: STEADY_STATE });
      report = sim.analyze(standIn, model, now, opts);
    }
    const version: PromptVersion = lazyVersion(this.input.fileName, this.text.snapshot(), [this.prompt], [rendered]);
    const b = this.baseline;
    return {
      report: {
        ...report,
        matched: report.baseline,
        baseline: { kind: b.kind, label: b.label },
        ranges: reportRanges(rendered, report),
      },
      rendered,
      version,
      ...(this.baselineProblem ? { baselineProblem: this.baselineProblem } : {}),
    };
  }
}

/** A verbatim segment's text as the tokenizer reads it: a window of the document, offsets relative to the segment. */
function documentView(text: PieceText, start: number, end: number): TokenText {
  return {
    length: end - start,
    slice: (a, b) => text.slice(start + a, start + Math.min(b, end - start)),
    charCodeAt: (i) => (i >= 0 && i < end - start ? text.charCodeAt(start + i) : NaN),
  };
}

function lazyVersion(
  label: string,
  text: { toString(): string },
  prompts: readonly Prompt[],
  rendered: PromptVersion['rendered'],
): PromptVersion {
  const v = { label, prompts, rendered } as PromptVersion;
  Object.defineProperty(v, 'text', { enumerable: true, get: () => text.toString() });
  return v;
}
