import fs from 'node:fs';
import path from 'node:path';
import { findModel, successorModel } from '../../src/core/pricing/catalog';
import { tokenizerForModel } from '../../src/core/pricing/modelTokenizer';
import { parsePrompt } from '../../src/core/prompt/parse';
import { renderPrompt } from '../../src/core/prompt/render';
import { readUsage } from '../../src/core/replay/usage';

/**
 * Real API calls recorded by public SDK test suites (request body + the usage the provider returned), as kept in
 * test/oracle/requests.jsonl and in the extracted corpus (scripts/oracle/extract-cassettes.mjs), and how KV Lens's
 * count of each request compares with what the provider billed.
 */
export type Endpoint =
  | 'openai-chat'
  | 'openai-responses'
  | 'openai-input-tokens'
  | 'anthropic-messages'
  | 'anthropic-count-tokens'
  | 'gemini-generate'
  | 'gemini-count-tokens';

export interface RecordedCall {
  /** test/oracle/requests.jsonl: the cassette's row in test/oracle/SOURCES.md. */
  readonly source?: number;
  /** The extracted corpus: where the call was recorded (its SOURCES.md names the licence). */
  readonly repo?: string;
  readonly commit?: string;
  readonly path?: string;
  readonly interaction?: number;
  /** The provider-minted response id. */
  readonly id?: string;
  /** anthropic-count-tokens: a recorded answer of Anthropic's count_tokens endpoint (the opt-in exact count). */
  readonly endpoint: Endpoint;
  /** When the call was made, where the cassette shows it (replayed in order). */
  readonly at?: string;
  /** Gemini names the model in the URL, not the body. */
  readonly model?: string;
  /** The recorded Content-Length of the request: a body that does not match it was edited after recording. */
  readonly contentLength?: number;
  /** How the extractor checked the body against the recorded Content-Length. */
  readonly verified?: 'content-length' | 'length-differs' | 'no-length';
  readonly request: Record<string, unknown>;
  readonly usage: Record<string, unknown>;
}

export interface CallCount {
  readonly call: RecordedCall;
  /** What the provider billed as input (cached or not). */
  readonly billed: number;
  readonly counted: number;
  readonly exact: boolean;
  readonly kind: 'text' | 'tools';
  /** The feature class the call is reported under (featureClass). */
  readonly feature: string;
  /** The request body no longer matches its recorded Content-Length. */
  readonly edited: boolean;
}

/** Whether the body, serialized as the SDKs send it (compact, or Python's ", " / ": "), has the recorded length. */
export function matchesContentLength(call: RecordedCall): boolean {
  if (call.verified) return call.verified !== 'length-differs';
  const bytes = (s: string) => new TextEncoder().encode(s).length;
  const compact = JSON.stringify(call.request);
  const spaced = compact.replace(/("(?:[^"\\]|\\.)*")|([,:])/g, (m, str: string | undefined) => str ?? `${m} `);
  return bytes(compact) === call.contentLength || bytes(spaced) === call.contentLength;
}

const readJsonl = (file: string): RecordedCall[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RecordedCall);

/** The committed calls of test/oracle/requests.jsonl. */
export function committedCalls(root: string): RecordedCall[] {
  return readJsonl(path.join(root, 'test/oracle/requests.jsonl'));
}

/**
 * The extracted corpus, where it is: `KVLENS_ORACLE_CORPUS`, else test/oracle/recorded/, else shared/oracle-corpus
 * beside the repository (where CI keeps its copy of shared/). Undefined when none is there.
 */
export function corpusDir(root: string): string | undefined {
  const candidates = [
    process.env.KVLENS_ORACLE_CORPUS,
    path.join(root, 'test/oracle/recorded'),
    path.join(root, '../shared/oracle-corpus'),
  ];
  return candidates.find((d) => d && fs.existsSync(path.join(d, 'SOURCES.md')));
}

export function corpusCalls(dir: string): RecordedCall[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => readJsonl(path.join(dir, f)));
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const types = (v: unknown): string[] => arr(v).map((p) => String(obj(p)?.type ?? ''));

/** The body KV Lens reads: the model named in it; a countTokens body unwrapped to the request it counts. */
function bodyOf(call: RecordedCall): Obj {
  let body: Obj = call.request;
  if (call.endpoint === 'gemini-count-tokens' && obj(body.generateContentRequest))
    body = obj(body.generateContentRequest)!;
  return call.model && !body.model ? { ...body, model: call.model } : body;
}

/**
 * The feature class a call is reported under: the first feature of its provider's list that the request has, in the
 * order of how much each is expected to cost accuracy (media before tools before turns before plain text).
 */
export function featureClass(call: RecordedCall): string {
  const b = bodyOf(call);
  const provider = call.endpoint.split('-')[0];
  if (provider === 'openai') {
    const items = [...arr(b.messages), ...(Array.isArray(b.input) ? b.input : [])].map((m) => obj(m) ?? {});
    const parts = items.flatMap((m) => types(m.content));
    const tools = arr(b.tools).map((t) => obj(t) ?? {});
    if (parts.some((t) => /image|audio|file/.test(t))) return 'media';
    if (
      b.previous_response_id ||
      b.conversation ||
      b.context_management ||
      items.some((m) => m.type === 'reasoning' || m.type === 'compaction') ||
      obj(b.prompt)
    )
      return 'server state';
    if (tools.some((t) => t.type !== 'function' && t.type !== undefined)) return 'built-in tools';
    if (obj(b.response_format)?.json_schema || obj(obj(b.text)?.format)?.schema) return 'structured output';
    const calls = items.some(
      (m) => arr(m.tool_calls).length || m.function_call || /function_call/.test(String(m.type ?? '')),
    );
    if (tools.length) return calls ? 'function tools, calls' : 'function tools';
    if (items.filter((m) => m.role === 'assistant').length || calls) return 'multi-turn';
    if (b.instructions || items.some((m) => m.role === 'system' || m.role === 'developer')) return 'system';
    return 'text';
  }
  if (provider === 'anthropic') {
    const msgs = arr(b.messages).map((m) => obj(m) ?? {});
    const parts = msgs.flatMap((m) => types(m.content));
    const tools = arr(b.tools).map((t) => obj(t) ?? {});
    const cc = JSON.stringify(b).includes('"cache_control"');
    if (parts.some((t) => t === 'image' || t === 'document')) return 'media';
    if (tools.some((t) => t.type && !/^custom$/.test(String(t.type))) || b.mcp_servers) return 'server tools';
    if (b.context_management || parts.includes('compaction')) return 'context management';
    if (obj(b.thinking)?.type === 'enabled' || obj(b.thinking)?.type === 'adaptive' || parts.includes('thinking'))
      return tools.length ? 'thinking + tools' : 'thinking';
    if (b.output_format || obj(b.output_config)?.format) return 'structured output';
    if (tools.length) return cc ? 'cache_control + tools' : 'tools';
    if (cc) return 'cache_control';
    const multi = msgs.length > 1;
    if (b.system) return multi ? 'system + multi-turn' : 'system';
    return multi ? 'multi-turn' : 'text';
  }
  const contents = arr(b.contents).map((c) => obj(c) ?? {});
  const parts = contents.flatMap((c) => arr(c.parts).map((p) => obj(p) ?? {}));
  const tools = arr(b.tools).map((t) => obj(t) ?? {});
  if (/"(?:inlineData|inline_data|fileData|file_data|mimeType|mime_type)"/.test(JSON.stringify(b.contents ?? [])))
    return 'media';
  if (b.cachedContent || b.cached_content) return 'cachedContent';
  if (tools.some((t) => !t.functionDeclarations && !t.function_declarations)) return 'built-in tools';
  const gen = obj(b.generationConfig) ?? {};
  if (gen.responseSchema || gen.responseJsonSchema || gen.response_json_schema) return 'structured output';
  const calls = parts.some((p) => p.functionCall || p.functionResponse || p.function_call || p.function_response);
  if (tools.length) return calls ? 'function declarations, calls' : 'function declarations';
  if (calls) return 'function calls';
  if (contents.length > 1) return 'multi-turn';
  if (b.systemInstruction || b.system_instruction) return 'system';
  return 'text';
}

/**
 * What the provider billed as input: all input tokens, cached or not (countTokens: its total). A Gemini request that
 * names an explicit cache (`cachedContent`) is billed the cache's tokens too, which are not in the request: the
 * request's own part is what KV Lens can count, so that part is compared (the diagnostic says the rest is not there).
 */
export function billedInput(call: RecordedCall): number {
  if (call.endpoint === 'gemini-count-tokens') return Number(call.usage.totalTokens);
  const gemini = call.endpoint === 'gemini-generate';
  if (gemini && (call.request.cachedContent || call.request.cached_content))
    return Number(call.usage.promptTokenCount) - (Number(call.usage.cachedContentTokenCount) || 0);
  return (
    readUsage({ usage: gemini ? undefined : call.usage, usageMetadata: gemini ? call.usage : undefined })
      ?.inputTokens ?? NaN
  );
}

export function countCall(call: RecordedCall): CallCount {
  const body = bodyOf(call);
  const text = JSON.stringify(body, null, 1);
  const prompt = parsePrompt(text, { fileName: 'request.json' }).prompts[0];
  // A retired model (gemini-2.0-flash, claude-3-opus) is counted with its successor's tokenizer, as the catalog says.
  const named = findModel(String(body.model ?? ''));
  const model = named.ok ? named.model : successorModel(String(body.model ?? ''));
  if (!prompt || !model)
    throw new Error(`recorded call ${call.id ?? call.path}: ${named.ok ? 'no prompt' : named.message}`);
  const rendered = renderPrompt(prompt, tokenizerForModel(model).tokenizer);
  return {
    call,
    billed: billedInput(call),
    counted: rendered.ids.length,
    exact: rendered.exact && model.exactTokenizer,
    kind: Array.isArray(body.tools) && body.tools.length ? 'tools' : 'text',
    feature: featureClass(call),
    edited: !matchesContentLength(call),
  };
}

/** Whether KV Lens can count the call at all: a model it knows (or a retired one's successor) and a body it parses. */
export function countable(call: RecordedCall): boolean {
  const body = bodyOf(call);
  const id = String(body.model ?? '');
  return (findModel(id).ok || !!successorModel(id)) && Number.isFinite(billedInput(call)) && billedInput(call) > 0;
}

export interface CountTableRow {
  readonly endpoint: string;
  readonly kind: string;
  readonly calls: number;
  readonly equal: number;
  readonly exactClaimed: number;
  readonly medianErrorPct: number;
  readonly maxErrorPct: number;
}

const errPct = (c: CallCount) => (Math.abs(c.counted - c.billed) / c.billed) * 100;

/** Per endpoint and kind: how many counts equal the bill, and the relative error distribution (edited bodies left out). */
export function countTable(counts: readonly CallCount[]): CountTableRow[] {
  return grouped(counts, (c) => `${c.call.endpoint} ${c.kind}`).map(([k, g]) => {
    const errs = g.map(errPct).sort((a, b) => a - b);
    const [endpoint, kind] = k.split(' ');
    return {
      endpoint,
      kind,
      calls: g.length,
      equal: g.filter((c) => c.counted === c.billed).length,
      exactClaimed: g.filter((c) => c.exact).length,
      medianErrorPct: +errs[errs.length >> 1].toFixed(1),
      maxErrorPct: +errs[errs.length - 1].toFixed(1),
    };
  });
}

export interface ClassRow {
  readonly provider: string;
  readonly endpoint: string;
  readonly feature: string;
  readonly calls: number;
  readonly equal: number;
  /** Within 2 % of the bill (equal ones included). */
  readonly within2: number;
  readonly within10: number;
  readonly exactClaimed: number;
  /** Called exact but not equal to the bill: must be 0. */
  readonly exactWrong: number;
  readonly medianErrorPct: number;
}

/** Per provider, endpoint and feature class: equal / within 2 % / within 10 % (edited bodies left out). */
export function classTable(counts: readonly CallCount[]): ClassRow[] {
  return grouped(counts, (c) => `${c.call.endpoint}\t${c.feature}`)
    .map(([k, g]): ClassRow => {
      const [endpoint, feature] = k.split('\t');
      const errs = g.map(errPct).sort((a, b) => a - b);
      return {
        provider: endpoint.split('-')[0],
        endpoint,
        feature,
        calls: g.length,
        equal: g.filter((c) => c.counted === c.billed).length,
        within2: errs.filter((e) => e <= 2).length,
        within10: errs.filter((e) => e <= 10).length,
        exactClaimed: g.filter((c) => c.exact).length,
        exactWrong: g.filter((c) => c.exact && c.counted !== c.billed).length,
        medianErrorPct: +errs[errs.length >> 1].toFixed(1),
      };
    })
    .sort((a, b) => a.endpoint.localeCompare(b.endpoint) || b.calls - a.calls);
}

function grouped(counts: readonly CallCount[], key: (c: CallCount) => string): [string, CallCount[]][] {
  const groups = new Map<string, CallCount[]>();
  for (const c of counts) {
    if (c.edited) continue;
    const k = key(c);
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  return [...groups];
}

/** The class table as text: one line a class, the figures a reader compares. */
export function classTableText(rows: readonly ClassRow[]): string {
  const head = ['endpoint', 'feature', 'calls', 'equal', '≤2 %', '≤10 %', 'exact', 'median %'];
  const lines = rows.map((r) => [
    r.endpoint,
    r.feature,
    r.calls,
    r.equal,
    r.within2,
    r.within10,
    `${r.exactClaimed}${r.exactWrong ? ` (${r.exactWrong} wrong)` : ''}`,
    r.medianErrorPct,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  return [head, ...lines].map((l) => l.map((v, i) => String(v).padEnd(widths[i])).join('  ')).join('\n');
}
