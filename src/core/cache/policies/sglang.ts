import type { CachePolicy, PolicyDecision, PolicyInput, PolicySource } from '../types';
import { secondsToMs, wholeBlocks } from './prefixSteps';
import { tokenCount } from '../tokenSources';

/**
 * SGLang RadixAttention: a radix tree over token ids, matched at token level (page_size 1 by default; with a larger
 * page size, matches are page-aligned — the catalog's granularity). As in vLLM, the last prompt token is recomputed.
 */
export const SOURCES: readonly PolicySource[] = [
  {
    url: 'https://www.mintlify.com/sgl-project/sglang/concepts/radix-attention',
    asOf: '2026-12-01',
    says: 'RadixAttention keeps the KV cache in a radix tree keyed by token sequences, so requests share the KV states of common token prefixes; matching is at token level; LRU eviction of leaves.',
  },
  {
    url: 'https://ubiquitouslearning.github.io/mllm/autoapi/pymllm/mem_cache/radix_cache/index.html',
    asOf: '2026-12-01',
    says: 'Radix-tree KV cache with page-aligned operations (page_size >= 1) and LRU leaf eviction (an SGLang-derived implementation; used for the page-size rule).',
  },
];

export const sglangPolicy: CachePolicy = {
  provider: 'sglang',
  sources: SOURCES,
  decide(input: PolicyInput): PolicyDecision {
    const { prompt, model, reusablePrefix } = input;
    const n = tokenCount(prompt);
    const page = model.cache.granularity || 1;
    const cachedTokens = wholeBlocks(Math.min(reusablePrefix, n - 1), page);
    const full = wholeBlocks(n, page);
    return {
      cachedTokens,
      cacheWriteTokens: 0,
      writes: full > 0 ? [{ length: full, ttlMs: secondsToMs(model.cache.ttlSeconds) }] : [],
      warnings: [],
    };
  },
};
