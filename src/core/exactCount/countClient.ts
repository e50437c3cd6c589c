import type { CountRequest } from './countRequest';

export type ExactCount =
  | { readonly ok: true; readonly tokens: number; readonly endpointName: string; readonly cached: boolean }
  | { readonly ok: false; readonly message: string; readonly retryAfterSeconds?: number };

export interface CountClientOptions {
  /** The fetch to call (global fetch in Node 18+, browsers and VS Code's web host). */
  readonly fetch: typeof fetch;
  /** The whole exchange's deadline. */
  readonly timeoutMs?: number;
}

/**
 * Calls a provider's counting endpoint, remembering answers per request content: the same prompt (a keystroke that
 * was undone, a re-run) costs no second call. Never throws: a refused key, a rate limit, a timeout or an answer of
 * the wrong shape is a sentence saying which.
 */
export class CountClient {
  private readonly answers = new Map<string, number>();
  private static readonly MAX_ANSWERS = 256;

  constructor(private readonly options: CountClientOptions) {}

  async count(req: CountRequest, key: string): Promise<ExactCount> {
    const memo = `${req.url}\n${req.body}`;
    const known = this.answers.get(memo);
    if (known !== undefined) return { ok: true, tokens: known, endpointName: req.endpointName, cached: true };
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const res = await this.options.fetch(req.url, {
        method: 'POST',
        headers: { ...req.headers, [req.keyHeader]: req.keyPrefix + key },
        body: req.body,
        signal: abort.signal,
      });
      const text = await res.text();
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        data = undefined;
      }
      if (!res.ok) return failure(req, res.status, res.headers.get('retry-after'), data);
      const tokens = tokensOf(data);
      if (tokens === undefined)
        return { ok: false, message: `${req.url} answered without a token count (${text.slice(0, 120)})` };
      if (this.answers.size >= CountClient.MAX_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
      this.answers.set(memo, tokens);
      return { ok: true, tokens, endpointName: req.endpointName, cached: false };
    } catch (e) {
      if (abort.signal.aborted)
        return { ok: false, message: `${req.url} did not answer within ${Math.round(timeoutMs / 1000)} s` };
      return { ok: false, message: `${req.url} could not be reached: ${(e as Error).message}` };
    } finally {
      clearTimeout(timer);
    }
  }
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;

/** Anthropic and OpenAI answer {"input_tokens"}, Gemini {"totalTokens"}. */
function tokensOf(data: unknown): number | undefined {
  const o = obj(data);
  return o && (count(o.input_tokens) ?? count(o.totalTokens));
}

/** The provider's own error message ({"error": {"message"}} for all three), with what to do about the status. */
function failure(req: CountRequest, status: number, retryAfter: string | null, data: unknown): ExactCount {
  const e = obj(obj(data)?.error);
  const said = typeof e?.message === 'string' ? `: ${e.message}` : '';
  if (status === 401 || status === 403)
    return { ok: false, message: `${req.provider} refused the API key (${status})${said}` };
  if (status === 429) {
    const seconds = retryAfter !== null && /^\d+(\.\d+)?$/.test(retryAfter) ? Math.ceil(Number(retryAfter)) : undefined;
    return {
      ok: false,
      message: `${req.provider} rate-limited the count (429)${seconds !== undefined ? `; retry after ${seconds} s` : ''}${said}`,
      ...(seconds !== undefined ? { retryAfterSeconds: seconds } : {}),
    };
  }
  return { ok: false, message: `${req.provider} answered ${status}${said}` };
}
