import type { DiagnosticSink } from '../diagnostics';
import type { Block, CacheControl, Prompt } from '../types';
import { modelKey, splitFrontMatter, stringKey } from './frontMatter';

/**
 * Plain text and Markdown prompt files: the body (after optional front matter) is one user message, sent as written.
 *
 * A line holding only `<!-- cache-breakpoint -->` (or `<!-- cache-breakpoint ttl=1h -->`) marks a cache breakpoint:
 * the text before it becomes its own block with a cache_control, as when your code splits the file into content
 * blocks at that line. The marker line itself (with its line break) is an annotation for KV Lens and is not counted as
 * sent text: code that honours breakpoints has to split the file there, and would drop the marker as it does so.
 * Markdown renders the HTML comment invisibly, so the marker also stays out of previews.
 */
// MARKER_LINE tests a stretch of lines (the editor's live path), MARKER finds every marker.
export const MARKER_LINE = /^[ \t]*<!--[ \t]*cache-breakpoint\b([^\r\n]*?)-->[ \t]*(?:\r\n|\n|\r|$)/m;
const MARKER = new RegExp(MARKER_LINE.source, 'gm');

export function parseTextPrompt(
  text: string,
  start: number,
  format: 'text' | 'markdown',
  sink: DiagnosticSink,
): Prompt {
  const fm = splitFrontMatter(text, start, sink);
  const bodyStart = fm?.bodyStart ?? start;
  const blocks: Block[] = [];
  let pieceStart = bodyStart;
  const addPiece = (end: number, cacheControl?: CacheControl, markerAt?: number) => {
    if (end === pieceStart) {
      if (markerAt !== undefined)
        sink.warning(
          'empty-breakpoint-section',
          'cache breakpoint with no text since the previous one (or the start); it adds nothing',
          { start: markerAt, end: markerAt },
        );
      return;
    }
    const range = { start: pieceStart, end };
    blocks.push({
      kind: 'text',
      role: 'user',
      label: `text[${blocks.length}]`,
      place: { list: 'text', index: blocks.length },
      range,
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
  if (blocks.length === 1 && !blocks[0].cacheControl) {
    const { place: _section, ...whole } = blocks[0];
    blocks[0] = { ...whole, label: 'text' };
  }
  if (format === 'markdown') noteReferences(text, bodyStart, sink);
  const { models, range: modelRange } = modelKey(fm, sink);
  const provider = stringKey(fm, 'provider', sink);
  return {
    format,
    blocks,
    diagnostics: sink.list,
    range: { start, end: text.length },
    ...(models.length ? { model: models[0], models, ...(modelRange ? { modelRange } : {}) } : {}),
    ...(provider ? { provider } : {}),
  };
}

function markerControl(attrs: string, at: number, sink: DiagnosticSink): CacheControl {
  const rest = attrs.trim();
  if (!rest) return { type: 'ephemeral' };
  const ttl = /^ttl\s*=\s*["']?(5m|1h)["']?$/.exec(rest);
  if (ttl) return { type: 'ephemeral', ttl: ttl[1] as '5m' | '1h' };
  sink.warning('bad-breakpoint', `unknown cache-breakpoint option "${rest}" (allowed: ttl=5m, ttl=1h); using 5m`, {
    start: at,
    end: at + attrs.length,
  });
  return { type: 'ephemeral' };
}

/**
 * VS Code prompt files pull text in at run time — `#file:path`, `${input:name}`, `${selection}`, `${file}` … — which
 * KV Lens counts as written; say so once per kind, at its first use, since what is pulled in changes the tokens from
 * there on (and, if it changes per request, the cache breaks there).
 */
/** `${input:name}`: the one reference that can span lines (its name runs to the next `}`). */
export const INPUT_REFERENCE = /\$\{input:[^}]+\}/;
export const REFERENCES: readonly [RegExp, string][] = [
  [/#file:[^\s)\]]+/, 'pulls in the contents of that file when the prompt runs'],
  [INPUT_REFERENCE, 'asks for a value when the prompt runs'],
  [/\$\{(?:selection|selectedText)\}/, 'is replaced by the editor selection when the prompt runs'],
  [
    /\$\{(?:file|fileBasename|fileDirname|fileBasenameNoExtension|workspaceFolder|workspaceFolderBasename)\}/,
    'is replaced by a path when the prompt runs',
  ],
];

function noteReferences(text: string, from: number, sink: DiagnosticSink): void {
  // This runs on every keystroke: a plain search for the two sigils first (memchr-fast), the regexes only if found.
  if (text.indexOf('${', from) < 0 && text.indexOf('#file:', from) < 0) return;
  const body = text.slice(from);
  for (const [re, what] of REFERENCES) {
    const m = re.exec(body);
    if (!m) continue;
    const at = from + m.index;
    sink.info(
      'run-time-reference',
      `"${m[0]}" ${what}: KV Lens counts it as written, and the tokens from here on depend on what it becomes`,
      { start: at, end: at + m[0].length },
    );
  }
}
