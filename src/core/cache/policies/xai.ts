import type { PolicySource } from '../types';
import { automaticPrefixPolicy } from './automatic';

/** xAI (Grok): automatic prefix caching, no write fee; entries live per server and can be evicted at any time. */
export const SOURCES: readonly PolicySource[] = [
  {
    url: 'https://docs.x.ai/developers/advanced-api-usage/prompt-caching/best-practices',
    asOf: '2026-12-01',
    says: 'Prompt caching is automatic on all grok language models; any edit, removal or reorder of earlier messages breaks the cache; entries can be evicted at any time (load, restarts), so hits are not guaranteed; x-grok-conv-id / prompt_cache_key route to the same server.',
  },
  {
    url: 'https://docs.x.ai/developers/advanced-api-usage/prompt-caching/usage-and-pricing',
    asOf: '2026-12-01',
    says: 'Cached tokens are reported in usage.prompt_tokens_details.cached_tokens (e.g. prompt_tokens 125, cached_tokens 98); a multi-turn conversation reads 0, 50 and 120 cached tokens on turns of 50, 120 and 200 prompt tokens — so no 1,024-token minimum and no block step (a third-party gateway page reported 128-token blocks; the official example contradicts it).',
  },
];

export const xaiPolicy = automaticPrefixPolicy('xai', SOURCES);
