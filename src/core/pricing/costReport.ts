import { errorBandFor } from '../tokenizer/errorBand';
import { documentReport } from '../analysis/documentReport';
import { withChangedValue } from '../analysis/fixes';
import { STEADY_STATE } from '../analysis/versions';
import type { RenderedPrompt } from '../cache/types';
import { findDynamicContent } from '../cache/dynamicContent';
import { LineIndex } from '../text/lineIndex';
import type { Tokenizer } from '../tokenizer/types';
import { estimateCost, estimateJson, type CostInputs } from './costEstimate';
import { toUsdNumber } from './money';
import type { ModelInfo } from './types';

// The cost report's figures (the editor's webview shows them, `kvlens cost` prints the same estimateCost()).

const TTL_LABEL = (s: number) => (s >= 3600 ? `${s / 3600} h` : `${Math.round(s / 60)} min`);

/** Write TTLs the provider prices or offers for a model: its default, then the priced ones, then extended retention. */
export function ttlChoices(model: ModelInfo): { label: string; ttl: string }[] {
  const out = [{ label: `default (${TTL_LABEL(model.cache.ttlSeconds)})`, ttl: '' }];
  for (const k of Object.keys(model.prices.cacheWrite ?? {})) {
    const m = /^(\d+)([mh])$/.exec(k);
    if (m) out.push({ label: `${m[1]} ${m[2] === 'h' ? 'h' : 'min'} (write $${model.prices.cacheWrite![k]})`, ttl: k });
  }
  const max = model.cache.maxTtlSeconds;
  if (max && max > model.cache.ttlSeconds && !out.some((c) => c.ttl === `${max / 3600}h`))
    out.push({ label: `${TTL_LABEL(max)} (extended retention)`, ttl: `${max / 3600}h` });
  return out;
}

/** Cumulative cost after 0…N calls, without and with the cache, at the estimate's warm share (USD numbers). */
export function costCurve(
  e: ReturnType<typeof estimateCost>,
  points = 21,
): { calls: number[]; withoutCache: number[]; withCache: number[] } {
  const usd = toUsdNumber;
  const unc = usd(e.perCall.uncached),
    first = usd(e.perCall.firstCall),
    warm = usd(e.perCall.warmCall),
    out = usd(e.perCall.output);
  const n = Math.max(10, Math.min(1000, (e.breakEvenCalls ?? 10) * 4));
  const step = Math.max(1, Math.ceil(n / (points - 1)));
  const calls: number[] = [],
    withoutCache: number[] = [],
    withCache: number[] = [];
  const w = e.cacheableTokens > 0 ? e.warmShare : 0;
  for (let k = 0; k < points; k++) {
    const c = k * step;
    calls.push(c);
    withoutCache.push(c * (unc + out));
    withCache.push(
      c === 0 ? 0 : (e.cacheableTokens > 0 ? first + (c - 1) * (w * warm + (1 - w) * first) : c * unc) + c * out,
    );
  }
  return { calls, withoutCache, withCache };
}

type EstimateFigures = ReturnType<typeof estimateJson>;

/** What the cost report shows for one model (USD as numbers: computed exactly here, rounded by toUsdNumber). */
export interface CostModelFigures {
  readonly model: string;
  readonly provider: string;
  readonly displayName: string;
  readonly tokens: number;
  readonly exact: boolean;
  readonly encoding: string;
  /** ±share of an estimated token count, carried into the money figures. */
  readonly errorBand?: number;
  readonly cacheableTokens: number;
  readonly prices: {
    readonly input: number | null;
    readonly cachedInput: number | null;
    readonly cacheWrite: number | null;
    readonly output: number | null;
    readonly storagePerHour?: number | null;
    readonly source: string;
    readonly asOf: string;
    readonly confidence?: 'official' | 'third-party' | 'assumed';
  };
  /** Per call, and per day and month at the rate: `kvlens cost --json`'s figures (estimateJson). */
  readonly perCall: EstimateFigures['perCall'];
  readonly savingPerWarmCall: number;
  readonly breakEvenCalls: number | null;
  readonly perDay?: EstimateFigures['perDay'];
  readonly perMonth?: EstimateFigures['perMonth'];
  readonly ttlSeconds: number;
  /** TTL choices this model's provider prices (label → seconds), for the retention input. */
  readonly ttlChoices: readonly { readonly label: string; readonly ttl: string }[];
  readonly ttl?: string;
  readonly warmShare: number;
  /** Cumulative cost after 0 … N calls, without and with the cache (the chart). */
  readonly curve: {
    readonly calls: readonly number[];
    readonly withoutCache: readonly number[];
    readonly withCache: readonly number[];
  };
  readonly notes: readonly string[];
}

/** A dynamic value ahead of static text, and what it costs a month (the bill when it changes every call, above the
 * bill when it does not). */
export interface CacheKiller {
  readonly file: string;
  readonly line: number;
  readonly message: string;
  readonly monthlyCost: number;
}

/** One model's column of the report. */
export function modelView(
  model: ModelInfo,
  rendered: RenderedPrompt,
  tokenizer: Tokenizer,
  exact: boolean,
  inputs: CostInputs,
): CostModelFigures {
  const e = estimateCost(
    model,
    rendered,
    { exact, encoding: tokenizer.encoding, band: errorBandFor(tokenizer, rendered.blocks) },
    inputs,
  );
  const j = estimateJson(e, inputs);
  return {
    model: model.id,
    provider: model.provider,
    displayName: model.displayName,
    tokens: j.tokens,
    exact,
    encoding: tokenizer.encoding,
    ...(e.band !== undefined ? { errorBand: e.band } : {}),
    cacheableTokens: j.cacheableTokens,
    prices: {
      input: j.prices.input,
      cachedInput: j.prices.cachedInput,
      cacheWrite: model.prices.cacheWrite ? j.prices.cacheWrite : null,
      output: j.prices.output,
      storagePerHour: j.prices.storagePerHour ?? null,
      source: j.prices.source,
      asOf: j.prices.asOf,
      ...(j.prices.confidence ? { confidence: j.prices.confidence } : {}),
    },
    perCall: j.perCall,
    savingPerWarmCall: j.savingPerWarmCall,
    breakEvenCalls: j.breakEvenCalls,
    ...(j.perDay ? { perDay: j.perDay, perMonth: j.perMonth } : {}),
    ttlSeconds: j.series.ttlSeconds,
    ttlChoices: ttlChoices(model),
    ...(inputs.ttl ? { ttl: inputs.ttl } : {}),
    warmShare: e.warmShare,
    curve: costCurve(e),
    notes: j.notes,
  };
}

/**
 * The biggest cache killers of a prompt file: each dynamic value (date, request id, counter…) ahead of static text,
 * with what it costs a month when it changes every call, over the bill when it does not.
 */
export function cacheKillers(
  file: string,
  text: string,
  model: ModelInfo,
  tokenizer: Tokenizer,
  callsPerMonth: number,
  now: number,
): CacheKiller[] {
  const steady = documentReport({
    text,
    fileName: file,
    model,
    tokenizer,
    baseline: { kind: 'steady', label: STEADY_STATE },
    now,
  });
  if (!steady.ok || !steady.value.report.cost) return [];
  const lines = new LineIndex(text);
  const out: CacheKiller[] = [];
  for (const w of steady.value.report.warnings) {
    if (w.code !== 'dynamic-content' || w.token === undefined) continue;
    const at = steady.value.rendered.tokenSource[w.token];
    const m = findDynamicContent(text, at, at + 200, 1)[0];
    if (!m) continue;
    const changed = documentReport({
      text,
      fileName: file,
      model,
      tokenizer,
      baseline: { kind: 'file', label: 'next request', text: withChangedValue(text, m) },
      now,
    });
    if (!changed.ok || !changed.value.report.cost) continue;
    const extra = changed.value.report.cost.withCache - steady.value.report.cost.withCache;
    if (extra <= 0) continue;
    out.push({
      file,
      line: lines.position(m.start).line,
      message: `"${m.text.slice(0, 40)}" (${m.kind}) changes per request ahead of ${model.id}'s cached prefix`,
      monthlyCost: Math.round(extra * callsPerMonth * 1e6) / 1e6,
    });
  }
  return out;
}
