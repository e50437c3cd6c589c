import type { RenderedPrompt } from '../cache/types';
import { costOfRequest, costSeries, familyNote, peakHoursText, priceChangeNote, type SeriesCost } from './cost';
import { priceToNumber, toUsdNumber, type Money } from './money';
import { cacheablePrefix } from './promptCacheable';
import type { ModelInfo } from './types';

/** What the estimate assumes about traffic: the same figures drive `kvlens cost` and the cost report. */
export interface CostInputs {
  /** Calls in the series (break-even, totals). */
  readonly calls: number;
  /** Calls per hour; undefined = back to back. Per day and per month need it. */
  readonly ratePerHour?: number;
  readonly outputTokens: number;
  /** Cache-write TTL label ('5m', '1h' …); default the model's own. */
  readonly ttl?: string;
  /**
   * Share (0–1) of calls that find the cache warm (arrive within the TTL of the one before). Default: every call
   * after the first when calls come within the TTL, none when they come further apart.
   */
  readonly warmShare?: number;
  /** Gemini explicit caching: keep the cached prefix stored (billed per token-hour) for the whole time. */
  readonly explicitCache?: boolean;
}

/** One model's figures for one prompt (all money exact, femto-dollars). */
export interface CostEstimate {
  readonly model: ModelInfo;
  readonly tokens: number;
  readonly exact: boolean;
  readonly encoding: string;
  /** Relative error of an estimated token count (0.25 = ±25 %), carried into the money figures by the report. */
  readonly band?: number;
  readonly cacheableTokens: number;
  readonly cacheWriteTokens: number;
  readonly series: SeriesCost;
  readonly perCall: {
    readonly uncached: Money;
    readonly firstCall: Money;
    readonly warmCall: Money;
    readonly output: Money;
  };
  readonly savingPerWarmCall: Money;
  readonly breakEvenCalls: number | null;
  /** At the rate (when given): per day and per 30-day month, with and without the cache. */
  readonly perDay?: { readonly withoutCache: Money; readonly withCache: Money };
  readonly perMonth?: { readonly withoutCache: Money; readonly withCache: Money };
  readonly warmShare: number;
  readonly notes: readonly string[];
}

const SHARE_SCALE = 1_000_000n;

/** The average call at a warm share w: w warm (read) and 1 − w cold (write again) — exact, w in millionths. */
function averageCall(warm: Money, cold: Money, w: number): Money {
  const k = BigInt(Math.round(Math.min(1, Math.max(0, w)) * 1_000_000));
  return (warm * k + cold * (SHARE_SCALE - k)) / SHARE_SCALE;
}

/**
 * Prices one rendered prompt for one model: an uncached call, the first call (cache write), a warm call (cache read),
 * output, the break-even number of calls, a series of calls, and per day / per month at a rate. The one function
 * `kvlens cost` and the cost report both call, so they agree to the cent.
 */
export function estimateCost(
  model: ModelInfo,
  rendered: RenderedPrompt,
  tokenizer: { readonly exact: boolean; readonly encoding: string; readonly band?: number },
  inputs: CostInputs,
): CostEstimate {
  const tokens = rendered.ids.length;
  const { calls, ratePerHour, outputTokens, ttl } = inputs;
  const anthropicTtl = ttl === '1h' || ttl === '5m' ? ttl : undefined;
  const prefix = cacheablePrefix(model, rendered, anthropicTtl);
  const series = costSeries({
    model,
    tokens,
    cacheableTokens: prefix.cachedTokens,
    cacheWriteTokens: prefix.writeTokens,
    calls,
    ratePerHour,
    ttl,
    outputTokens,
    explicitCacheStorage: inputs.explicitCache,
  });
  const { uncached, firstCall, warmCall } = series.perCall;
  const notes: string[] = [];
  if (prefix.assumedBreakpoint)
    notes.push('no cache_control breakpoint in the file; priced as if one were at the end of the prompt');
  for (const w of prefix.warnings) if (w.code !== 'no-breakpoint' || !prefix.assumedBreakpoint) notes.push(w.message);
  const reported = model.cache.minTokensReported;
  if (reported && prefix.cachedTokens >= model.cache.minTokens && prefix.cachedTokens < reported.tokens) {
    notes.push(
      `the ${prefix.cachedTokens}-token cacheable prefix is above the documented minimum (${model.cache.minTokens}) but below the ${reported.tokens} users report (${reported.source}): the saving may not happen`,
    );
  }
  if (tokens > model.contextWindow)
    notes.push(`${tokens} tokens exceed the ${model.contextWindow}-token context window`);
  if (uncached.prices.longContext)
    notes.push(`long-context prices apply (above ${model.prices.longContext!.aboveTokens} tokens)`);
  if (model.family) notes.push(familyNote(model));
  for (const c of model.prices.schedule ?? []) notes.push(priceChangeNote(model, c));
  const peak = model.prices.peakHours;
  if (peak)
    notes.push(
      `priced at the peak-hour rates (${peakHoursText(peak)}); off-peak input $${peak.offPeak.input}, cached $${peak.offPeak.cachedInput ?? peak.offPeak.input}, output $${peak.offPeak.output} per 1M tokens`,
    );
  if (ratePerHour && series.writes === calls && calls > 1)
    notes.push(
      `calls come every ${Math.round(3600 / ratePerHour)} s, longer than the ${series.ttlSeconds} s TTL: every call writes the cache again`,
    );

  const interval = ratePerHour ? 3600 / ratePerHour : 0;
  const warmShare = inputs.warmShare ?? (prefix.cachedTokens === 0 || interval > series.ttlSeconds ? 0 : 1);
  let perDay: CostEstimate['perDay'], perMonth: CostEstimate['perMonth'];
  if (ratePerHour && ratePerHour > 0) {
    const day = BigInt(Math.round(ratePerHour * 24 * 1000)); // calls per day, in thousandths
    const avg = prefix.cachedTokens === 0 ? uncached.total : averageCall(warmCall.total, firstCall.total, warmShare);
    // An explicit cache is stored around the clock while it is in use.
    const storage =
      inputs.explicitCache && prefix.cachedTokens > 0
        ? costOfRequest({ model, inputTokens: 0, storage: { tokens: prefix.cachedTokens, hours: 24 } }).storage
        : 0n;
    perDay = { withoutCache: (uncached.total * day) / 1000n, withCache: (avg * day) / 1000n + storage };
    perMonth = { withoutCache: perDay.withoutCache * 30n, withCache: perDay.withCache * 30n };
  }
  return {
    model,
    tokens,
    exact: tokenizer.exact,
    encoding: tokenizer.encoding,
    ...(tokenizer.band !== undefined && !tokenizer.exact ? { band: tokenizer.band } : {}),
    cacheableTokens: prefix.cachedTokens,
    cacheWriteTokens: prefix.writeTokens,
    series,
    perCall: {
      uncached: uncached.total,
      firstCall: firstCall.total,
      warmCall: warmCall.total,
      output: costOfRequest({ model, inputTokens: 0, outputTokens }).output,
    },
    savingPerWarmCall: uncached.total - warmCall.total,
    breakEvenCalls: series.breakEvenCalls,
    ...(perDay ? { perDay, perMonth } : {}),
    warmShare,
    notes,
  };
}

/** The estimate as JSON numbers (USD), as `kvlens cost --json` prints it and the report receives it. */
export function estimateJson(e: CostEstimate, inputs: CostInputs) {
  const p = e.series.perCall.uncached.prices;
  const usd = toUsdNumber;
  return {
    model: e.model.id,
    provider: e.model.provider,
    tokens: e.tokens,
    tokenizer: { encoding: e.encoding, exact: e.exact, ...(e.band !== undefined ? { errorBand: e.band } : {}) },
    cacheableTokens: e.cacheableTokens,
    prices: {
      input: priceToNumber(p.input),
      cachedInput: priceToNumber(p.cachedInput),
      cacheWrite: priceToNumber(p.cacheWrite),
      output: priceToNumber(p.output),
      ...(p.storagePerHour ? { storagePerHour: priceToNumber(p.storagePerHour) } : {}),
      longContext: p.longContext,
      source: e.model.prices.source,
      asOf: e.model.prices.asOf,
      ...(e.model.prices.confidence ? { confidence: e.model.prices.confidence } : {}),
    },
    perCall: {
      uncached: usd(e.perCall.uncached),
      firstCall: usd(e.perCall.firstCall),
      warmCall: usd(e.perCall.warmCall),
      output: usd(e.perCall.output),
    },
    savingPerWarmCall: usd(e.savingPerWarmCall),
    breakEvenCalls: e.breakEvenCalls,
    series: {
      calls: inputs.calls,
      ratePerHour: inputs.ratePerHour ?? null,
      ttl: inputs.ttl ?? null,
      ttlSeconds: e.series.ttlSeconds,
      outputTokens: inputs.outputTokens,
      writes: e.series.writes,
      withoutCache: usd(e.series.totalWithoutCache),
      withCache: usd(e.series.totalWithCache),
      savingsPercent: e.series.savingsPercent ?? null,
    },
    ...(e.perDay && e.perMonth
      ? {
          perDay: { withoutCache: usd(e.perDay.withoutCache), withCache: usd(e.perDay.withCache) },
          perMonth: { withoutCache: usd(e.perMonth.withoutCache), withCache: usd(e.perMonth.withCache) },
        }
      : {}),
    warmShare: e.warmShare,
    notes: e.notes,
  };
}
