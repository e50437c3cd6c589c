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
  EscapeMap,
  FixedTokens,
  freeze,
  renderedFields,
  segmentView,
  withArrays,
  type LiveSegment,
  type SegmentState,
} from './liveSegments';
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
/** Line breaks as a multiline regex sees them (the marker and front-matter patterns are line-anchored). */
const isLineBreak = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
/** Text that, in a line an edit touches, could make or unmake structure: a marker, a run-time reference. */
const STRUCTURAL = /<!--|\$\{|#file:/;
/** With a `${` in the text, a `}` can close a `${input:…}` lines later. */
const STRUCTURAL_WITH_SIGIL = /<!--|\$\{|#file:|\}/;
/** NUL and U+FFFD decide whether a file is "binary". */
const BINARY_CHARS = /[\0\uFFFD]/;
/** What may not come into or leave a JSON string without changing the document's structure or escapes: ", \ and controls. */
function jsonUnsafe(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 34 || c === 92 || c < 32) return true;
  }
  return false;
}
/** Lines longer than this around an edit are not scanned per keystroke. */
const LONG_LINE = 64 * 1024;
/** Prompts sniffed by content: their first 4,096 units decide the kind. */
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

/** A block's segments: followed ones by index, empty ones (not rendered) as they are. */
type Slot = number | Segment;

/**
 * The editor's cache report kept current edit by edit, for plain-text and Markdown prompts and for edits inside the
 * strings of JSON request bodies, tokenized by the OpenAI engines: the text is a PieceText, each rendered segment's
 * tokens a ChunkedTokens, and the report comes from the same simulator, policies and report builder as
 * documentReport() — fed a rendered prompt whose offsets are an index over the chunks and whose ids are only built
 * when someone reads them. A keystroke costs O(edit + segments + chunks), not O(document).
 *
 * update() declines (returns undefined; the object is then spent) whatever it cannot follow exactly: an edit that
 * touches structure (front matter, a marker line, a run-time reference, a JSON quote or escape, the content sniff
 * window, an emptied segment), a baseline entry expiring. An edit before the point where the prompt leaves its
 * baseline is followed: the break moves to it (or later, when it restores the baseline) by comparing ids. The caller then analyzes the whole text and starts a new LiveReport. Unit tests compare every update
 * with documentReport().
 */
export class LiveReport {
  private spent = false;
  /** Why the last update() declined, for the timings command and tests. */
  declined: string | undefined;
  private readonly segs: LiveSegment[] = [];
  private readonly slots: Slot[][];
  private prompt: Prompt;
  private diagnostics: readonly Diagnostic[];
  /** The baseline's simulator (built once), its reusable prefix, and the anchor ids it reads. */
  private readonly against?: {
    readonly sim: Simulator;
    reusable: number;
    ids: Uint32Array;
    readonly validUntil: Millis;
    readonly from: Millis;
  };
  /** An edit reached the reusable prefix: the anchor ids are re-read from the chunks before the next report. */
  private stale = false;
  /** Where an edit must not reach: the front matter or first line, the content sniff window. */
  private readonly protectedEnd: number;
  private readonly structural: RegExp;
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
    const firstLineEnd = input.text.search(/[\n\r\u2028\u2029]/);
    const head = this.json
      ? 0
      : bodyStart > 1
        ? bodyStart
        : firstLineEnd < 0
          ? input.text.length + 1
          : firstLineEnd + 1;
    this.protectedEnd = Math.max(head, sniffed ? SNIFF_WINDOW + 1 : 0);
    this.structural = input.text.includes('${') ? STRUCTURAL_WITH_SIGIL : STRUCTURAL;
    if (sent) {
      // The baseline sent as analyzeVersions() sends it; then the prompt's own match, from its real ids once.
      const sim = new Simulator();
      sendVersions(sim, [sent], model, now);
      const live = sim.entries().filter((e) => e.writtenAt + e.ttlMs > now);
      const validUntil = Math.min(...live.map((e) => e.writtenAt + e.ttlMs), now + 60 * BASELINE_AGE_MS);
      const { fields, sources } = renderedFields(
        prompt,
        this.segs.map((x) => x.state),
        tokenizer.encoding,
        tokenizer.exact && prompt.framingExact !== false,
      );
      const n = sources.length,
        ids = new Uint32Array(Math.ceil(n * 1.25) + 4096);
      ids.set(sources.ids());
      const first = sim.analyze(
        withArrays(fields, sources, () => ids.subarray(0, n)),
        model,
        now,
        { text: this.text, lineIndex: this.text },
      );
      this.against = { sim, reusable: first.reusablePrefixTokens, ids, validUntil, from: now };
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
    if (e.start < this.protectedEnd) return 'edit in the front matter, first line or sniffed head';
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
    const why = this.json
      ? jsonUnsafe(e.text) || jsonUnsafe(removed)
        ? 'a quote, backslash or control character in a JSON string'
        : undefined
      : this.textEditProblem(e, removed);
    if (why) return why;
    const dPos = e.text.length - (e.end - e.start);
    if (range.end - range.start + dPos <= 0) return 'empties a segment';
    let firstChanged: number;
    if (s.kind === 'mapped') {
      const base = range.start,
        units = s.decoded!.length;
      const i = s.escapes!.unitAt(base, e.start, units),
        j = s.escapes!.unitAt(base, e.end, units);
      // Both ends on a decoded unit, and no escape in between (the removed source is the removed text).
      if (i < 0 || j < 0 || j - i !== e.end - e.start) return 'edit inside an escape';
      text.edit(e.start, e.end, e.text);
      // Replaced, not changed: the views of earlier versions keep reading their own.
      const decoded = s.decoded!.snapshot();
      decoded.edit(i, j, e.text);
      s.decoded = decoded;
      s.escapes = s.escapes!.edited(i, j, e.text.length);
      firstChanged = (s.tokens as ChunkedTokens).edit(
        { start: i, end: j, text: e.text },
        decoded,
        this.input.tokenizer,
      ).firstChanged;
    } else {
      text.edit(e.start, e.end, e.text);
      if (!this.json) {
        const lines = this.lineAround(e.start, e.start + e.text.length);
        if (!lines || this.structural.test(text.slice(lines[0], lines[1])))
          return 'edit makes structure (marker, reference), or a line longer than 64 K';
      }
      firstChanged = (s.tokens as ChunkedTokens).edit(
        { start: e.start - range.start, end: e.end - range.start, text: e.text },
        documentView(text, range.start, range.end + dPos),
        this.input.tokenizer,
      ).firstChanged;
    }
    if (this.against) {
      let before = 0;
      for (let j = 0; j < k; j++) before += this.segs[j].tokens.length;
      // The new break is at or before the edit; the next report re-reads the ids to find it (and a later one, when
      // the edit restores the baseline's text).
      if (before + firstChanged <= this.against.reusable) this.stale = true;
    }
    this.shift(k, e.end, dPos, /[\n\r\u2028\u2029]/.test(removed + e.text));
    return undefined;
  }

  /** Text and Markdown prompts: the lines an edit touches may not hold or make structure; CR only within CRLF. */
  private textEditProblem(e: TextEdit, removed: string): string | undefined {
    // CRLF may come and go as a pair; nothing may split one or leave a CR on its own.
    if (/\r(?!\n)/.test(e.text) || this.text.charCodeAt(e.start - 1) === 13 || /\r(?!\n)/.test(removed))
      return 'a lone CR, or an edit next to a CR';
    const lines = this.lineAround(e.start, e.end);
    if (!lines) return 'edit in a line longer than 64 K';
    if (this.structural.test(this.text.slice(lines[0], lines[1])))
      return 'edit in a line with structure (marker, reference)';
    return undefined;
  }

  /**
   * [start of the line holding `from`, end of the line holding `to`] in the current text; undefined past 64 K units
   * either way (a huge line is analyzed from the whole text rather than scanned on every keystroke). The search
   * widens from 256 units, so a keystroke in an ordinary line reads a few hundred characters.
   */
  private lineAround(from: number, to: number): [number, number] | undefined {
    const t = this.text;
    let a: number | undefined, b: number | undefined;
    for (let w = 256; w <= LONG_LINE && a === undefined; w *= 4) {
      const lo = Math.max(0, from - w),
        before = t.slice(lo, from);
      for (let i = before.length - 1; i >= 0; i--)
        if (isLineBreak(before.charCodeAt(i))) {
          a = lo + i + 1;
          break;
        }
      if (a === undefined && lo === 0) a = 0;
    }
    for (let w = 256; w <= LONG_LINE && b === undefined; w *= 4) {
      const after = t.slice(to, to + w);
      for (let i = 0; i < after.length; i++)
        if (isLineBreak(after.charCodeAt(i))) {
          b = to + i;
          break;
        }
      if (b === undefined && to + w >= t.length) b = t.length;
    }
    return a === undefined || b === undefined ? undefined : [a, b];
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

  private report(now: Millis): DocumentReport {
    const { model, tokenizer } = this.input;
    const { fields, sources } = renderedFields(
      this.prompt,
      this.segs.map((x) => x.state),
      tokenizer.encoding,
      tokenizer.exact && this.prompt.framingExact !== false,
    );
    const rendered = withArrays(fields, sources, () => sources.ids());
    const opts = { text: this.text, lineIndex: this.text, sent: sentSourceRanges(this.prompt) };
    let report: CacheReport;
    const a = this.against;
    if (a) {
      // The simulator reads ids only up to where the prompt leaves the baseline: the anchor ids are current there
      // unless an edit reached that far, and then they are copied once from the chunks (O(tokens), no tokenizing).
      const n = sources.length;
      if (this.stale || n > a.ids.length) {
        if (n > a.ids.length) a.ids = new Uint32Array(Math.ceil(n * 1.25) + 4096);
        a.ids.set(sources.ids());
        this.stale = false;
      }
      report = a.sim.analyze(
        withArrays(fields, sources, () => a.ids.subarray(0, n)),
        model,
        now,
        opts,
      );
      a.reusable = report.reusablePrefixTokens;
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

/** The source ranges of a prompt's sent text (framing and empty segments left out), merged and ascending. */
function sentSourceRanges(prompt: Prompt): [number, number][] {
  return mergeRanges(
    prompt.blocks.flatMap((b) =>
      b.segments.filter((x) => x.text && !x.framing).map((x) => [x.range.start, x.range.end] as [number, number]),
    ),
  );
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
