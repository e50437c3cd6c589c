import { Simulator } from '../cache/simulator';
import type { Millis, RenderedPrompt } from '../cache/types';
import { costOfRequest } from './cost';
import { toUsdNumber } from './money';
import type { ModelInfo } from './types';

/** One request of a multi-request file (JSONL log or batch, Anthropic batch-create body), as sent in order. */
export interface RequestLine {
  readonly label: string;
  readonly tokens: number;
  readonly cachedTokens: number;
  readonly cacheWriteTokens: number;
  /** Input cost of this request without any cache, and as the policy bills it after the requests before it (USD). */
  readonly uncached: number;
  readonly withCache: number;
}

export interface RequestsCost {
  readonly requests: number;
  readonly tokens: number;
  /** Tokens every request starts with: the prefix a batch can reuse from the first request's cache entry. */
  readonly sharedPrefixTokens: number;
  readonly lines: readonly RequestLine[];
  readonly totals: {
    readonly uncached: number;
    readonly withCache: number;
    readonly output: number;
    readonly savingsPercent: number;
  };
}

const MAX_LINES = 1000;

function commonPrefix(a: Uint32Array, b: Uint32Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * Prices every request of a file: each sent in order, a second apart, through the cache simulator (so a line reads
 * what the lines before it wrote, as a log replays or a batch shares its prefix), with the totals over all of them.
 * Per-line figures are kept for the first MAX_LINES requests; the totals cover all.
 */
export function costOfRequests(
  requests: readonly { readonly rendered: RenderedPrompt; readonly label: string }[],
  model: ModelInfo,
  outputTokens: number,
  start: Millis,
): RequestsCost {
  const sim = new Simulator();
  const lines: RequestLine[] = [];
  let tokens = 0,
    uncached = 0,
    withCache = 0;
  let shared = requests.length ? requests[0].rendered.ids.length : 0;
  requests.forEach((r, i) => {
    const report = sim.request(r.rendered, model, start + i * 1000, { label: r.label });
    tokens += report.tokens;
    uncached += report.cost?.uncached ?? 0;
    withCache += report.cost?.withCache ?? 0;
    if (i > 0) shared = Math.min(shared, commonPrefix(requests[0].rendered.ids, r.rendered.ids));
    if (lines.length < MAX_LINES) {
      lines.push({
        label: r.label,
        tokens: report.tokens,
        cachedTokens: report.cachedTokens,
        cacheWriteTokens: report.cacheWriteTokens,
        uncached: report.cost?.uncached ?? 0,
        withCache: report.cost?.withCache ?? 0,
      });
    }
  });
  const output = toUsdNumber(costOfRequest({ model, inputTokens: 0, outputTokens }).output) * requests.length;
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  return {
    requests: requests.length,
    tokens,
    sharedPrefixTokens: shared,
    lines,
    totals: {
      uncached: round(uncached),
      withCache: round(withCache),
      output: round(output),
      savingsPercent: uncached > 0 ? Math.round((1000 * (uncached - withCache)) / uncached) / 10 : 0,
    },
  };
}
