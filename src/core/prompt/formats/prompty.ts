import type { DiagnosticSink } from '../diagnostics';
import type { Block, BlockKind, Prompt, Segment } from '../types';
import { openAiFooter, openAiHeader } from './chatFraming';
import { splitFrontMatter, stringKey, type FrontMatter } from './frontMatter';

/*
 * Prompty (https://prompty.ai, microsoft/prompty): YAML front matter, then a body where a line holding only a role
 * name and a colon ("system:", "user:", optionally "# user:" or "user[name=\"Ann\"]:") starts a message. The runtime
 * trims each message's text; text before the first role line is a system message. Roles as in Prompty's chat parser.
 */
const ROLE_LINE =
  /^[ \t]*#?[ \t]*(system|developer|user|assistant|function|tool)[ \t]*(?:\[[^\]\r\n]*\])?[ \t]*:[ \t]*(?:\r\n|\n|\r|$)/gim;

const KIND: Record<string, BlockKind> = {
  system: 'system',
  developer: 'system',
  function: 'tool_result',
  tool: 'tool_result',
};

export interface PromptyOptions {
  /** Fill `{{name}}` with the file's `sample:` values, else the `inputs:` defaults (what the prompt is run with). */
  readonly sampleInputs?: boolean;
}

export function parsePromptyPrompt(
  text: string,
  start: number,
  sink: DiagnosticSink,
  options: PromptyOptions = {},
): Prompt {
  const fm = splitFrontMatter(text, start, sink);
  const bodyStart = fm?.bodyStart ?? start;
  const blocks: Block[] = [];
  // Tools and the response schema are the start of the cached prefix (rendered first, as the request has them).
  toolBlocks(fm, blocks);
  const values = options.sampleInputs ? sampleValues(fm) : undefined;
  const add = (role: string, headerStart: number, contentStart: number, contentEnd: number) => {
    // Trimmed like the runtime does; still a verbatim slice, so offsets map one to one.
    let s = contentStart,
      e = contentEnd;
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    const range = { start: headerStart, end: contentEnd };
    const segments: Segment[] = [openAiHeader(role, range)];
    if (e > s) {
      const raw = text.slice(s, e);
      const filled = values
        ? raw.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (m, k: string) => (k in values ? values[k] : m))
        : raw;
      segments.push({ text: filled, range: { start: s, end: e }, verbatim: filled === raw });
    }
    segments.push(openAiFooter({ start: e, end: e }));
    blocks.push({ kind: KIND[role] ?? 'message', role, label: `${role} (message ${blocks.length})`, range, segments });
  };
  ROLE_LINE.lastIndex = bodyStart;
  let role = 'system',
    headerStart = bodyStart,
    contentStart = bodyStart;
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
  if (template >= 0 && !values) {
    sink.info(
      'template-variables',
      "template variables ({{…}}) are counted as written; the values filled in at run time change the tokens from here on (`--sample-inputs` fills them from the file's sample and input defaults)",
      { start: template, end: template + 2 },
    );
  }
  for (const [name, spec] of Object.entries(record(fm?.data.inputs))) {
    if (record(spec).kind === 'thread' || record(spec).type === 'thread') {
      sink.info(
        'thread-input',
        `input "${name}" is a thread: at run time it expands into the conversation's messages, which are not in this file`,
        fm?.ranges.inputs ?? fm!.range,
      );
    }
  }
  const model = promptyModel(fm, sink);
  const provider = stringKey(fm, 'provider', sink);
  return {
    format: 'prompty',
    blocks,
    diagnostics: sink.list,
    range: { start, end: text.length },
    ...(model ? { model, models: [model], ...(fm?.ranges.model ? { modelRange: fm.ranges.model } : {}) } : {}),
    ...(provider ? { provider } : {}),
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
  for (const v of [rec.id, conf.name, conf.azure_deployment, conf.model])
    if (typeof v === 'string' && v.trim()) return v.trim();
  return undefined;
}

type Rec = Record<string, unknown>;
const record = (v: unknown): Rec => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {});

/** Prompty v2 `tools:`, v1 `model.options.tools` / `model.parameters.tools`, and `response_format`, as the request sends them. */
function toolBlocks(fm: FrontMatter | undefined, blocks: Block[]): void {
  if (!fm) return;
  const model = record(fm.data.model);
  const opts = { ...record(model.parameters), ...record(model.options) };
  const tools = (
    Array.isArray(fm.data.tools) ? fm.data.tools : Array.isArray(opts.tools) ? opts.tools : []
  ) as unknown[];
  const toolsRange = fm.ranges.tools ?? fm.ranges.model ?? fm.range;
  if (tools.length) {
    blocks.push({
      kind: 'tools',
      label: `tools (${tools.length})`,
      range: toolsRange,
      segments: tools.map((t) => ({ text: JSON.stringify(asOpenAiTool(t)), range: toolsRange, verbatim: false })),
    });
  }
  const format = fm.data.response_format ?? opts.response_format;
  const schema = record(format).json_schema;
  if (schema !== undefined) {
    const range = fm.ranges.response_format ?? fm.ranges.model ?? fm.range;
    blocks.push({
      kind: 'response_format',
      label: 'response_format',
      range,
      segments: [{ text: JSON.stringify(schema), range, verbatim: false }],
    });
  }
}

/** An OpenAI function tool: as written when it is one, else built from Prompty's {name, description, parameters}. */
function asOpenAiTool(t: unknown): unknown {
  const r = record(t);
  if (r.type === 'function' && r.function) return t;
  const { kind: _kind, type: _type, name, description, parameters } = r;
  return {
    type: 'function',
    function: {
      name,
      ...(description !== undefined ? { description } : {}),
      parameters: parameters ?? { type: 'object', properties: {} },
    },
  };
}

/** `sample:` values, then the `inputs:` defaults, as strings to fill into the template. */
function sampleValues(fm: FrontMatter | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const str = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  for (const [k, spec] of Object.entries(record(fm?.data.inputs)))
    if (record(spec).default !== undefined) out[k] = str(record(spec).default);
  for (const [k, v] of Object.entries(record(fm?.data.sample))) if (v !== undefined) out[k] = str(v);
  return out;
}
