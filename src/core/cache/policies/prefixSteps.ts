import type { CacheWarning, PolicyDecision } from '../types';

/**
 * Tokens served from cache when `reusable` tokens match, for providers that cache automatically from `min` tokens
 * on and then in steps of `step` (OpenAI: 1024 then every 128; `step` 1 = token level). Below `min`: nothing.
 */
export function steppedHit(reusable: number, min: number, step: number): number {
  const s = Math.max(1, step | 0);
  if (reusable < Math.max(min, 1)) return 0;
  return Math.max(min, 0) + Math.floor((reusable - Math.max(min, 0)) / s) * s;
}

/** Whole blocks of `block` tokens within `length` (vLLM blocks, SGLang pages, DeepSeek units). */
export function wholeBlocks(length: number, block: number): number {
  const b = Math.max(1, block | 0);
  return Math.floor(Math.max(0, length) / b) * b;
}

/** The provider says nothing when a prompt is too short to cache; KV Lens must. */
export function belowMinimum(tokens: number, min: number, what = 'this prompt'): CacheWarning {
  return {
    code: 'below-minimum',
    message: `${what} has ${tokens} tokens; the model caches only from ${min} tokens, so nothing is cached (the API does not report this)`,
  };
}

/** The decision for a prompt shorter than the model's minimum: nothing read, nothing written, and why. */
export function nothingBelowMinimum(tokens: number, min: number): PolicyDecision {
  return { cachedTokens: 0, cacheWriteTokens: 0, writes: [], warnings: [belowMinimum(tokens, min)] };
}

export const secondsToMs = (s: number): number => (s > 0 ? s * 1000 : Number.MAX_SAFE_INTEGER);
