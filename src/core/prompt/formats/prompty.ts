import type { DiagnosticSink } from '../diagnostics';
import type { Block, BlockKind, Prompt, Segment } from '../types';
import { openAiFooter, openAiHeader } from './chatFraming';
import { splitFrontMatter, stringKey, type FrontMatter } from './frontMatter';

/*
 * Prompty (https://prompty.ai, microsoft/prompty): YAML front matter, then a body where a line holding only a role
 * name and a colon ("system:", "user:", optionally "# user:" or "user[name=\"Ann\"]:") starts a message. The runtime
 * trims each message's text; text before the first role line is a system message. Roles as in Prompty's chat parser.
 */
const ROLE_LINE = /^[ \t]*#?[ \t]*(system|developer|user|assistant|function|tool)[ \t]*(?:\[[^\]\r\n]*\])?[ \t]*:[ \t]*(?:\r\n|\n|\r|$)/gim;

const KIND: Record<string, BlockKind> = { system: 'system', developer: 'system', function: 'tool_result', tool: 'tool_result' };

export function parsePromptyPrompt(text: string, start: number, sink: DiagnosticSink): Prompt {
  const fm = splitFrontMatter(text, start, sink);
  const bodyStart = fm?.bodyStart ?? start;
  const blocks: Block[] = [];
  const add = (role: string, headerStart: number, contentStart: number, contentEnd: number) => {
    // Trimmed like the runtime does; still a verbatim slice, so offsets map one to one.
    let s = contentStart, e = contentEnd;
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    const range = { start: headerStart, end: contentEnd };
    const segments: Segment[] = [openAiHeader(role, range)];
    if (e > s) segments.push({ text: text.slice(s, e), range: { start: s, end: e }, verbatim: true });
    segments.push(openAiFooter({ start: e, end: e }));
    blocks.push({ kind: KIND[role] ?? 'message', role, label: `${role} (message ${blocks.length})`, range, segments });
  };
  ROLE_LINE.lastIndex = bodyStart;
  let role = 'system', headerStart = bodyStart, contentStart = bodyStart;
  let first = true;
  for (let m = ROLE_LINE.exec(text); m; m = ROLE_LINE.exec(text)) {
    if (!first || text.slice(contentStart, m.index).trim()) add(role, headerStart, contentStart, m.index);
    first = false;
    role = m[1].toLowerCase();
    headerStart = m.index;
    contentStart = m.index + m[0].length;
  }
  if (!first || text.slice(contentStart).trim()) add(role, headerStart, contentStart, text.length);

  const template = text.indexOf('{{', bodyStart);
  if (template >= 0) {
    sink.info('template-variables', 'template variables ({{…}}) are counted as written; the values filled in at run time change the tokens from here on', { start: template, end: template + 2 });
  }
  const model = promptyModel(fm, sink);
  const provider = stringKey(fm, 'provider', sink);
  return {
    format: 'prompty', blocks, diagnostics: sink.list, range: { start, end: text.length },
    ...(model ? { model } : {}), ...(provider ? { provider } : {}),
  };
}

/** Prompty v1 `model.configuration.{name|azure_deployment}`, v2 `model.id`, or a plain `model: id`. */
function promptyModel(fm: FrontMatter | undefined, sink: DiagnosticSink): string | undefined {
  const m = fm?.data.model;
  if (m === undefined || m === null) return undefined;
  if (typeof m === 'string') return stringKey(fm, 'model', sink);
  if (typeof m !== 'object') return undefined;
  const rec = m as Record<string, unknown>;
  const conf = (rec.configuration ?? {}) as Record<string, unknown>;
  for (const v of [rec.id, conf.name, conf.azure_deployment, conf.model]) if (typeof v === 'string' && v.trim()) return v.trim();
  return undefined;
}
