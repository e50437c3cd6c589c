import type { PolicySource } from '../types';
import { automaticPrefixPolicy } from './automatic';

/**
 * OpenAI: automatic prefix caching. Per-model numbers (minTokens 1024, granularity 128, TTL) are in the catalog.
 * Retention: in-memory (cleared after 5–10 min idle, always within 1 h) is the default the catalog's ttlSeconds
 * models; extended retention (prompt_cache_retention "24h") is the catalog's maxTtlSeconds. prompt_cache_key only
 * routes requests (it is combined with the prefix hash), so it does not change which tokens can match.
 */
export const SOURCES: readonly PolicySource[] = [
  {
    url: 'https://developers.openai.com/api/docs/guides/prompt-caching',
    asOf: '2026-12-01',
    says: 'Caching is enabled automatically for prompts that are 1024 tokens or longer; cache hits need an exact prefix match; requests are routed by a hash of the initial prefix (typically the first 256 tokens), combined with prompt_cache_key when set; in-memory retention vs extended (24h) retention via prompt_cache_retention.',
  },
  {
    url: 'https://raw.githubusercontent.com/openai/openai-cookbook/main/examples/Prompt_Caching_201.ipynb',
    asOf: '2026-12-01',
    says: 'Cache hits require an exact, repeated prefix match and work automatically for prompts of 1024 tokens or more, with cache hits occurring in increments of 128 tokens. (Usage example prompt_tokens 2006 → cached_tokens 1920 = 15 × 128, as quoted in the issue from the guide.)',
  },
  {
    url: 'https://learn.microsoft.com/azure/foundry/openai/how-to/prompt-caching',
    asOf: '2026-12-01',
    says: 'In-memory retention: caches are typically cleared within 5 to 10 minutes of inactivity and always removed within one hour; extended retention keeps them longer. Chosen: the catalog TTL is the in-memory figure; the 1-hour cap is not modelled because a hit refreshes the entry.',
  },
];

export const openaiPolicy = automaticPrefixPolicy('openai', SOURCES);
