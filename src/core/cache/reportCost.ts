import { costOfRequest } from '../pricing/cost';
import { percent, times, toUsdNumber, perTokenFromPerMTok } from '../pricing/money';
import type { ModelInfo } from '../pricing/types';
import type { CostSummary, PolicyDecision } from './types';

/**
 * Input cost of one request as the policy bills it, next to its cost with no cache at all. Money stays exact
 * (BigInt femto-dollars, helper "pricing"'s cost module) until the numbers are handed to JSON.
 * Anthropic writes at two TTLs are billed at their own prices: the 1h part pays the 1h/5m difference on top.
 * `at`: when the request is sent, for time-of-day prices.
 */
export function priceDecision(decision: PolicyDecision, tokens: number, model: ModelInfo, at?: number): CostSummary {
  const uncached = costOfRequest({ model, inputTokens: tokens, at }).total;
  const byTtl = decision.cacheWriteByTtl;
  const oneHour = Math.min(byTtl?.['1h'] ?? 0, decision.cacheWriteTokens);
  const base = costOfRequest({
    model,
    inputTokens: tokens,
    cachedTokens: decision.cachedTokens,
    cacheWriteTokens: decision.cacheWriteTokens,
    ttl: byTtl ? '5m' : undefined,
    at,
  });
  let withCache = base.total;
  if (oneHour > 0) {
    const hourPrices = costOfRequest({ model, inputTokens: tokens, cacheWriteTokens: 1, ttl: '1h', at }).prices;
    const extra =
      (perTokenFromPerMTok(hourPrices.cacheWrite) ?? 0n) - (perTokenFromPerMTok(base.prices.cacheWrite) ?? 0n);
    withCache += times(extra, oneHour);
  }
  return {
    currency: 'USD',
    uncached: toUsdNumber(uncached),
    withCache: toUsdNumber(withCache),
    savingsPercent: percent(uncached - withCache, uncached) ?? 0,
  };
}
