import type { DiagnosticSink } from '../diagnostics';
import type { Block, CacheControl, Prompt } from '../types';
import { splitFrontMatter, stringKey } from './frontMatter';

/**
 * Plain text and Markdown prompt files: the body (after optional front matter) is one user message, sent as written.
 *
 * A line holding only `<!-- cache-breakpoint -->` (or `<!-- cache-breakpoint ttl=1h -->`) marks a cache breakpoint:
 * the text before it becomes its own block with a cache_control, as when your code splits the file into content
 * blocks at that line. The marker line itself (with its line break) is an annotation for KV Lens and is not counted as
 * sent text: code that honours breakpoints has to split the file there, and would drop the marker as it does so.
 * Markdown renders the HTML comment invisibly, so the marker also stays out of previews.
 */
const MARKER = /^[ \t]*<!--[ \t]*cache-breakpoint\b([^\r\n]*?)-->[ \t]*(?:\r\n|\n|\r|$)/gm;

export function parseTextPrompt(text: string, start: number, format: 'text' | 'markdown', sink: DiagnosticSink): Prompt {
  const fm = splitFrontMatter(text, start, sink);
  const bodyStart = fm?.bodyStart ?? start;
  const blocks: Block[] = [];
  let pieceStart = bodyStart;
  const addPiece = (end: number, cacheControl?: CacheControl, markerAt?: number) => {
    if (end === pieceStart) {
      if (markerAt !== undefined) sink.warning('empty-breakpoint-section', 'cache breakpoint with no text since the previous one (or the start); it adds nothing', { start: markerAt, end: markerAt });
      return;
    }
    const range = { start: pieceStart, end };
    blocks.push({
      kind: 'text', role: 'user', label: `text[${blocks.length}]`, range,
      segments: [{ text: text.slice(pieceStart, end), range, verbatim: true }],
      ...(cacheControl ? { cacheControl } : {}),
    });
  };
  MARKER.lastIndex = bodyStart;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
    addPiece(m.index, markerControl(m[1], m.index, sink), m.index);
    pieceStart = m.index + m[0].length;
    if (m[0].length === 0) MARKER.lastIndex++;
  }
  addPiece(text.length);
  if (blocks.length === 1 && !blocks[0].cacheControl) blocks[0] = { ...blocks[0], label: 'text' };
  const model = stringKey(fm, 'model', sink);
  const provider = stringKey(fm, 'provider', sink);
  return {
    format, blocks, diagnostics: sink.list, range: { start, end: text.length },
    ...(model ? { model } : {}), ...(provider ? { provider } : {}),
  };
}

function markerControl(attrs: string, at: number, sink: DiagnosticSink): CacheControl {
  const rest = attrs.trim();
  if (!rest) return { type: 'ephemeral' };
  const ttl = /^ttl\s*=\s*["']?(5m|1h)["']?$/.exec(rest);
  if (ttl) return { type: 'ephemeral', ttl: ttl[1] as '5m' | '1h' };
  sink.warning('bad-breakpoint', `unknown cache-breakpoint option "${rest}" (allowed: ttl=5m, ttl=1h); using 5m`, { start: at, end: at + attrs.length });
  return { type: 'ephemeral' };
}
