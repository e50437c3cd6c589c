import { errorBandFor } from '../tokenizer/errorBand';
import { Simulator } from '../cache/simulator';
import { steppedHit } from '../cache/policies/prefixSteps';
import type { CacheReport } from '../cache/types';
import type { Catalog } from '../pricing/catalog';
import { costOfRequest } from '../pricing/cost';
import { toUsdNumber } from '../pricing/money';
import type { ModelInfo } from '../pricing/types';
import { parseRequestBody } from '../prompt/formats/requestBody';
import { DiagnosticSink } from '../prompt/diagnostics';
import { renderPrompt } from '../prompt/render';
import { LineIndex } from '../text/lineIndex';
import { lineKinds, type ContentKind } from '../tokenizer/estimate/contentKind';
import type { Tokenizer } from '../tokenizer/types';
import { readLogLine } from './logLine';
import type { Usage } from './usage';
import { ReasonAgreement } from './providerReasons';

/** Why tokens of a request were not read from cache (DESIGN.md `kvlens replay` reasons). */
export type MissReason =
  | 'cached'
  | 'cold'
  // Read from a cache that requests before the log began wrote (the log cannot show them).
  | 'warm-before-log'
  | 'ttl-expired'
  | 'prefix-changed'
  | 'below-minimum'
  | 'breakpoint-limits'
  | 'unexplained'
  // Agent sessions (SessionReplayer): what the transcript shows happened between two calls.
  | 'compaction'
  | 'clear'
  | 'model-switch'
  | 'instructions-changed'
  | 'tools-changed'
  // A usage record without its request (batch results): billed and counted, nothing to predict.
  | 'not-predicted';

export interface RequestVerdict {
  /** 0-based line of the log. */
  readonly index: number;
  readonly timestamp: string | null;
  readonly model: string;
  readonly tokens: number;
  readonly predictedCachedTokens: number;
  readonly predictedCacheWriteTokens: number;
  readonly actualCachedTokens: number | null;
  readonly actualInputTokens: number | null;
  readonly actualCacheWriteTokens: number | null;
  /** match / mismatch; 'unverified' when the line has no usage (predicted only). */
  readonly verdict: 'match' | 'mismatch' | 'unverified';
  readonly reason: MissReason;
  /** Where the prefix changed: the block, and the line and column in the log file. */
  readonly divergence: {
    readonly block: string;
    readonly line: number;
    readonly column: number;
    readonly before?: string;
    readonly after?: string;
  } | null;
  readonly gapSeconds?: number;
  readonly note?: string;
  /** What the tokens not read from cache (for an avoidable reason) cost beyond a cache read, USD. */
  readonly missCost: number;
  readonly actualCost: number | null;
  /** The provider's own reason for a miss (cache diagnostics in the response), and whether it agrees with ours. */
  readonly providerReason?: string;
  readonly providerAgrees?: boolean;
}

export interface ReplaySummary {
  readonly requests: number;
  readonly matched: number;
  readonly mismatched: number;
  readonly unverified: number;
  readonly skipped: number;
  readonly hitRate: { readonly predicted: number; readonly actual: number | null };
  readonly money: {
    readonly actual: number;
    readonly avoidable: number;
    readonly withoutAvoidableMisses: number;
    readonly byReason: readonly { readonly reason: MissReason; readonly requests: number; readonly cost: number }[];
  };
  /** For estimated tokenizers: how far the estimate was off, per content kind (actual / estimated tokens). */
  readonly calibration: readonly {
    readonly encoding: string;
    readonly kind: ContentKind;
    readonly requests: number;
    readonly ratio: number;
  }[];
  readonly problems: readonly { readonly line: number; readonly message: string }[];
  /** Usage records without their request (batch results): counted, not predicted. */
  readonly notPredicted?: number;
  /** Where the log carries the provider's own miss reasons: how often they agree with KV Lens's. */
  readonly providerReasons?: { readonly compared: number; readonly agreed: number; readonly agreement: number | null };
}

/** What the provider billed for a request, from the usage it reported, at the prices of the time it was sent. */
function billOf(model: ModelInfo, usage: Usage, at: number) {
  return costOfRequest({
    model,
    inputTokens: usage.inputTokens,
    cachedTokens: usage.cachedTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    outputTokens: usage.outputTokens,
    at,
  });
}

/** The running totals both replayers keep (usage logs and agent sessions). */
export interface ReplayTotals {
  readonly requests: number;
  readonly matched: number;
  readonly mismatched: number;
  readonly unverified: number;
  readonly skipped: number;
  /** Predicted cached tokens over the tokens they were predicted for. */
  readonly predicted: { readonly cached: number; readonly of: number };
  /** The provider's cached tokens over all input tokens (null hit rate when no line reported usage). */
  readonly actual: { readonly cached: number; readonly of: number };
  readonly money: number;
  readonly avoidable: number;
  readonly byReason: ReadonlyMap<MissReason, { readonly requests: number; readonly cost: number }>;
}

/** The counts, hit rates and money of a summary, rounded as every summary shows them. */
export function summaryFigures(
  t: ReplayTotals,
): Pick<ReplaySummary, 'requests' | 'matched' | 'mismatched' | 'unverified' | 'skipped' | 'hitRate' | 'money'> {
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const usd = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    requests: t.requests,
    matched: t.matched,
    mismatched: t.mismatched,
    unverified: t.unverified,
    skipped: t.skipped,
    hitRate: {
      predicted: t.predicted.of ? r3(t.predicted.cached / t.predicted.of) : 0,
      actual: t.actual.of ? r3(t.actual.cached / t.actual.of) : null,
    },
    money: {
      actual: usd(t.money),
      avoidable: usd(t.avoidable),
      withoutAvoidableMisses: usd(Math.max(0, t.money - t.avoidable)),
      byReason: [...t.byReason]
        .map(([reason, v]) => ({ reason, requests: v.requests, cost: usd(v.cost) }))
        .sort((a, b) => b.cost - a.cost || b.requests - a.requests),
    },
  };
}

export interface ReplayOptions {
  readonly catalog: Catalog;
  /** Force one model for every line (--model). */
  readonly model?: string;
  /** Model when a line names none or an unknown one. */
  readonly fallbackModel: string;
  readonly tokenizerFor: (model: ModelInfo) => Tokenizer;
  /** Keep the before/after text around a divergence (logs hold users' data: off unless asked). */
  readonly showText?: boolean;
}

const AVOIDABLE: ReadonlySet<MissReason> = new Set([
  'ttl-expired',
  'prefix-changed',
  'below-minimum',
  'breakpoint-limits',
]);
const OPENAI_ROUTING_PER_MIN = 15;
const MAX_PROBLEMS = 100;

/**
 * Replays a usage log through the cache simulator, one line at a time (feed), in log order: each request is
 * predicted from what the requests before it left in the cache, then compared with what the provider reported.
 * Memory stays bounded: the simulator's history is LRU-bounded and nothing else grows with the log but counters.
 */
export class Replayer {
  private readonly sim = new Simulator({ maxEntries: 256, maxTokens: 8_000_000 });
  private clock = 0;
  private n = 0;
  private matched = 0;
  private mismatched = 0;
  private unverified = 0;
  private skipped = 0;
  private notPredicted = 0;
  private predCached = 0;
  private predTokens = 0;
  private actCached = 0;
  private actInput = 0;
  private actualMoney = 0;
  private avoidable = 0;
  private readonly byReason = new Map<MissReason, { requests: number; cost: number }>();
  private readonly calib = new Map<string, { encoding: string; kind: ContentKind; requests: number; sum: number }>();
  private readonly problems: { line: number; message: string }[] = [];
  private readonly recent = new Map<string, number[]>();
  private readonly warned = new Set<string>();
  private readonly agreement = new ReasonAgreement();

  constructor(private readonly opts: ReplayOptions) {}

  private problem(line: number, message: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ line, message });
  }

  private modelOf(id: string | undefined, line: number): ModelInfo {
    const wanted = this.opts.model ?? id;
    if (wanted) {
      const f = this.opts.catalog.find(wanted);
      if (f.ok) return f.model;
      if (!this.warned.has(wanted)) {
        this.warned.add(wanted);
        this.problem(line, `${f.message}; replayed with ${this.opts.fallbackModel}`);
      }
    }
    const d = this.opts.catalog.find(this.opts.fallbackModel);
    if (!d.ok) throw new Error(d.message);
    return d.model;
  }

  /**
   * Replays one log line (0-based index); undefined for a blank, malformed or request-less line (counted). One line
   * that cannot be read, however it fails (nested a million deep, a value of the wrong kind), is skipped and named,
   * never the end of the replay.
   */
  feed(text: string, index: number): RequestVerdict | undefined {
    if (!text.trim()) return undefined;
    try {
      return this.feedLine(text, index);
    } catch (e) {
      this.skipped++;
      this.problem(
        index + 1,
        e instanceof RangeError && /call stack/i.test(e.message)
          ? 'nested too deeply to read; skipped'
          : `cannot be replayed (${(e as Error).message}); skipped`,
      );
      return undefined;
    }
  }

  private feedLine(text: string, index: number): RequestVerdict | undefined {
    const lineNo = index + 1;
    const read = readLogLine(text);
    if (!read.ok) {
      this.skipped++;
      this.problem(lineNo, read.message);
      return undefined;
    }
    const { line } = read;
    if (!line.request) return line.usage ? this.usageOnly(line.usage, line.model, line.timestamp, index) : undefined;
    const sink = new DiagnosticSink(new LineIndex(text));
    const prompt = parseRequestBody(text, line.request[0], line.request[1], sink);
    const fatal = sink.list.find((d) => d.severity === 'error');
    if (fatal || !prompt.blocks.length) {
      this.skipped++;
      this.problem(lineNo, fatal ? `${fatal.message} (column ${fatal.column})` : 'no prompt in the request');
      return undefined;
    }
    const model = this.modelOf(line.model ?? prompt.model, lineNo);
    const tokenizer = this.opts.tokenizerFor(model);
    const rendered = renderPrompt(prompt, tokenizer);
    // Lines without a time are taken as sent a second after the one before.
    const now = line.timestamp ?? (this.clock ? this.clock + 1000 : Date.UTC(2026, 0, 1));
    if (now < this.clock) this.problem(lineNo, 'out of order: earlier than the line before (replayed in log order)');
    this.clock = Math.max(this.clock, now);
    const report = this.sim.request(rendered, model, now, { text, label: `line ${lineNo}` });
    // Content kind for calibration: of the text the request sends, not of the JSON line holding it.
    const sent = prompt.blocks.flatMap((b) => b.segments.filter((sg) => !sg.framing).map((sg) => sg.text)).join('\n');
    const verdict = this.judge(report, model, tokenizer, rendered.ids.length, line.usage, index, now, text, sent);
    this.n++;
    return verdict;
  }

  /**
   * A usage record without its request (an OpenAI batch output alone, Anthropic batch results): nothing to predict,
   * but it was billed — it counts in the requests, the actual hit rate and the bill, and its uncached input is what a
   * miss cost beyond a cache read.
   */
  private usageOnly(
    usage: Usage,
    modelId: string | undefined,
    time: number | undefined,
    index: number,
  ): RequestVerdict {
    const model = this.modelOf(modelId, index + 1);
    const now = time ?? (this.clock ? this.clock + 1000 : Date.UTC(2026, 0, 1));
    this.clock = Math.max(this.clock, now);
    const bill = billOf(model, usage, now);
    const actualCost = toUsdNumber(bill.total);
    const missCost =
      ((usage.inputTokens - usage.cachedTokens - usage.cacheWriteTokens) *
        (Number(bill.prices.input) - Number(bill.prices.cachedInput))) /
      1e6;
    this.n++;
    this.notPredicted++;
    this.unverified++;
    this.actCached += usage.cachedTokens;
    this.actInput += usage.inputTokens;
    this.actualMoney += actualCost;
    const r = this.byReason.get('not-predicted') ?? { requests: 0, cost: 0 };
    r.requests++;
    r.cost += missCost;
    this.byReason.set('not-predicted', r);
    return {
      index,
      timestamp: new Date(now).toISOString(),
      model: model.id,
      tokens: usage.inputTokens,
      predictedCachedTokens: 0,
      predictedCacheWriteTokens: 0,
      actualCachedTokens: usage.cachedTokens,
      actualInputTokens: usage.inputTokens,
      actualCacheWriteTokens: usage.cacheWriteTokens,
      verdict: 'unverified',
      reason: 'not-predicted',
      divergence: null,
      ...(usage.missReason ? { note: `provider says: ${usage.missReason}` } : {}),
      missCost: Math.round(missCost * 1e9) / 1e9,
      actualCost: Math.round(actualCost * 1e9) / 1e9,
    };
  }

  private judge(
    report: CacheReport,
    model: ModelInfo,
    tokenizer: Tokenizer,
    tokens: number,
    usage: Usage | undefined,
    index: number,
    now: number,
    text: string,
    sent: string,
  ): RequestVerdict {
    const band = errorBandFor(tokenizer, report.blocks);
    const tol =
      band !== undefined
        ? Math.ceil(band * Math.max(tokens, usage?.inputTokens ?? 0))
        : Math.max(1, model.cache.granularity);
    const codes = new Set(report.warnings.map((w) => w.code));
    let reason: MissReason;
    // A request that differs from the one before only in its last block (the new turn, the next question) read what
    // it could: that is a hit. A difference further up is a changed prefix.
    const d0 = report.firstDivergence;
    const lastStart = report.blocks.at(-1)?.start ?? 0;
    if (report.cachedTokens > 0 && (!d0 || d0.token >= lastStart)) reason = 'cached';
    else if (codes.has('expired')) reason = 'ttl-expired';
    else if (codes.has('too-many-breakpoints') || codes.has('no-breakpoint') || codes.has('lookback-exceeded'))
      reason = 'breakpoint-limits';
    else if (codes.has('below-minimum') && report.cachedTokens === 0) reason = 'below-minimum';
    else if (report.firstDivergence && report.reusablePrefixTokens > 0) reason = 'prefix-changed';
    else if (report.cachedTokens > 0) reason = 'cached';
    else reason = 'cold';
    let verdict: RequestVerdict['verdict'] = 'unverified';
    let note: string | undefined;
    let providerAgrees: boolean | undefined;
    if (usage) {
      verdict = Math.abs(usage.cachedTokens - report.cachedTokens) <= tol ? 'match' : 'mismatch';
      if (usage.cachedTokens + tol < report.cachedTokens) {
        reason = 'unexplained';
        note = 'predicted a cache hit the provider did not report: eviction, or the request went to another server';
        const key = `${model.id}:${report.baseline ?? ''}`;
        const times = (this.recent.get(key) ?? []).filter((t) => now - t < 60_000);
        times.push(now);
        this.recent.set(key, times);
        if (model.cache.policy === 'openai' && times.length > OPENAI_ROUTING_PER_MIN)
          note = `${times.length} requests with this prefix in the last minute: more than ~${OPENAI_ROUTING_PER_MIN}/min overflows OpenAI's routing to one cache server, so some miss`;
      }
      if (reason === 'cold' && usage.cachedTokens > tol) {
        reason = 'warm-before-log';
        note = 'read from a cache that earlier requests, not in this log, had written';
      }
      if (usage.missReason && reason !== 'cached')
        note = `${note ? `${note}; ` : ''}provider says: ${usage.missReason}`;
      providerAgrees = this.agreement.add(usage.missReason, reason);
    }
    // Money: the log's actual bill, and what the avoidable misses cost beyond a cache read.
    // Priced at the time the log says the request was sent: time-of-day and scheduled prices follow it.
    const actualCost = usage ? toUsdNumber(billOf(model, usage, now).total) : null;
    const reachable = steppedHit(tokens, model.cache.minTokens, model.cache.granularity);
    const cachedNow = usage?.cachedTokens ?? report.cachedTokens;
    const lost = AVOIDABLE.has(reason) ? Math.max(0, reachable - cachedNow) : 0;
    const prices = costOfRequest({ model, inputTokens: tokens, cachedTokens: 0, at: now }).prices;
    const missCost = (lost * (Number(prices.input) - Number(prices.cachedInput))) / 1e6;
    const d = report.firstDivergence;
    const block = d
      ? (report.blocks
          .slice()
          .reverse()
          .find((b) => b.start <= d.token)?.label ?? '')
      : '';
    const gap =
      reason === 'ttl-expired'
        ? /expired ([\d.]+) (s|min|h) ago/.exec(report.warnings.find((w) => w.code === 'expired')?.message ?? '')
        : null;
    const gapSeconds = gap ? Number(gap[1]) * (gap[2] === 's' ? 1 : gap[2] === 'min' ? 60 : 3600) : undefined;

    // Totals.
    this.predCached += report.cachedTokens;
    this.predTokens += tokens;
    if (usage) {
      this.actCached += usage.cachedTokens;
      this.actInput += usage.inputTokens;
      this.actualMoney += actualCost ?? 0;
    }
    if (verdict === 'match') this.matched++;
    else if (verdict === 'mismatch') this.mismatched++;
    else this.unverified++;
    if (reason !== 'cached') {
      const r = this.byReason.get(reason) ?? { requests: 0, cost: 0 };
      r.requests++;
      r.cost += missCost;
      this.byReason.set(reason, r);
    }
    this.avoidable += missCost;
    if (usage && tokenizer.estimate && tokens > 0) {
      const kinds = lineKinds(sent).kinds;
      const counts = new Map<ContentKind, number>();
      for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
      const kind = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'prose';
      const key = `${tokenizer.encoding}:${kind}`;
      const c = this.calib.get(key) ?? { encoding: tokenizer.encoding, kind, requests: 0, sum: 0 };
      c.requests++;
      c.sum += usage.inputTokens / tokens;
      this.calib.set(key, c);
    }
    const pos = d ? new LineIndex(text).position(d.offset) : undefined;
    return {
      index,
      timestamp: new Date(now).toISOString(),
      model: model.id,
      tokens,
      predictedCachedTokens: report.cachedTokens,
      predictedCacheWriteTokens: report.cacheWriteTokens,
      actualCachedTokens: usage?.cachedTokens ?? null,
      actualInputTokens: usage?.inputTokens ?? null,
      actualCacheWriteTokens: usage?.cacheWriteTokens ?? null,
      verdict,
      reason,
      divergence:
        d && pos
          ? {
              block,
              line: index + 1,
              column: pos.column,
              ...(this.opts.showText ? { before: d.before, after: d.after } : {}),
            }
          : null,
      ...(gapSeconds !== undefined ? { gapSeconds } : {}),
      ...(note ? { note } : {}),
      missCost: Math.round(missCost * 1e9) / 1e9,
      actualCost: actualCost === null ? null : Math.round(actualCost * 1e9) / 1e9,
      ...(usage?.missReason ? { providerReason: usage.missReason } : {}),
      ...(providerAgrees !== undefined ? { providerAgrees } : {}),
    };
  }

  summary(): ReplaySummary {
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    return {
      ...summaryFigures({
        requests: this.n,
        matched: this.matched,
        mismatched: this.mismatched,
        unverified: this.unverified,
        skipped: this.skipped,
        predicted: { cached: this.predCached, of: this.predTokens },
        actual: { cached: this.actCached, of: this.actInput },
        money: this.actualMoney,
        avoidable: this.avoidable,
        byReason: this.byReason,
      }),
      calibration: [...this.calib.values()].map((c) => ({
        encoding: c.encoding,
        kind: c.kind,
        requests: c.requests,
        ratio: r3(c.sum / c.requests),
      })),
      // Said once for the whole log, not once a line.
      problems: this.notPredicted
        ? [
            {
              line: 0,
              message: `${this.notPredicted} record${this.notPredicted === 1 ? '' : 's'} carry usage without their request: counted in the requests, the hit rate and the bill; nothing to predict (give the requests with --requests FILE)`,
            },
            ...this.problems,
          ]
        : this.problems,
      ...(this.notPredicted ? { notPredicted: this.notPredicted } : {}),
      ...(this.agreement.compared ? { providerReasons: this.agreement.summary() } : {}),
    };
  }
}
