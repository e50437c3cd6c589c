import type { DiagnosticSink } from '../diagnostics';
import type { Prompt } from '../types';
import { parseRequestBody } from './requestBody';

/** A batch line for /v1/embeddings, or a body for an embedding model: not a chat prompt. */
const EMBEDDINGS = /"url"\s*:\s*"[^"]*\/embeddings"|"model"\s*:\s*"[^"]*embed[^"]*"/;

/**
 * JSONL (a conversation or batch log): every non-blank line is a request body and its own prompt, labelled "line N";
 * embedding requests are skipped with a note.
 */
export function parseJsonLines(text: string, start: number, sink: DiagnosticSink): Prompt[] {
  const prompts: Prompt[] = [];
  let lineNo = 1;
  for (let pos = start; pos <= text.length; lineNo++) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? text.length : nl;
    const end = lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    const line = text.slice(pos, end);
    if (EMBEDDINGS.test(line)) {
      sink.info(
        'embeddings-request',
        `line ${lineNo}: an embeddings request, not a chat prompt: no prompt cache applies, not counted`,
        { start: pos, end },
      );
    } else if (/\S/.test(line)) {
      const own = sink.child();
      prompts.push({ ...parseRequestBody(text, pos, end, own), label: `line ${lineNo}` });
    }
    if (nl < 0) break;
    pos = nl + 1;
  }
  if (!prompts.length) sink.warning('empty-file', 'no JSON lines in this file', { start, end: start });
  return prompts;
}
