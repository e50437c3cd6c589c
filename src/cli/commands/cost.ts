import { parseArgs } from 'node:util';
import type { RenderedPrompt } from '../../core/cache/types';
import { costSeries, ttlSeconds, type SeriesCost } from '../../core/pricing/cost';
import { formatUsd, priceToNumber, toUsdNumber } from '../../core/pricing/money';
import { cacheablePrefix } from '../../core/pricing/promptCacheable';
import { costOfRequests, type RequestsCost } from '../../core/pricing/requestsCost';
import type { ModelInfo } from '../../core/pricing/types';
import { formatDiagnostic } from '../../core/prompt/diagnostics';
import { parsePrompt } from '../../core/prompt/parse';
import { renderPrompt } from '../../core/prompt/render';
import { tokenizerForModel } from '../../core/pricing/modelTokenizer';
import type { Tokenizer } from '../../core/tokenizer/types';
import { CliError, readTextFile, type Output } from '../io';
import { catalogFromOptions } from './catalogOption';
import { modelFor } from './analyze';

export const usage = 'kvlens cost FILE [--model ID ...] [--calls N] [--rate N/h] [--output-tokens N] [--ttl 5m|1h] [--catalog FILE] [--json]';


/** "12/h", "12", "0.5/m", "3/min", "100/d" → calls per hour. */
export function parseRate(s: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|m|min|h|hr|hour|d|day))?\s*$/i.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'h').toLowerCase();
  const perHour = unit.startsWith('s') ? 3600 : unit.startsWith('m') ? 60 : unit.startsWith('d') ? 1 / 24 : 1;
  return n > 0 ? n * perHour : undefined;
}

function positiveInt(name: string, v: string | undefined, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n < min) throw new CliError(`--${name} must be a whole number ≥ ${min} (got "${v}")`);
  return n;
}

interface Rendered { readonly rendered: RenderedPrompt; readonly all: readonly { rendered: RenderedPrompt; label: string }[]; readonly tokenizer: Tokenizer; readonly note?: string }

/** Renders the file's (first) prompt with the model's tokenizer, or an o200k_base estimate when that is not available. */
function render(file: string, text: string, model: ModelInfo, memo: Map<string, Rendered>): Rendered {
  const { tokenizer, own } = tokenizerForModel(model);
  const key = tokenizer.encoding;
  const hit = memo.get(key);
  const fallbackNote = `encoding ${model.encoding} is not available; counted with ${tokenizer.encoding} as an estimate`;
  if (hit) return own ? hit : { ...hit, note: [hit.note, fallbackNote].filter(Boolean).join('; ') };
  const doc = parsePrompt(text, { fileName: file });
  const fatal = doc.diagnostics.find((d) => d.severity === 'error');
  if (!doc.prompts.length) throw new CliError(fatal ? formatDiagnostic(file, fatal) : `${file}: no prompt found`);
  const all = doc.prompts.map((p, i) => ({ rendered: renderPrompt(p, tokenizer), label: p.label ?? `request ${i + 1}` }));
  const r: Rendered = {
    rendered: all[0].rendered, all, tokenizer,
    note: doc.prompts.length > 1 ? `${doc.prompts.length} requests in the file: per call = the first; totals cover all of them, each sent after the ones before it` : undefined,
  };
  memo.set(key, r);
  return own ? r : { ...r, note: [r.note, fallbackNote].filter(Boolean).join('; ') };
}

interface Row {
  readonly requests?: RequestsCost;
  readonly model: ModelInfo;
  readonly tokens: number;
  readonly series: SeriesCost;
  readonly exact: boolean;
  readonly encoding: string;
  readonly notes: string[];
}

function toJson(r: Row, calls: number, ratePerHour: number | undefined, ttl: string | undefined, outputTokens: number) {
  const p = r.series.perCall.uncached.prices;
  return {
    model: r.model.id,
    provider: r.model.provider,
    tokens: r.tokens,
    tokenizer: { encoding: r.encoding, exact: r.exact },
    cacheableTokens: r.series.cacheableTokens,
    prices: {
      input: priceToNumber(p.input), cachedInput: priceToNumber(p.cachedInput), cacheWrite: priceToNumber(p.cacheWrite), output: priceToNumber(p.output),
      ...(p.storagePerHour ? { storagePerHour: priceToNumber(p.storagePerHour) } : {}),
      longContext: p.longContext, source: r.model.prices.source, asOf: r.model.prices.asOf,
    },
    perCall: {
      uncached: toUsdNumber(r.series.perCall.uncached.total),
      firstCall: toUsdNumber(r.series.perCall.firstCall.total),
      warmCall: toUsdNumber(r.series.perCall.warmCall.total),
      output: toUsdNumber(r.series.perCall.uncached.output),
    },
    breakEvenCalls: r.series.breakEvenCalls,
    series: {
      calls, ratePerHour: ratePerHour ?? null, ttl: ttl ?? null, ttlSeconds: r.series.ttlSeconds, outputTokens, writes: r.series.writes,
      withoutCache: toUsdNumber(r.series.totalWithoutCache), withCache: toUsdNumber(r.series.totalWithCache),
      savingsPercent: r.series.savingsPercent ?? null,
    },
    ...(r.requests ? { requests: r.requests.requests, totals: { tokens: r.requests.tokens, sharedPrefixTokens: r.requests.sharedPrefixTokens, ...r.requests.totals }, lines: r.requests.lines } : {}),
    notes: r.notes,
  };
}

function table(file: string, rows: Row[], calls: number, ratePerHour: number | undefined, outputTokens: number): string {
  const head = ['model', 'tokens', 'cached', 'uncached/call', 'first call', 'warm call', `${calls} calls no cache`, 'with cache', 'saving', 'break-even'];
  const body = rows.map((r) => [
    r.model.id,
    `${r.tokens}${r.exact ? '' : '~'}`,
    String(r.series.cacheableTokens),
    formatUsd(r.series.perCall.uncached.total),
    formatUsd(r.series.perCall.firstCall.total),
    formatUsd(r.series.perCall.warmCall.total),
    formatUsd(r.series.totalWithoutCache),
    formatUsd(r.series.totalWithCache),
    r.series.savingsPercent === undefined ? '–' : `${r.series.savingsPercent}%`,
    r.series.breakEvenCalls === null ? 'never' : `${r.series.breakEvenCalls} call${r.series.breakEvenCalls === 1 ? "" : "s"}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const rate = ratePerHour ? `${ratePerHour}/h` : 'back to back';
  const out = [`${file}: ${calls} calls, ${rate}, ${outputTokens} output tokens per call`, line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  for (const r of rows) {
    if (!r.requests) continue;
    const q = r.requests;
    out.push('', `${r.model.id}, all ${q.requests} requests in order: ${q.tokens} input tokens (${q.sharedPrefixTokens} shared by every request), input $${q.totals.withCache} with cache vs $${q.totals.uncached} without (${q.totals.savingsPercent}% saved)${q.totals.output ? `, output $${q.totals.output}` : ''}`);
  }
  const notes = rows.flatMap((r) => r.notes.map((n) => `  ${r.model.id}: ${n}`));
  if (rows.some((r) => !r.exact)) notes.unshift('  ~ token count is an estimate (the provider\'s tokenizer is not public or not bundled)');
  if (notes.length) out.push('', 'Notes:', ...notes);
  return out.join('\n');
}

/** Prices a prompt file for one or more models: per call, over a series of calls, and the break-even point. */
export async function costCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      model: { type: 'string', short: 'm', multiple: true },
      calls: { type: 'string', short: 'n' },
      rate: { type: 'string' },
      'output-tokens': { type: 'string' },
      ttl: { type: 'string' },
      catalog: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new CliError(`cost takes one FILE (usage: ${usage})`);
  const file = positionals[0];
  const calls = positiveInt('calls', values.calls, 10, 1);
  const outputTokens = positiveInt('output-tokens', values['output-tokens'], 0, 0);
  const ratePerHour = values.rate === undefined ? undefined : parseRate(values.rate);
  if (values.rate !== undefined && ratePerHour === undefined) throw new CliError(`--rate must be calls per time, like 12/h, 2/min or 100/d (got "${values.rate}")`);
  const ttl = values.ttl;
  if (ttl !== undefined && ttlSeconds(ttl) === undefined) throw new CliError(`--ttl must be a duration like 5m or 1h (got "${ttl}")`);

  const catalog = catalogFromOptions(values.catalog);
  const text = readTextFile(file);
  // Without --model: the model the file names, else the workspace setting, else the default (DESIGN.md).
  const models = values.model?.length ? values.model.map((id) => {
    const f = catalog.find(id);
    if (!f.ok) throw new CliError(f.message);
    return f.model;
  }) : [modelFor(file, text, undefined, values.catalog)];
  const memo = new Map<string, Rendered>();
  const rows: Row[] = models.map((model) => {
    const r = render(file, text, model, memo);
    const tokens = r.rendered.ids.length;
    const anthropicTtl = ttl === '1h' || ttl === '5m' ? ttl : undefined;
    const prefix = cacheablePrefix(model, r.rendered, anthropicTtl);
    const series = costSeries({ model, tokens, cacheableTokens: prefix.cachedTokens, cacheWriteTokens: prefix.writeTokens, calls, ratePerHour, ttl, outputTokens });
    const notes: string[] = [];
    if (r.note) notes.push(r.note);
    if (prefix.assumedBreakpoint) notes.push('no cache_control breakpoint in the file; priced as if one were at the end of the prompt');
    for (const w of prefix.warnings) if (w.code !== 'no-breakpoint' || !prefix.assumedBreakpoint) notes.push(w.message);
    if (tokens > model.contextWindow) notes.push(`${tokens} tokens exceed the ${model.contextWindow}-token context window`);
    if (series.perCall.uncached.prices.longContext) notes.push(`long-context prices apply (above ${model.prices.longContext!.aboveTokens} tokens)`);
    if (ratePerHour && series.writes === calls && calls > 1) notes.push(`calls come every ${Math.round(3600 / ratePerHour)} s, longer than the ${series.ttlSeconds} s TTL: every call writes the cache again`);
    const requests = r.all.length > 1 ? costOfRequests(r.all, model, outputTokens, Date.now()) : undefined;
    return { model, tokens, series, requests, exact: r.tokenizer.exact && model.exactTokenizer && !r.note?.includes('not available'), encoding: r.tokenizer.encoding, notes };
  });

  const requests = rows[0]?.requests?.requests;
  if (values.json) io.out(JSON.stringify({ file, currency: 'USD', ...(requests ? { requests } : {}), models: rows.map((r) => toJson(r, calls, ratePerHour, ttl, outputTokens)) }, null, 2));
  else io.out(table(file, rows, calls, ratePerHour, outputTokens));
  return 0;
}
