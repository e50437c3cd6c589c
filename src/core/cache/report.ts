import type { ModelInfo } from '../pricing/types';
import { LineIndex, type LinePositions, type SourceText } from '../text/lineIndex';
import { clipRanges, findDynamicContent, mergeRanges } from './dynamicContent';
import { priceDecision } from './reportCost';
import { sourceAt, tokenAt, tokenCount } from './tokenSources';
import type { StoredEntry, TrieMatch } from './tokenTrie';
import type {
  BlockReport,
  CacheReport,
  CacheWarning,
  CostSummary,
  Divergence,
  PolicyDecision,
  RenderedPrompt,
} from './types';

/** What analysis knows besides the tokens: the source text (for line/column and context) and where to look harder. */
export interface AnalyzeOptions {
  /** The prompt's source text; tokenSource offsets point into it. Without it, offsets are reported without text. */
  readonly text?: SourceText;
  /** Line/column of `text`, when the caller keeps an index across edits. */
  readonly lineIndex?: LinePositions;
  /** Extra source ranges [start, end) to scan for dynamic content (the region an edit changed). */
  readonly scan?: readonly (readonly [number, number])[];
  /**
   * The source ranges the request sends (merged, ascending), when the prompt has no `parts` to say so (the editor's
   * live path): only they are scanned for dynamic content.
   */
  readonly sent?: readonly (readonly [number, number])[];
  /**
   * The first knownPrefix ids of the prompt equal a path of the simulator's cache (an earlier analysis of an earlier
   * version walked it and the edits since left them alone): the match does not compare them again.
   */
  readonly knownPrefix?: number;
  /** Characters of the head of the prompt scanned for dynamic content (default 16 384). */
  readonly headChars?: number;
  /** Prices the decision; default priceDecision (catalog prices). Return undefined for a report without cost. */
  readonly price?: (decision: PolicyDecision, tokens: number, model: ModelInfo, at?: number) => CostSummary | undefined;
  /** When the request is sent (the simulator's clock), for time-of-day prices. */
  readonly at?: number;
}

const CONTEXT_BEFORE = 30;
const CONTEXT_AFTER = 50;
const DIVERGENCE_SCAN = 1024;
const MAX_DYNAMIC_WARNINGS = 3;

export { tokenAtOffset } from './tokenSources';

const oneLine = (s: string): string => s.replace(/\r\n|\r|\n/g, '⏎');

function snippet(text: SourceText | undefined, offset: number): string {
  if (text === undefined) return '';
  return oneLine(text.slice(Math.max(0, offset - CONTEXT_BEFORE), Math.min(text.length, offset + CONTEXT_AFTER)));
}

function divergenceOf(
  prompt: RenderedPrompt,
  match: TrieMatch,
  text: SourceText | undefined,
  lines: LinePositions | undefined,
): Divergence | null {
  const best: StoredEntry | null = match.best;
  const n = tokenCount(prompt);
  const token = match.reusablePrefix;
  // Nothing breaks when the prompt only extends the entry, or is itself a prefix of it.
  if (!best || token >= best.ids.length || token >= n) return null;
  const offset = sourceAt(prompt, token) ?? text?.length ?? 0;
  const pos = lines ? lines.position(offset) : { line: 0, column: 0 };
  const oldOffset = best.sources ? best.sources.at(token) : best.tokenSource?.[token];
  return {
    token,
    offset,
    line: pos.line,
    column: pos.column,
    before: oldOffset === undefined ? '' : snippet(best.text, oldOffset),
    after: snippet(text, offset),
    entry: best.label,
  };
}

function blocksOf(prompt: RenderedPrompt, cached: number, written: number): BlockReport[] {
  const out: BlockReport[] = [];
  const writeEnd = cached + written;
  for (let b = 0; b + 1 < prompt.blockStart.length; b++) {
    const s = prompt.blockStart[b],
      e = prompt.blockStart[b + 1];
    const c = Math.max(0, Math.min(cached, e) - s);
    const w = Math.max(0, Math.min(writeEnd, e) - Math.max(cached, s));
    const info = prompt.blocks?.[b];
    out.push({
      ...info,
      label: info?.label ?? `block ${b + 1}`,
      kind: info?.kind ?? 'text',
      start: s,
      tokens: e - s,
      cachedTokens: c,
      cacheWriteTokens: w,
      status: c === e - s && e > s ? 'cached' : c > 0 ? 'partial' : 'uncached',
    });
  }
  return out;
}

/** The source ranges a rendered prompt came from, framing left out (merged, ascending); undefined when unknown. */
export function sentRanges(prompt: RenderedPrompt): [number, number][] | undefined {
  return prompt.parts
    ? mergeRanges(prompt.parts.filter((p) => !p.framing).map((p) => [p.sourceStart, p.sourceEnd]))
    : undefined;
}

function dynamicWarnings(
  prompt: RenderedPrompt,
  model: ModelInfo,
  text: SourceText,
  lines: LinePositions,
  divergenceOffset: number | undefined,
  opts: AnalyzeOptions,
): CacheWarning[] {
  // Only what the request sends is scanned: not a log line's envelope or response, not front matter, not JSON keys.
  const sent = opts.sent ?? sentRanges(prompt);
  const head = sent?.[0]?.[0] ?? 0;
  const ranges: [number, number][] = [[head, head + (opts.headChars ?? 16_384)]];
  if (divergenceOffset !== undefined)
    ranges.push([divergenceOffset - DIVERGENCE_SCAN, divergenceOffset + DIVERGENCE_SCAN]);
  for (const r of opts.scan ?? []) ranges.push([r[0], r[1]]);
  const n = tokenCount(prompt);
  // "Large" = at least what the model would cache on its own, and never a handful of tokens.
  const large = Math.max(model.cache.minTokens, 256);
  const out: CacheWarning[] = [];
  const year = new Date(opts.at ?? 0).getUTCFullYear();
  const scan = sent ? clipRanges(mergeRanges(ranges), sent) : mergeRanges(ranges);
  for (const [s, e] of scan) {
    for (const m of findDynamicContent(text, s, e, 20, opts.at === undefined ? {} : { year })) {
      const token = tokenAt(prompt, m.start);
      const tail = n - tokenAt(prompt, Math.max(m.start, m.end - 1)) - 1;
      if (tail < large) continue;
      const { line, column } = lines.position(m.start);
      out.push({
        code: 'dynamic-content',
        token,
        message: `"${oneLine(m.text)}" (${m.kind}) at line ${line}, column ${column} looks like it changes between requests and comes before ${tail} more tokens: each time it changes, none of those can be read from cache — move it after the static part`,
      });
      if (out.length >= MAX_DYNAMIC_WARNINGS) return out;
    }
  }
  return out;
}

/** Assembles the cache report from the trie match and the policy's decision. */
export function buildReport(
  prompt: RenderedPrompt,
  model: ModelInfo,
  match: TrieMatch,
  decision: PolicyDecision,
  extraWarnings: readonly CacheWarning[],
  opts: AnalyzeOptions,
): CacheReport {
  const n = tokenCount(prompt);
  const cached = Math.min(decision.cachedTokens, n);
  const written = Math.min(decision.cacheWriteTokens, n - cached);
  const text = opts.text;
  const lines = opts.lineIndex ?? (typeof text === 'string' ? new LineIndex(text) : undefined);
  const firstDivergence = divergenceOf(prompt, match, text, lines);
  const warnings: CacheWarning[] = [...extraWarnings, ...decision.warnings];
  // Exact only when the encoding is exact and it is the provider's own (ARCHITECTURE.md): the Gemma vocabulary counts Gemma
  // exactly, not Gemini; a model assumed from its family is never exact.
  const exact = prompt.exact && model.exactTokenizer;
  if (!exact)
    warnings.push({
      code: 'estimated-tokenizer',
      message: `token counts use ${prompt.encoding}, an estimate of ${model.displayName}'s tokenizer: cache boundaries may be off by a few tokens`,
    });
  if (text !== undefined && lines)
    warnings.push(...dynamicWarnings(prompt, model, text, lines, firstDivergence?.offset, opts));
  const cost = (opts.price ?? priceDecision)(
    { ...decision, cachedTokens: cached, cacheWriteTokens: written },
    n,
    model,
    opts.at,
  );
  return {
    model: model.id,
    provider: model.provider,
    tokenizer: { encoding: prompt.encoding, exact },
    tokens: n,
    reusablePrefixTokens: match.reusablePrefix,
    cachedTokens: cached,
    cacheWriteTokens: written,
    uncachedTokens: n - cached - written,
    firstDivergence,
    blocks: blocksOf(prompt, cached, written),
    warnings,
    ...(match.best ? { baseline: match.best.label } : {}),
    ...(cost ? { cost } : {}),
  };
}
