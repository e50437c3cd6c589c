import type { DiagnosticSink } from '../diagnostics';
import type { Prompt } from '../types';
import { parseRequestBody } from './requestBody';

/** JSONL (a conversation or batch log): every non-blank line is a request body and its own prompt, labelled "line N". */
export function parseJsonLines(text: string, start: number, sink: DiagnosticSink): Prompt[] {
  const prompts: Prompt[] = [];
  let lineNo = 1;
  for (let pos = start; pos <= text.length; lineNo++) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? text.length : nl;
    const end = lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    if (/\S/.test(text.slice(pos, end))) {
      const own = sink.child();
      prompts.push({ ...parseRequestBody(text, pos, end, own), label: `line ${lineNo}` });
    }
    if (nl < 0) break;
    pos = nl + 1;
  }
  if (!prompts.length) sink.warning('empty-file', 'no JSON lines in this file', { start, end: start });
  return prompts;
}
