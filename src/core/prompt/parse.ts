import { LineIndex } from '../text/lineIndex';
import { DiagnosticSink } from './diagnostics';
import { parseGithubModelsPrompt } from './formats/githubModels';
import { parseJsonLines } from './formats/jsonl';
import { parsePromptyPrompt } from './formats/prompty';
import { parseJsonDocument } from './formats/requestBody';
import { parseTextPrompt } from './formats/text';
import { looksLikeGithubModels, looksLikeRequestBody, REQUEST_BODY_SNIFF_CHARS } from './promptFiles';
import type { Diagnostic, Prompt, PromptDocument } from './types';

export interface ParseOptions {
  /** File name or path; its extension picks the format. */
  readonly fileName: string;
  /** The editor's language id ('markdown', 'json', 'jsonl', 'prompty', 'plaintext'), when known. */
  readonly languageId?: string;
  /** Prompty: fill template variables with the file's sample inputs (what it is run with), rather than count them as written. */
  readonly sampleInputs?: boolean;
}

/**
 * Files larger than this (in UTF-16 units, about MB for ASCII text) are not analyzed: tokenizing 20 MB already takes
 * seconds, and prompts that large exceed every model's context window (1M tokens ≈ 4 MB of text) many times over.
 */
export const MAX_ANALYZED_CHARS = 20 * 1024 * 1024;

export type SourceKind = 'json' | 'jsonl' | 'prompty' | 'github-models' | 'markdown' | 'text';

/** Which parser a file gets: by language id, then extension, then a look at the content. */
export function sourceKind(fileName: string, languageId: string | undefined, text: string, start = 0): SourceKind {
  const lang = languageId?.toLowerCase();
  const name = fileName.toLowerCase();
  if (lang === 'jsonl' || /\.(jsonl|ndjson)$/.test(name)) return 'jsonl';
  if (lang === 'json' || lang === 'jsonc' || name.endsWith('.json')) return 'json';
  if (lang === 'prompty' || name.endsWith('.prompty')) return 'prompty';
  if (
    /\.prompt\.ya?ml$/.test(name) ||
    (/\.ya?ml$/.test(name) && looksLikeGithubModels(text.slice(start, start + REQUEST_BODY_SNIFF_CHARS)))
  )
    return 'github-models';
  if (lang === 'markdown' || /\.(md|markdown|mdx)$/.test(name)) return 'markdown';
  const head = text.slice(start, start + 4096).trimStart();
  if (looksLikeRequestBody(head, false)) {
    const firstLine = head.split('\n', 1)[0].trim();
    return firstLine.endsWith('}') && /\n\s*\{/.test(head) ? 'jsonl' : 'json';
  }
  return 'text';
}

/** Parses a prompt file. Never throws: problems are diagnostics, with whatever could be read as prompts. */
export function parsePrompt(text: string, options: ParseOptions): PromptDocument {
  const sink = new DiagnosticSink(new LineIndex(text));
  let prompts: Prompt[] = [];
  try {
    if (text.length > MAX_ANALYZED_CHARS) {
      sink.error('too-large', `too large to analyze (${mb(text.length)} MB > ${mb(MAX_ANALYZED_CHARS)} MB limit)`, {
        start: 0,
        end: 0,
      });
      return { prompts, diagnostics: sink.list };
    }
    const binaryAt = binaryOffset(text);
    if (binaryAt >= 0) {
      sink.error('binary-file', 'binary file (NUL bytes or undecodable bytes), not a text prompt', {
        start: binaryAt,
        end: binaryAt + 1,
      });
      return { prompts, diagnostics: sink.list };
    }
    // A UTF-8 BOM is not part of the prompt; parsing starts after it so ranges stay offsets in the original text.
    const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const kind = sourceKind(options.fileName, options.languageId, text, start);
    if (kind === 'jsonl') prompts = parseJsonLines(text, start, sink);
    else if (kind === 'json') prompts = parseJsonDocument(text, start, text.length, sink.child());
    else {
      const own = sink.child();
      prompts = [
        kind === 'prompty'
          ? parsePromptyPrompt(text, start, own, { sampleInputs: options.sampleInputs })
          : kind === 'github-models'
            ? parseGithubModelsPrompt(text, start, own)
            : parseTextPrompt(text, start, kind, own),
      ];
    }
  } catch (e) {
    // A bug of ours must not take the editor or the CLI down with it; report it against the file instead.
    sink.error('internal-error', `could not analyze this file: ${(e as Error).message ?? e}`, { start: 0, end: 0 });
    return { prompts: [], diagnostics: sink.list };
  }
  const all: Diagnostic[] = [...sink.list];
  for (const p of prompts) all.push(...p.diagnostics);
  all.sort((a, b) => a.range.start - b.range.start);
  return { prompts, diagnostics: all };
}

function mb(chars: number): string {
  const v = chars / (1024 * 1024);
  return v >= 10 ? v.toFixed(0) : v.toFixed(1);
}

/**
 * Offset of the first sign that the text was decoded from a binary file: a NUL, or (in the first 64 K units) many
 * U+FFFD replacement characters, which is what a UTF-8 decoder makes of bytes that are not text. -1 when it looks like text.
 */
function binaryOffset(text: string): number {
  const nul = text.indexOf('\0');
  if (nul >= 0) return nul;
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  let bad = 0,
    first = -1;
  for (let i = head.indexOf('\uFFFD'); i >= 0; i = head.indexOf('\uFFFD', i + 1)) {
    if (first < 0) first = i;
    bad++;
  }
  return bad >= 8 && bad * 100 >= head.length ? first : -1;
}
