/**
 * Provider usage figures, normalized. Providers count differently: OpenAI's `prompt_tokens` includes the cached
 * tokens; Anthropic's `input_tokens` excludes cache reads and writes; Gemini's `promptTokenCount` includes
 * `cachedContentTokenCount`. KV Lens counts every input token once: hit rate = cached / all input tokens, the same
 * way for everyone (a dashboard that mixes the two accountings shows false 100 % hit rates).
 */
export interface Usage {
  /** All input tokens of the request: read from cache + written to cache + the rest. */
  readonly inputTokens: number;
  readonly cachedTokens: number;
  readonly cacheWriteTokens: number;
  /** Anthropic's split of the writes by TTL, when given. */
  readonly cacheWriteByTtl?: { readonly '5m': number; readonly '1h': number };
  readonly outputTokens: number;
  readonly accounting: 'openai' | 'anthropic' | 'gemini';
  /** Anthropic cache diagnostics' reason for a miss, when the response carries one. */
  readonly missReason?: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/** Reads the usage of a response body (or of `{usage}` / `{usageMetadata}` alone); undefined when it has none. */
export function readUsage(response: unknown): Usage | undefined {
  const r = obj(response);
  if (!r) return undefined;
  const body = obj(r.body) ?? r; // OpenAI batch output wraps the response body
  const gem = obj(body.usageMetadata);
  if (gem) {
    const prompt = num(gem.promptTokenCount) ?? 0;
    return {
      inputTokens: prompt,
      cachedTokens: Math.min(prompt, num(gem.cachedContentTokenCount) ?? 0),
      cacheWriteTokens: 0,
      outputTokens: (num(gem.candidatesTokenCount) ?? 0) + (num(gem.thoughtsTokenCount) ?? 0),
      accounting: 'gemini',
    };
  }
  const u = obj(body.usage);
  if (!u) return undefined;
  if (
    'cache_read_input_tokens' in u ||
    'cache_creation_input_tokens' in u ||
    ('input_tokens' in u && !('input_tokens_details' in u) && !('prompt_tokens' in u))
  ) {
    const read = num(u.cache_read_input_tokens) ?? 0,
      write = num(u.cache_creation_input_tokens) ?? 0,
      rest = num(u.input_tokens) ?? 0;
    const split = obj(u.cache_creation);
    const diag = obj(body.cache_diagnostics) ?? obj(u.cache_diagnostics);
    // Anthropic's cache diagnostics: `diagnostics.cache_miss_reason.type` (model_changed, system_changed, …).
    const why = obj(obj(body.diagnostics)?.cache_miss_reason);
    const missReason =
      typeof why?.type === 'string'
        ? why.type
        : typeof diag?.miss_reason === 'string'
          ? diag.miss_reason
          : typeof diag?.reason === 'string'
            ? diag.reason
            : undefined;
    return {
      inputTokens: rest + read + write,
      cachedTokens: read,
      cacheWriteTokens: write,
      outputTokens: num(u.output_tokens) ?? 0,
      accounting: 'anthropic',
      ...(split
        ? {
            cacheWriteByTtl: {
              '5m': num(split.ephemeral_5m_input_tokens) ?? 0,
              '1h': num(split.ephemeral_1h_input_tokens) ?? 0,
            },
          }
        : {}),
      ...(missReason ? { missReason } : {}),
    };
  }
  // OpenAI Chat Completions (prompt_tokens, prompt_tokens_details) and Responses (input_tokens, input_tokens_details).
  const input = num(u.prompt_tokens) ?? num(u.input_tokens) ?? 0;
  const details = obj(u.prompt_tokens_details) ?? obj(u.input_tokens_details);
  // OpenAI's Responses prompt-cache diagnostics (GPT-5.6 and later): the reason a compared response was not reused.
  const pcd = obj(body.prompt_cache_diagnostics);
  const miss = obj(pcd?.cache_miss) ?? pcd;
  const missReason =
    typeof miss?.reason === 'string'
      ? miss.reason
      : typeof miss?.type === 'string' && miss.type !== 'hit'
        ? miss.type
        : undefined;
  return {
    inputTokens: input,
    cachedTokens: Math.min(input, num(details?.cached_tokens) ?? 0),
    cacheWriteTokens: 0,
    outputTokens: num(u.completion_tokens) ?? num(u.output_tokens) ?? 0,
    accounting: 'openai',
    ...(missReason ? { missReason } : {}),
  };
}
