import type { CachePolicy, PolicyDecision, PolicyInput, PolicySource } from '../types';
import { nothingBelowMinimum, secondsToMs, steppedHit } from './prefixSteps';
import { tokenCount } from '../tokenSources';

/**
 * The shape shared by providers that cache every prompt automatically (OpenAI, xAI, Mistral, Gemini implicit):
 * a prompt of at least minTokens leaves its whole token sequence in the cache; a later prompt reads its longest
 * live common prefix, rounded down to minTokens + k × granularity. Writes are free unless the catalog lists a
 * cache-write price for the model.
 */
export function automaticPrefixPolicy(provider: string, sources: readonly PolicySource[]): CachePolicy {
  return {
    provider,
    sources,
    decide(input: PolicyInput): PolicyDecision {
      const { prompt, model, reusablePrefix } = input;
      const { minTokens, granularity, ttlSeconds } = model.cache;
      const n = tokenCount(prompt);
      if (n < minTokens) return nothingBelowMinimum(n, minTokens);
      const cachedTokens = Math.min(steppedHit(reusablePrefix, minTokens, granularity), n);
      const ttlMs = secondsToMs(ttlSeconds);
      const writes = [{ length: n, ttlMs }];
      // Explicit breakpoints (where a model has them) leave their prefixes too.
      for (const bp of prompt.breakpoints)
        if (bp.token >= minTokens && bp.token < n) writes.push({ length: bp.token, ttlMs });
      const billsWrites = model.prices.cacheWrite !== undefined;
      return { cachedTokens, cacheWriteTokens: billsWrites ? n - cachedTokens : 0, writes, warnings: [] };
    },
  };
}
