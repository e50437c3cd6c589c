import { sourceAt } from '../cache/tokenSources';
import type { CacheReport, RenderedPrompt } from '../cache/types';

/** Source spans [start, end) of the document (UTF-16 offsets), per block part: never one per token. */
export type Span = readonly [number, number];

export interface ReportRanges {
  /** What the provider reads from cache. */
  readonly cached: readonly Span[];
  /** What this request writes to cache (billed at the write price where the provider bills writes). */
  readonly write: readonly Span[];
  /** Where the cache breaks: the source offset of the first token that differs from the baseline. */
  readonly breakAt: number | null;
}

/** The source spans of tokens [from, to) of a rendered prompt: one per segment they touch, adjacent ones merged. */
export function tokenSpans(prompt: RenderedPrompt, from: number, to: number): Span[] {
  const out: [number, number][] = [];
  if (to <= from) return out;
  for (const p of prompt.parts ?? []) {
    if (p.tokenEnd <= from || p.tokenStart >= to || p.framing || p.sourceEnd <= p.sourceStart) continue;
    const start = p.tokenStart >= from ? p.sourceStart : sourceAt(prompt, from)!;
    const end = p.tokenEnd <= to ? p.sourceEnd : sourceAt(prompt, to)!;
    if (end <= start) continue;
    const last = out.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** The cached, written and breaking parts of a report, as document ranges for the editor. */
export function reportRanges(prompt: RenderedPrompt, report: CacheReport): ReportRanges {
  const cachedEnd = report.cachedTokens;
  return {
    cached: tokenSpans(prompt, 0, cachedEnd),
    write: tokenSpans(prompt, cachedEnd, cachedEnd + report.cacheWriteTokens),
    breakAt: report.firstDivergence ? report.firstDivergence.offset : null,
  };
}

/** The token of the rendered prompt whose source holds `offset`, with its source span; undefined outside any segment. */
export function tokenAtSource(
  prompt: RenderedPrompt,
  offset: number,
): { index: number; start: number; end: number } | undefined {
  for (const p of prompt.parts ?? []) {
    if (p.framing || offset < p.sourceStart || offset >= p.sourceEnd || p.tokenEnd <= p.tokenStart) continue;
    const src = (i: number) => sourceAt(prompt, i)!;
    let lo = p.tokenStart,
      hi = p.tokenEnd - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (src(mid) <= offset) lo = mid;
      else hi = mid - 1;
    }
    // Tokens that end inside a character have an empty span; the hover names the last token starting here.
    while (lo + 1 < p.tokenEnd && src(lo + 1) === src(lo) && src(lo) <= offset) lo++;
    const end = lo + 1 < p.tokenEnd ? src(lo + 1) : p.sourceEnd;
    return { index: lo, start: src(lo), end: Math.max(end, src(lo)) };
  }
  return undefined;
}
