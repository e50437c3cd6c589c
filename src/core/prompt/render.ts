import type { BlockInfo, RenderedPart, RenderedPrompt } from '../cache/types';
import type { Tokenizer } from '../tokenizer/types';
import { segmentCacheFor, type SegmentCache } from './segmentCache';
import type { Block, Prompt, Segment } from './types';

/** What the cache report keeps of a block: its label, kind, role, place and name (not its text or segments). */
export function blockInfo(b: Block): BlockInfo {
  return {
    label: b.label,
    kind: b.kind,
    ...(b.role !== undefined ? { role: b.role } : {}),
    ...(b.place ? { place: b.place } : {}),
    ...(b.name !== undefined ? { name: b.name } : {}),
  };
}

/**
 * Special tokens of the chat framing (`<|im_start|>` …) have no id in the public encodings, so each marker gets a
 * reserved id above every vocabulary: FRAMING_ID_BASE + its index in FRAMING_MARKERS. It counts as one token and is
 * equal across renders, which is all prefix matching needs. Ids ≥ FRAMING_ID_BASE are never decodable text.
 */
export const FRAMING_ID_BASE = 0xffffff00;
export const FRAMING_MARKERS: readonly string[] = [
  '<|im_start|>',
  '<|im_sep|>',
  '<|im_end|>',
  '<|hidden|>',
  '<|human|>',
  '<|assistant|>',
];
const HIDDEN_ID = FRAMING_ID_BASE + 3;
const MARKER_RE = /<\|[a-z_]+\|>/g;

export interface RenderOptions {
  /** Segment-token memo; defaults to one shared per tokenizer. */
  readonly cache?: SegmentCache;
}

/**
 * Renders a prompt to the token sequence the provider caches: every segment tokenized on its own (so block edges are
 * token edges) and concatenated in block order, with the block starts, each token's source offset, and the breakpoints.
 */
export function renderPrompt(prompt: Prompt, tokenizer: Tokenizer, options: RenderOptions = {}): RenderedPrompt {
  const cache = options.cache ?? segmentCacheFor(tokenizer);
  const parts: Part[] = [];
  const spans: RenderedPart[] = [];
  const blockStart = new Int32Array(prompt.blocks.length + 1);
  const breakpoints: { token: number; block: number; ttl: '5m' | '1h' }[] = [];
  let total = 0;
  prompt.blocks.forEach((block, b) => {
    blockStart[b] = total;
    for (const seg of block.segments) {
      if (!seg.text && !seg.adjust) continue;
      const part = seg.framing ? framingTokens(seg, tokenizer, cache) : textTokens(seg, tokenizer, cache);
      parts.push(part);
      spans.push({
        tokenStart: total,
        tokenEnd: total + part.ids.length,
        sourceStart: seg.range.start,
        sourceEnd: seg.range.end,
        framing: !!seg.framing,
      });
      total += part.ids.length;
    }
    if (block.cacheControl) breakpoints.push({ token: total, block: b, ttl: block.cacheControl.ttl ?? '5m' });
  });
  blockStart[prompt.blocks.length] = total;
  const ids = new Uint32Array(total);
  const tokenSource = new Int32Array(total);
  let at = 0;
  for (const p of parts) {
    ids.set(p.ids, at);
    writeSource(p, tokenSource, at);
    at += p.ids.length;
  }
  const auto = prompt.automaticCacheControl;
  return {
    ids,
    blockStart,
    tokenSource,
    breakpoints,
    parts: spans,
    blocks: prompt.blocks.map(blockInfo),
    ...(auto ? { automatic: { ttl: auto.ttl ?? '5m' } } : {}),
    encoding: tokenizer.encoding,
    exact: tokenizer.exact && prompt.framingExact !== false,
  };
}

/** A tokenized segment; its tokens' source offsets are written straight into the rendered prompt's array. */
interface Part {
  readonly ids: Uint32Array;
  readonly seg: Segment;
  readonly offsets?: Int32Array;
}

function textTokens(seg: Segment, tokenizer: Tokenizer, cache: SegmentCache): Part {
  const { ids, offsets } = cache.get(seg.text, tokenizer);
  return { ids, seg, offsets };
}

function writeSource(p: Part, into: Int32Array, at: number): void {
  const { seg, offsets } = p,
    n = p.ids.length;
  if (offsets && seg.verbatim) {
    const base = seg.range.start;
    for (let i = 0; i < n; i++) into[at + i] = base + offsets[i];
  } else if (offsets && seg.sourceOffsets) {
    const map = seg.sourceOffsets,
      len = seg.text.length;
    for (let i = 0; i < n; i++) into[at + i] = map[Math.min(offsets[i], len)];
  } else {
    into.fill(seg.range.start, at, at + n);
  }
}

function framingTokens(seg: Segment, tokenizer: Tokenizer, cache: SegmentCache): Part {
  const out: number[] = [];
  let last = 0;
  for (const m of seg.text.matchAll(MARKER_RE)) {
    if (m.index > last) out.push(...cache.get(seg.text.slice(last, m.index), tokenizer).ids);
    const k = FRAMING_MARKERS.indexOf(m[0]);
    if (k >= 0) out.push(FRAMING_ID_BASE + k);
    else out.push(...cache.get(m[0], tokenizer).ids);
    last = m.index + m[0].length;
  }
  if (last < seg.text.length) out.push(...cache.get(seg.text.slice(last), tokenizer).ids);
  // A measured adjustment: hidden tokens after the text, or fewer of the text's own (never below none).
  const adjust = seg.adjust ?? 0;
  if (adjust > 0) for (let i = 0; i < adjust; i++) out.push(HIDDEN_ID);
  else if (adjust < 0) out.length = Math.max(0, out.length + adjust);
  return { ids: Uint32Array.from(out), seg };
}
