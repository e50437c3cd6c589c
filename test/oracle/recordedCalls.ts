import { findModel, successorModel } from '../../src/core/pricing/catalog';
import { tokenizerForModel } from '../../src/core/pricing/modelTokenizer';
import { parsePrompt } from '../../src/core/prompt/parse';
import { renderPrompt } from '../../src/core/prompt/render';
import { readUsage } from '../../src/core/replay/usage';

/**
 * Real API calls recorded by public SDK test suites (request body + the usage the provider returned), as kept in
 * test/oracle/requests.jsonl, and how KV Lens's count of each request compares with what the provider billed.
 */
export interface RecordedCall {
  readonly source: number;
  /** The provider-minted response id. */
  readonly id: string;
  /** anthropic-count-tokens: a recorded answer of Anthropic's count_tokens endpoint (the opt-in exact count). */
  readonly endpoint:
    'openai-chat' | 'openai-responses' | 'anthropic-messages' | 'anthropic-count-tokens' | 'gemini-generate';
  /** When the call was made, where the cassette shows it (replayed in order). */
  readonly at?: string;
  /** Gemini names the model in the URL, not the body. */
  readonly model?: string;
  /** The recorded Content-Length of the request: a body that does not match it was edited after recording. */
  readonly contentLength: number;
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
  /** The request body no longer matches its recorded Content-Length. */
  readonly edited: boolean;
}

/** Whether the body, serialized as the SDKs send it (compact, or Python's ", " / ": "), has the recorded length. */
export function matchesContentLength(call: RecordedCall): boolean {
  const bytes = (s: string) => new TextEncoder().encode(s).length;
  const compact = JSON.stringify(call.request);
  const spaced = compact.replace(/("(?:[^"\\]|\\.)*")|([,:])/g, (m, str: string | undefined) => str ?? `${m} `);
  return bytes(compact) === call.contentLength || bytes(spaced) === call.contentLength;
}

export function countCall(call: RecordedCall): CallCount {
  const body = call.model && !call.request.model ? { ...call.request, model: call.model } : call.request;
  const text = JSON.stringify(body, null, 1);
  const prompt = parsePrompt(text, { fileName: 'request.json' }).prompts[0];
  // A retired model (gemini-2.0-flash, claude-3-opus) is counted with its successor's tokenizer, as the catalog says.
  const named = findModel(String(body.model ?? ''));
  const model = named.ok ? named.model : successorModel(String(body.model ?? ''));
  if (!prompt || !model) throw new Error(`recorded call ${call.id}: ${named.ok ? 'no prompt' : named.message}`);
  const rendered = renderPrompt(prompt, tokenizerForModel(model).tokenizer);
  const billed =
    readUsage({
      usage: call.endpoint === 'gemini-generate' ? undefined : call.usage,
      usageMetadata: call.endpoint === 'gemini-generate' ? call.usage : undefined,
    })?.inputTokens ?? NaN;
  return {
    call,
    billed,
    counted: rendered.ids.length,
    exact: rendered.exact && model.exactTokenizer,
    kind: Array.isArray(body.tools) && body.tools.length ? 'tools' : 'text',
    edited: !matchesContentLength(call),
  };
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

/** Per endpoint and kind: how many counts equal the bill, and the relative error distribution (edited bodies left out). */
export function countTable(counts: readonly CallCount[]): CountTableRow[] {
  const groups = new Map<string, CallCount[]>();
  for (const c of counts) {
    if (c.edited) continue;
    const k = `${c.call.endpoint} ${c.kind}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  return [...groups].map(([k, g]) => {
    const errs = g.map((c) => (Math.abs(c.counted - c.billed) / c.billed) * 100).sort((a, b) => a - b);
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
