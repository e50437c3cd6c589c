import type { Prompt } from '../prompt/types';

/*
 * The providers' own token-counting endpoints, as KV Lens calls them (opt-in only: `--exact`, KVLENS_EXACT=1, or the
 * editor's setting and command). Each takes the request as the provider would receive it and answers with the count
 * it would bill, for free:
 *  - Anthropic: POST /v1/messages/count_tokens → {"input_tokens"}
 *    (https://platform.claude.com/docs/en/build-with-claude/token-counting, read 2026-12-05);
 *  - Gemini: POST /v1beta/models/{model}:countTokens with {"generateContentRequest"} → {"totalTokens"}
 *    (https://ai.google.dev/api/tokens, read 2026-12-05);
 *  - OpenAI: POST /v1/responses/input_tokens → {"object": "response.input_tokens", "input_tokens"}
 *    (openai-node src/resources/responses/input-tokens.ts, read 2026-12-05). It counts Responses requests only, so a
 *    Chat Completions body is not sent: KV Lens's own count of one is exact for text, and a conversion would not be.
 */

export type CountProvider = 'anthropic' | 'google' | 'openai';

export function isCountProvider(p: string): p is CountProvider {
  return p === 'anthropic' || p === 'google' || p === 'openai';
}

/**
 * What is sent for a prompt: a JSON request body as written, or the text of a plain prompt; undefined for a body that
 * is not valid JSON (its diagnostics say where), which is never sent.
 */
export function promptContent(prompt: Prompt, text: string): Record<string, unknown> | string | undefined {
  if (
    prompt.format.startsWith('openai') ||
    prompt.format === 'anthropic-messages' ||
    prompt.format === 'gemini-generate'
  ) {
    const r = prompt.range ?? { start: 0, end: text.length };
    try {
      const v: unknown = JSON.parse(text.slice(r.start, r.end));
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return prompt.blocks.flatMap((b) => b.segments.filter((s) => !s.framing).map((s) => s.text)).join('');
}

export interface CountRequest {
  readonly provider: CountProvider;
  /** What the answer is called where it is shown: "exact (count_tokens)". */
  readonly endpointName: string;
  readonly url: string;
  /** Headers without the key; `keyHeader` carries it. */
  readonly headers: Readonly<Record<string, string>>;
  readonly keyHeader: string;
  readonly keyPrefix: string;
  readonly body: string;
}

export const DEFAULT_BASE_URLS: Readonly<Record<CountProvider, string>> = {
  anthropic: 'https://api.anthropic.com',
  google: 'https://generativelanguage.googleapis.com',
  openai: 'https://api.openai.com',
};

/** The variables the providers' SDKs read for another base URL (a proxy, a gateway): KV Lens honours the same. */
export const BASE_URL_ENV: Readonly<Record<CountProvider, string>> = {
  anthropic: 'ANTHROPIC_BASE_URL',
  google: 'GOOGLE_GEMINI_BASE_URL',
  openai: 'OPENAI_BASE_URL',
};

/** The base URL from such a variable ("https://api.openai.com/v1" as OpenAI's SDK takes it, without the "/v1"). */
export function baseUrlFromEnv(
  provider: CountProvider,
  env: Readonly<Record<string, string | undefined>> | undefined,
): string | undefined {
  return env?.[BASE_URL_ENV[provider]]?.replace(/\/v1\/?$/, '') || undefined;
}

type Obj = Record<string, unknown>;
const pick = (o: Obj, keys: readonly string[]): Obj =>
  Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

const ANTHROPIC_FIELDS = ['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'mcp_servers'] as const;
const OPENAI_FIELDS = [
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'text',
  'reasoning',
  'parallel_tool_calls',
  'previous_response_id',
  'conversation',
  'truncation',
] as const;
const GEMINI_FIELDS = [
  'contents',
  'systemInstruction',
  'tools',
  'toolConfig',
  'generationConfig',
  'cachedContent',
] as const;

/**
 * The count request for a prompt: a request body of the provider's own format is sent with only the fields its
 * endpoint takes; plain text is sent as one user message. Returns a sentence saying why not, when it cannot be counted.
 */
export function buildCountRequest(
  provider: CountProvider,
  model: string,
  format: string,
  content: Obj | string,
  baseUrl: string = DEFAULT_BASE_URLS[provider],
): CountRequest | string {
  const base = baseUrl.replace(/\/+$/, '');
  const json = (o: Obj) => JSON.stringify(o);
  if (provider === 'anthropic') {
    if (typeof content !== 'string' && format !== 'anthropic-messages')
      return `a ${format} body is not an Anthropic Messages request`;
    const body =
      typeof content === 'string'
        ? { model, messages: [{ role: 'user', content }] }
        : { ...pick(content, ANTHROPIC_FIELDS), model };
    return {
      provider,
      endpointName: 'count_tokens',
      url: `${base}/v1/messages/count_tokens`,
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      keyHeader: 'x-api-key',
      keyPrefix: '',
      body: json(body),
    };
  }
  if (provider === 'google') {
    if (typeof content !== 'string' && format !== 'gemini-generate')
      return `a ${format} body is not a Gemini generateContent request`;
    const id = model.replace(/^models\//, '');
    const req =
      typeof content === 'string'
        ? { contents: [{ role: 'user', parts: [{ text: content }] }] }
        : pick(content, GEMINI_FIELDS);
    return {
      provider,
      endpointName: 'countTokens',
      url: `${base}/v1beta/models/${encodeURIComponent(id)}:countTokens`,
      headers: { 'content-type': 'application/json' },
      keyHeader: 'x-goog-api-key',
      keyPrefix: '',
      body: json({ generateContentRequest: { model: `models/${id}`, ...req } }),
    };
  }
  if (typeof content !== 'string' && format !== 'openai-responses')
    return format === 'openai-chat'
      ? "OpenAI's input-token endpoint counts Responses requests only; KV Lens's own count of a Chat Completions body is exact for text"
      : `a ${format} body is not an OpenAI Responses request`;
  const body = typeof content === 'string' ? { model, input: content } : { ...pick(content, OPENAI_FIELDS), model };
  return {
    provider,
    endpointName: 'input_tokens',
    url: `${base}/v1/responses/input_tokens`,
    headers: { 'content-type': 'application/json' },
    keyHeader: 'authorization',
    keyPrefix: 'Bearer ',
    body: json(body),
  };
}

/**
 * The count request for one parsed prompt of `text`: its content (a body that is not valid JSON is never sent) with the
 * model as the file names it (an API id), else `model`. A sentence saying why not, when it cannot be counted.
 */
export function countRequestFor(
  prompt: Prompt,
  text: string,
  provider: CountProvider,
  model: string,
  baseUrl?: string,
): CountRequest | string {
  const content = promptContent(prompt, text);
  if (content === undefined) return 'the request body is not valid JSON; it is not sent';
  return buildCountRequest(provider, prompt.model ?? model, prompt.format, content, baseUrl);
}
