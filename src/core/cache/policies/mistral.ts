import type { PolicySource } from '../types';
import { automaticPrefixPolicy } from './automatic';

/** Mistral: automatic prefix caching helped by prompt_cache_key; cached tokens billed at 10 % of input. */
export const SOURCES: readonly PolicySource[] = [
  {
    url: 'https://docs.mistral.ai/studio-api/conversations/advanced/prompt-caching',
    asOf: '2026-12-01',
    says: 'Prompt caching reuses previously computed prompt tokens when requests share the same prefix; cached prompt tokens are billed at 10% of the input price; prompt_cache_key increases the chance of a hit but does not guarantee one.',
  },
];

export const mistralPolicy = automaticPrefixPolicy('mistral', SOURCES);
