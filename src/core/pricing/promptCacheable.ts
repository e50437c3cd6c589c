import { policyFor } from '../cache/policies/index';
import type { CacheWarning, RenderedPrompt } from '../cache/types';
import { cacheableTokens } from './cost';
import type { ModelInfo } from './types';

export interface CacheablePrefix {
  /** Tokens the first call writes (billed at the write price where the provider bills writes). */
  readonly writeTokens: number;
  /** Tokens a warm repeat of the same prompt reads from cache. */
  readonly cachedTokens: number;
  readonly warnings: readonly CacheWarning[];
  /** Set when no breakpoint was in the prompt and one at its end was assumed (Anthropic). */
  readonly assumedBreakpoint: boolean;
}

/**
 * What caching does for a prompt re-sent unchanged: the first call (nothing live) and a warm repeat (everything the
 * first call left is live), decided by the model's cache policy. A prompt without any breakpoint is priced as if
 * it had one at its end, because the question `kvlens cost` answers is what caching would save.
 */
export function cacheablePrefix(model: ModelInfo, prompt: RenderedPrompt, ttl?: '5m' | '1h'): CacheablePrefix {
  const policy = policyFor(model.cache.policy);
  const n = prompt.ids.length;
  if (!policy) {
    const c = cacheableTokens(model, n);
    return { writeTokens: c, cachedTokens: c, warnings: [], assumedBreakpoint: false };
  }
  const run = (p: RenderedPrompt) => {
    const first = policy.decide({ prompt: p, model, reusablePrefix: 0, entryPrefixes: [] });
    const entries = [...new Set(first.writes.map((w) => w.length))].sort((a, b) => a - b);
    const warm = policy.decide({ prompt: p, model, reusablePrefix: n, entryPrefixes: entries });
    const written = first.writes.length ? Math.max(...first.writes.map((w) => w.length)) : 0;
    return { first, warm, written };
  };
  let r = run(prompt);
  let assumed = false;
  if (r.first.warnings.some((w) => w.code === 'no-breakpoint') && n > 0) {
    r = run({ ...prompt, automatic: { ttl: ttl ?? '5m' } });
    assumed = true;
  }
  // A provider that does not bill writes reports 0 written tokens; the prefix is still written, at the input price.
  const writeTokens =
    r.first.cacheWriteTokens > 0 ? r.first.cacheWriteTokens : Math.min(r.written, r.warm.cachedTokens || r.written);
  const warnings = [...r.first.warnings, ...r.warm.warnings].filter(
    (w, i, all) => all.findIndex((x) => x.code === w.code) === i,
  );
  return { writeTokens, cachedTokens: r.warm.cachedTokens, warnings, assumedBreakpoint: assumed };
}
