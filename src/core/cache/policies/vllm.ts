import type { CachePolicy, PolicyDecision, PolicyInput, PolicySource } from '../types';
import { secondsToMs, wholeBlocks } from './prefixSteps';
import { tokenCount } from '../tokenSources';

/**
 * vLLM automatic prefix caching: KV blocks are hashed by (parent hash, block tokens), only full blocks are cached
 * and matched, and the last prompt token is always recomputed (the scheduler needs its logits). Block size is the
 * catalog's granularity (vLLM default 16). No TTL: LRU eviction when memory is needed (catalog ttlSeconds 0 = none).
 */
export const SOURCES: readonly PolicySource[] = [
  {
    url: 'https://docs.vllm.ai/en/latest/design/prefix_caching/',
    asOf: '2026-12-01',
    says: 'vLLM hashes each KV-cache block by the tokens in the block and the prefix before it (parent hash); only full blocks are cached; freed blocks stay cached and are evicted LRU. The hit length is capped at num_tokens − 1 so at least one token is computed.',
  },
  {
    url: 'https://docs.vllm.ai/en/v0.11.2/api/vllm/v1/core/block_pool/',
    asOf: '2026-12-01',
    says: 'A cached block is a full block with a block hash that can be used for prefix caching.',
  },
];

export const vllmPolicy: CachePolicy = {
  provider: 'vllm',
  sources: SOURCES,
  decide(input: PolicyInput): PolicyDecision {
    const { prompt, model, reusablePrefix } = input;
    const n = tokenCount(prompt);
    const block = model.cache.granularity || 16;
    const cachedTokens = wholeBlocks(Math.min(reusablePrefix, n - 1), block);
    const full = wholeBlocks(n, block);
    return {
      cachedTokens,
      cacheWriteTokens: 0,
      writes: full > 0 ? [{ length: full, ttlMs: secondsToMs(model.cache.ttlSeconds) }] : [],
      warnings: [],
    };
  },
};
