import type { CachePolicy, PolicyDecision, PolicyInput, PolicySource } from '../types';
import { nothingBelowMinimum, secondsToMs, steppedHit } from './prefixSteps';
import { tokenCount } from '../tokenSources';

/**
 * Google Gemini. Implicit caching: automatic, from a per-model minimum, no guarantee, reads at the cached rate.
 * Explicit caching (a cachedContent object with a TTL, storage billed per token-hour): modelled as breakpoints —
 * each writes its prefix with the catalog TTL, and a live explicit entry that is a whole prefix of the prompt is
 * always read. Writing an explicit cache is billed at the input rate plus storage (see the catalog's storagePerHour).
 */
export const SOURCES: readonly PolicySource[] = [
  {
    url: 'https://ai.google.dev/gemini-api/docs/caching',
    asOf: '2026-12-01',
    says: 'Implicit caching is enabled by default for Gemini 2.5 and newer; the minimum input token count differs per model (the stored copies disagree: 1024/4096 on one date, 2048/4096 on later ones — the catalog keeps the latest it read and says so); put large common content at the start and send similar prefixes close together. Explicit caching guarantees savings for content passed once and referenced later, with a TTL (default 1 hour) and storage cost.',
  },
  {
    url: 'https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/context-cache/context-cache-overview',
    asOf: '2026-12-01',
    says: 'For both implicit and explicit caching, creating the cache is billed at the standard input price; explicit caches add storage cost by how long they are stored; implicit caching has no storage cost and a 90% discount on cached tokens.',
  },
];

export const googlePolicy: CachePolicy = {
  provider: 'google',
  sources: SOURCES,
  decide(input: PolicyInput): PolicyDecision {
    const { prompt, model, reusablePrefix, entryPrefixes } = input;
    const { minTokens, granularity, ttlSeconds } = model.cache;
    const n = tokenCount(prompt);
    if (n < minTokens) return nothingBelowMinimum(n, minTokens);
    const implicit = Math.min(steppedHit(reusablePrefix, minTokens, granularity), n);
    const explicit = entryPrefixes.filter((l) => l >= minTokens).reduce((a, b) => Math.max(a, b), 0);
    const cachedTokens = Math.max(implicit, explicit);
    const ttlMs = secondsToMs(ttlSeconds);
    const writes = [{ length: n, ttlMs }];
    let explicitWrite = 0;
    for (const bp of prompt.breakpoints) {
      if (bp.token < minTokens) continue;
      writes.push({ length: bp.token, ttlMs });
      explicitWrite = Math.max(explicitWrite, bp.token - cachedTokens);
    }
    return { cachedTokens, cacheWriteTokens: Math.max(0, explicitWrite), writes, warnings: [] };
  },
};
