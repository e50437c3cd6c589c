import { ceilDiv, percent, perTokenFromPerMTok, times, type Money } from './money';
import type { CacheWritePrices, ModelInfo, PeakHours, PriceChange, Prices, UsdPerMTok } from './types';

/** The prices that apply to one request: the long-context tier when the prompt is above its threshold. */
export interface AppliedPrices {
  readonly input: UsdPerMTok;
  /** Falls back to input where the provider has no cached-input price (a hit then saves nothing). */
  readonly cachedInput: UsdPerMTok;
  /** The write price for the chosen TTL; input where the provider does not bill writes. */
  readonly cacheWrite: UsdPerMTok;
  readonly output: UsdPerMTok;
  readonly storagePerHour?: UsdPerMTok;
  readonly longContext: boolean;
}

function writePrice(w: CacheWritePrices | undefined, ttl: string | undefined, input: UsdPerMTok): UsdPerMTok {
  if (!w) return input;
  if (ttl && w[ttl] !== undefined) return w[ttl]!;
  return w.default ?? w['5m'] ?? Object.values(w).find((v) => v !== undefined) ?? input;
}

/**
 * The prices in force at `at`: the latest scheduled change whose day has come replaces input, cached, output and
 * write prices (the long-context tier, if any, keeps its own figures). Without `at`, the prices listed now.
 */
export function scheduledPrices(p: Prices, at: number | undefined): Prices {
  if (!p.schedule || at === undefined) return p;
  let change: PriceChange | undefined;
  for (const c of p.schedule) if (Date.parse(c.from) <= at && (!change || c.from > change.from)) change = c;
  if (!change) return p;
  return {
    ...p,
    input: change.input,
    cachedInput: change.cachedInput,
    output: change.output,
    cacheWrite: change.cacheWrite ?? p.cacheWrite,
  };
}

/** The next announced change after `at` (for a note: "rises to … from …"). */
export function nextPriceChange(p: Prices, at: number): PriceChange | undefined {
  return p.schedule?.filter((c) => Date.parse(c.from) > at).sort((a, b) => a.from.localeCompare(b.from))[0];
}

/** "… prices change on 2027-01-01: input $1.5, cached $0.15, output $7.5 per 1M tokens": one wording everywhere. */
export function priceChangeNote(model: ModelInfo, c: PriceChange): string {
  return `${model.displayName}'s prices change on ${c.from}: input $${c.input}, cached $${c.cachedInput ?? c.input}, output $${c.output} per 1M tokens (${model.prices.source})`;
}

/** Why a model's figures are assumed: it is not in the catalog, its family is. */
export function familyNote(model: ModelInfo): string {
  return `${model.id} is not in the catalog: its tokenizer, cache rules and prices are assumed from the family ${model.family?.label} (${model.family?.template}); the token count is not exact`;
}

/** True when `at` falls in one of the model's peak windows (always true for a model without time-of-day prices). */
export function isPeak(h: PeakHours | undefined, at: number | undefined): boolean {
  if (!h || at === undefined) return true;
  const d = new Date(at);
  if (h.days === 'weekdays' && (d.getUTCDay() === 0 || d.getUTCDay() === 6)) return false;
  const hhmm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return h.utc.some(([from, to]) => hhmm >= from && hhmm < to);
}

/** "01:00–04:00 and 06:00–10:00 UTC on weekdays": when the listed (peak) prices apply. */
export function peakHoursText(h: PeakHours): string {
  return `${h.utc.map(([a, b]) => `${a}–${b}`).join(' and ')} UTC${h.days === 'weekdays' ? ' on weekdays' : ''}`;
}

/**
 * Prices for a prompt of `promptTokens` tokens (input + cached + written) with a cache-write TTL label, sent at `at`
 * (time-of-day prices: off-peak outside the peak windows; without `at`, the peak prices, so estimates are not low).
 */
export function pricesFor(model: ModelInfo, promptTokens: number, ttl?: string, at?: number): AppliedPrices {
  const base = scheduledPrices(model.prices, at);
  const h = base.peakHours;
  const p =
    h && !isPeak(h, at) ? { ...base, ...h.offPeak, cachedInput: h.offPeak.cachedInput ?? h.offPeak.input } : base;
  const lc = p.longContext && promptTokens > p.longContext.aboveTokens ? p.longContext : undefined;
  const input = lc?.input ?? p.input;
  const cachedInput = lc ? (lc.cachedInput ?? input) : (p.cachedInput ?? input);
  // The validator requires a long tier to carry its own write prices whenever the base tier bills writes.
  const cacheWrite = writePrice(lc ? lc.cacheWrite : p.cacheWrite, ttl, input);
  return {
    input,
    cachedInput,
    cacheWrite,
    output: lc?.output ?? p.output,
    storagePerHour: lc?.storagePerHour ?? p.storagePerHour,
    longContext: !!lc,
  };
}

export interface RequestInput {
  readonly model: ModelInfo;
  /** All prompt tokens of the request, including the cached and the written ones. */
  readonly inputTokens: number;
  /** Of those, tokens served from cache (billed at the cached-input price). */
  readonly cachedTokens?: number;
  /** Of those, tokens written to cache (billed at the cache-write price for `ttl`). */
  readonly cacheWriteTokens?: number;
  /** TTL label of the write: '5m', '1h' … (Anthropic bills 1.25× or 2×). */
  readonly ttl?: string;
  readonly outputTokens?: number;
  /** Explicit-cache storage (Gemini): tokens held and for how many hours. */
  readonly storage?: { readonly tokens: number; readonly hours: number };
  /** When it is sent (ms since the epoch), for time-of-day prices (default: the peak prices). */
  readonly at?: number;
}

export interface RequestCost {
  readonly input: Money;
  readonly cachedInput: Money;
  readonly cacheWrite: Money;
  readonly output: Money;
  readonly storage: Money;
  readonly total: Money;
  readonly prices: AppliedPrices;
}

const per = (s: UsdPerMTok): Money => perTokenFromPerMTok(s) ?? 0n; // validated catalogs never hit the fallback

/** Cost of one request in exact femto-dollars. Counts are clamped so cached + written never exceed the prompt. */
export function costOfRequest(r: RequestInput): RequestCost {
  const total = Math.max(0, Math.trunc(r.inputTokens));
  const cached = Math.min(total, Math.max(0, Math.trunc(r.cachedTokens ?? 0)));
  const written = Math.min(total - cached, Math.max(0, Math.trunc(r.cacheWriteTokens ?? 0)));
  const prices = pricesFor(r.model, total, r.ttl, r.at);
  const input = times(per(prices.input), total - cached - written);
  const cachedInput = times(per(prices.cachedInput), cached);
  const cacheWrite = times(per(prices.cacheWrite), written);
  const output = times(per(prices.output), r.outputTokens ?? 0);
  // storage price is per million tokens per hour; hours may be fractional, so bill in whole seconds (ceil).
  let storage = 0n;
  if (r.storage && prices.storagePerHour) {
    const seconds = BigInt(Math.ceil(Math.max(0, r.storage.hours) * 3600));
    storage = (times(per(prices.storagePerHour), r.storage.tokens) * seconds) / 3600n;
  }
  return {
    input,
    cachedInput,
    cacheWrite,
    output,
    storage,
    total: input + cachedInput + cacheWrite + output + storage,
    prices,
  };
}

/**
 * Tokens of a `tokens`-long prompt that the provider would serve from cache if it were re-sent unchanged, from the
 * model's minimum and granularity alone (no breakpoints, no block structure).
 * TODO(lead): unify with cache/policies decide() once those exist; this is the catalog-only approximation.
 */
export function cacheableTokens(model: ModelInfo, tokens: number): number {
  const { minTokens, granularity } = model.cache;
  if (tokens < Math.max(1, minTokens)) return 0;
  const base = Math.max(minTokens, 0);
  return Math.min(tokens, base + Math.floor((tokens - base) / granularity) * granularity);
}

export interface SeriesInput {
  readonly model: ModelInfo;
  /** Prompt tokens of each call. */
  readonly tokens: number;
  /** Tokens of it that a warm cache serves; default cacheableTokens(model, tokens). */
  readonly cacheableTokens?: number;
  /** Tokens the first call writes; default the cacheable tokens (Anthropic writes up to its last breakpoint). */
  readonly cacheWriteTokens?: number;
  readonly calls: number;
  /** Calls per hour; undefined = back to back (the cache never expires between calls). */
  readonly ratePerHour?: number;
  /** TTL label ('5m', '1h'); default the model's default TTL. */
  readonly ttl?: string;
  readonly outputTokens?: number;
  /** Add explicit-cache storage (Gemini) for the span of the series. */
  readonly explicitCacheStorage?: boolean;
}

export interface SeriesCost {
  readonly cacheableTokens: number;
  readonly ttlSeconds: number;
  /** Calls that (re)write the cache: 1 when calls come within the TTL, every call when they do not. */
  readonly writes: number;
  readonly perCall: { readonly uncached: RequestCost; readonly firstCall: RequestCost; readonly warmCall: RequestCost };
  readonly totalWithoutCache: Money;
  readonly totalWithCache: Money;
  readonly storage: Money;
  /** (without − with) / without, in percent with one decimal; undefined when the total is zero. */
  readonly savingsPercent: number | undefined;
  /** Calls after which caching has paid for its write premium; null when it never does. */
  readonly breakEvenCalls: number | null;
}

const TTL_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds of a TTL label like '5m' or '1h'; undefined for anything else. */
export function ttlSeconds(label: string): number | undefined {
  const m = /^(\d+)([smhd])$/.exec(label);
  return m ? Number(m[1]) * TTL_SECONDS[m[2]] : undefined;
}

/**
 * Cost of `calls` identical calls at a rate. The cache entry's TTL is refreshed by every hit (Anthropic, OpenAI),
 * so when calls come at most a TTL apart one write serves the whole series; when they are further apart every call
 * finds the entry expired and writes again.
 */
export function costSeries(s: SeriesInput): SeriesCost {
  const calls = Math.max(0, Math.trunc(s.calls));
  const cacheable = Math.min(s.tokens, Math.max(0, s.cacheableTokens ?? cacheableTokens(s.model, s.tokens)));
  const ttl = s.ttl ?? undefined;
  const ttlSec = (ttl && ttlSeconds(ttl)) || s.model.cache.ttlSeconds;
  const out = s.outputTokens ?? 0;
  const uncached = costOfRequest({ model: s.model, inputTokens: s.tokens, outputTokens: out, ttl });
  const written = Math.min(s.tokens, Math.max(0, s.cacheWriteTokens ?? cacheable));
  const firstCall = costOfRequest({
    model: s.model,
    inputTokens: s.tokens,
    cacheWriteTokens: written,
    outputTokens: out,
    ttl,
  });
  const warmCall = costOfRequest({
    model: s.model,
    inputTokens: s.tokens,
    cachedTokens: cacheable,
    outputTokens: out,
    ttl,
  });

  const interval = s.ratePerHour && s.ratePerHour > 0 ? 3600 / s.ratePerHour : 0;
  const expires = interval > ttlSec;
  const writes = calls === 0 || cacheable === 0 ? 0 : expires ? calls : 1;
  const reads = cacheable === 0 ? 0 : calls - writes;
  const cold = cacheable === 0 ? calls : 0;

  let storage = 0n;
  if (s.explicitCacheStorage && cacheable > 0 && calls > 0) {
    // The explicit cache lives from the first call to TTL after the last (or one TTL per call when they expire).
    const hours = expires ? (calls * ttlSec) / 3600 : ((calls - 1) * interval + ttlSec) / 3600;
    storage = costOfRequest({ model: s.model, inputTokens: 0, storage: { tokens: cacheable, hours } }).storage;
  }
  const totalWithoutCache = uncached.total * BigInt(calls);
  const totalWithCache =
    firstCall.total * BigInt(writes) + warmCall.total * BigInt(reads) + uncached.total * BigInt(cold) + storage;

  const premium = firstCall.total - uncached.total;
  const saving = uncached.total - warmCall.total;
  let breakEvenCalls: number | null;
  // Never: nothing cacheable, a hit costs no less than a miss, or the entry expires before every next call.
  if (cacheable === 0 || saving <= 0n) breakEvenCalls = null;
  else if (premium <= 0n) breakEvenCalls = 1;
  else if (expires) breakEvenCalls = null;
  else breakEvenCalls = 1 + Number(ceilDiv(premium, saving));

  return {
    cacheableTokens: cacheable,
    ttlSeconds: ttlSec,
    writes,
    perCall: { uncached, firstCall, warmCall },
    totalWithoutCache,
    totalWithCache,
    storage,
    savingsPercent: percent(totalWithoutCache - totalWithCache, totalWithoutCache),
    breakEvenCalls,
  };
}
