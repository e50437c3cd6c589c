import type { CachePolicy, PolicyDecision, PolicyInput, PolicySource } from '../types';
import { nothingBelowMinimum, secondsToMs, wholeBlocks } from './prefixSteps';
import { tokenCount } from '../tokenSources';

/**
 * DeepSeek context caching on disk: a request hits only cache prefix units it matches completely. Units are
 * persisted at the end of each request's input, at common prefixes detected across requests, and at fixed token
 * intervals in long inputs. Model: the read is the longer of (a live entry that is a whole prefix of the prompt)
 * and (the reusable prefix rounded down to the catalog's granularity = the fixed interval); each request writes
 * its whole input and the common prefix it shared. Writes are free.
 */
export const SOURCES: readonly PolicySource[] = [
  {
    url: 'https://api-docs.deepseek.com/guides/kv_cache',
    asOf: '2026-12-01',
    says: 'Context caching on disk is on by default. Each cached prefix is an independent, complete unit; a later request hits only if it fully matches a unit. Units are persisted at the end of the user input and of the model output, at common prefixes detected across requests (A+B then A+C persists A), and at fixed token intervals for long inputs.',
  },
  {
    url: 'https://api-docs.deepseek.com/guides/kv_cache',
    asOf: '2026-12-01',
    says: 'Earlier revisions of this page gave 64 tokens as the storage unit (content under 64 tokens is not cached); the current page does not give the interval. Chosen: the catalog keeps 64 as minTokens and granularity until DeepSeek states another figure.',
  },
];

export const deepseekPolicy: CachePolicy = {
  provider: 'deepseek',
  sources: SOURCES,
  decide(input: PolicyInput): PolicyDecision {
    const { prompt, model, reusablePrefix, entryPrefixes } = input;
    const { minTokens, granularity, ttlSeconds } = model.cache;
    const n = tokenCount(prompt);
    if (n < minTokens) return nothingBelowMinimum(n, minTokens);
    const unit = entryPrefixes.reduce((a, b) => Math.max(a, b), 0);
    let cachedTokens = Math.max(unit, wholeBlocks(reusablePrefix, granularity));
    if (cachedTokens < minTokens) cachedTokens = 0;
    const ttlMs = secondsToMs(ttlSeconds);
    const writes = [{ length: n, ttlMs }];
    if (reusablePrefix >= minTokens && reusablePrefix < n) writes.push({ length: reusablePrefix, ttlMs });
    return { cachedTokens, cacheWriteTokens: 0, writes, warnings: [] };
  },
};
