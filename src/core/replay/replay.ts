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
import type { ContentKind } from '../tokenizer/estimate/contentKind';
import type { Tokenizer } from '../tokenizer/types';
import { Calibration } from './calibration';
import { isCostedMiss, providerMiss, providerMissNote, type MissClass } from './missClass';
import { readLogLine } from './logLine';
import { prefixKey, RecentRequests } from './recentRequests';
import { ReplayTally } from './tally';
import type { Usage } from './usage';

/** Why tokens of a request were not read from cache (ARCHITECTURE.md `kvlens replay` reasons). */
export type MissReason =
  | 'cached'
  | 'cold'
  // Read from a cache that requests before the log began wrote (the log cannot show them).
  | 'warm-before-log'
  | 'ttl-expired'
  | 'prefix-changed'
  | 'below-minimum'
  | 'breakpoint-limits'
  // The prefix was unchanged and within its TTL, yet not read (missClass.ts names the likelier of the two): the
  // provider dropped it, or routed the request to a server without it (OpenAI, above ~15 requests a minute).
  | 'evicted'
  | 'rerouted'
  // What both were called before they were named; no longer produced.
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
  /** What the tokens not read from cache cost beyond a cache read, USD: for an avoidable miss, a provider-side one
   * (evicted, rerouted: missClass.ts), and a usage record without its request; 0 for the others. */
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
    /** What the misses with a cause the user controls cost beyond a cache read. */
    readonly avoidable: number;
    readonly withoutAvoidableMisses: number;
    /** What the provider-side misses (evicted, rerouted) cost beyond a cache read: not the user's to avoid. */
    readonly providerSide: number;
    readonly byReason: readonly {
      readonly reason: MissReason;
      readonly class: MissClass;
      readonly requests: number;
      readonly cost: number;
    }[];
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

const r9 = (x: number) => Math.round(x * 1e9) / 1e9;

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

/** What a request's report and usage say happened: the reason, the verdict, and a note for people. */
interface Finding {
  readonly reason: MissReason;
  readonly verdict: RequestVerdict['verdict'];
  readonly note?: string;
}

/** One replayed request: the line it came from, when and for which model it was sent, and what it sent. */
interface Sent {
  readonly index: number;
  readonly text: string;
  readonly now: number;
  readonly model: ModelInfo;
  readonly tokenizer: Tokenizer;
  readonly tokens: number;
  readonly usage: Usage | undefined;
  /** Requests on the same routing prefix (model and first 256 tokens): within the minute up to this one, and the
   * seconds since the one before. */
  readonly routing: { readonly perMinute: number; readonly idleSeconds?: number };
}

/**
 * The reason from the simulator's report alone (before the provider's figures are compared): a request that differs
 * from the one before only in its last block (the new turn, the next question) read what it could: that is a hit; a
 * difference further up is a changed prefix.
 */
function predictedReason(report: CacheReport): MissReason {
  const codes = new Set(report.warnings.map((w) => w.code));
  const d0 = report.firstDivergence;
  const lastStart = report.blocks.at(-1)?.start ?? 0;
  if (report.cachedTokens > 0 && (!d0 || d0.token >= lastStart)) return 'cached';
  if (codes.has('expired')) return 'ttl-expired';
  if (codes.has('too-many-breakpoints') || codes.has('no-breakpoint') || codes.has('lookback-exceeded'))
    return 'breakpoint-limits';
  if (codes.has('below-minimum') && report.cachedTokens === 0) return 'below-minimum';
  if (report.firstDivergence && report.reusablePrefixTokens > 0) return 'prefix-changed';
  if (report.cachedTokens > 0) return 'cached';
  return 'cold';
}

/** How far the provider's cached tokens may be from the prediction and still match: a granularity step, or the
 * estimate's error band. */
function tolerance(report: CacheReport, s: Sent): number {
  const band = errorBandFor(s.tokenizer, report.blocks);
  return band !== undefined
    ? Math.ceil(band * Math.max(s.tokens, s.usage?.inputTokens ?? 0))
    : Math.max(1, s.model.cache.granularity);
}

/**
 * Replays a usage log through the cache simulator, one line at a time (feed), in log order: each request is
 * predicted from what the requests before it left in the cache, then compared with what the provider reported.
 * Memory stays bounded: the simulator's history is LRU-bounded and nothing else grows with the log but counters.
 */
export class Replayer {
  private readonly sim = new Simulator({ maxEntries: 256, maxTokens: 8_000_000 });
  private clock = 0;
  private notPredicted = 0;
  private readonly tally = new ReplayTally();
  private readonly calibration = new Calibration();
  private readonly recent = new RecentRequests();

  constructor(private readonly opts: ReplayOptions) {}

  private modelOf(id: string | undefined, line: number): ModelInfo {
    return this.tally.modelOf(this.opts.catalog, this.opts.model ?? id, this.opts.fallbackModel, line, 'replayed with');
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
      this.tally.skipped++;
      this.tally.problem(
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
      this.tally.skipped++;
      this.tally.problem(lineNo, read.message);
      return undefined;
    }
    const { line } = read;
    if (!line.request) return line.usage ? this.usageOnly(line.usage, line.model, line.timestamp, index) : undefined;
    const sink = new DiagnosticSink(new LineIndex(text));
    const prompt = parseRequestBody(text, line.request[0], line.request[1], sink);
    const fatal = sink.list.find((d) => d.severity === 'error');
    if (fatal || !prompt.blocks.length) {
      this.tally.skipped++;
      this.tally.problem(lineNo, fatal ? `${fatal.message} (column ${fatal.column})` : 'no prompt in the request');
      return undefined;
    }
    const model = this.modelOf(line.model ?? prompt.model, lineNo);
    const tokenizer = this.opts.tokenizerFor(model);
    const rendered = renderPrompt(prompt, tokenizer);
    // Lines without a time are taken as sent a second after the one before.
    const now = line.timestamp ?? (this.clock ? this.clock + 1000 : Date.UTC(2026, 0, 1));
    if (now < this.clock)
      this.tally.problem(lineNo, 'out of order: earlier than the line before (replayed in log order)');
    this.clock = Math.max(this.clock, now);
    const report = this.sim.request(rendered, model, now, { text, label: `line ${lineNo}` });
    // OpenAI routes by a hash of the first ~256 tokens: requests sharing them share a cache server, up to a rate.
    const routing = this.recent.add(`${model.id}:${prefixKey(rendered.ids.subarray(0, 256))}`, now);
    const sent: Sent = {
      index,
      text,
      now,
      model,
      tokenizer,
      tokens: rendered.ids.length,
      usage: line.usage,
      routing,
    };
    const finding = this.classify(report, sent);
    const providerAgrees = sent.usage ? this.tally.agreement.add(sent.usage.missReason, finding.reason) : undefined;
    const actualCost = sent.usage ? toUsdNumber(billOf(model, sent.usage, now).total) : null;
    const missCost = this.missCost(sent, finding.reason, report.cachedTokens);
    this.tally.add({
      verdict: finding.verdict,
      reason: finding.reason,
      predicted: { cached: report.cachedTokens, of: sent.tokens },
      ...(sent.usage
        ? { actual: { cached: sent.usage.cachedTokens, input: sent.usage.inputTokens, cost: actualCost ?? 0 } }
        : {}),
      missCost,
    });
    // Content kind for calibration: of the text the request sends, not of the JSON line holding it.
    if (sent.usage)
      this.calibration.add(
        tokenizer,
        prompt.blocks.flatMap((b) => b.segments.filter((sg) => !sg.framing).map((sg) => sg.text)).join('\n'),
        sent.tokens,
        sent.usage.inputTokens,
      );
    return this.verdictOf(report, sent, finding, { missCost, actualCost, providerAgrees });
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
    this.notPredicted++;
    this.tally.add({
      verdict: 'unverified',
      reason: 'not-predicted',
      actual: { cached: usage.cachedTokens, input: usage.inputTokens, cost: actualCost },
      missCost,
    });
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
      missCost: r9(missCost),
      actualCost: r9(actualCost),
    };
  }

  /** The reason and verdict of a request: the report's reason, then what the provider's figures say of it. */
  private classify(report: CacheReport, s: Sent): Finding {
    let reason = predictedReason(report);
    const usage = s.usage;
    if (!usage) return { reason, verdict: 'unverified' };
    const tol = tolerance(report, s);
    const verdict = Math.abs(usage.cachedTokens - report.cachedTokens) <= tol ? 'match' : 'mismatch';
    let note: string | undefined;
    if (usage.cachedTokens + tol < report.cachedTokens) {
      // Predicted a hit the provider did not report: nothing in the request or its timing explains it.
      const miss = providerMiss({ policy: s.model.cache.policy, ttlSeconds: s.model.cache.ttlSeconds, ...s.routing });
      reason = miss.reason;
      note = providerMissNote(miss);
    }
    if (reason === 'cold' && usage.cachedTokens > tol) {
      reason = 'warm-before-log';
      note = 'read from a cache that earlier requests, not in this log, had written';
    }
    if (usage.missReason && reason !== 'cached') note = `${note ? `${note}; ` : ''}provider says: ${usage.missReason}`;
    return { reason, verdict, ...(note ? { note } : {}) };
  }

  /**
   * What an avoidable or provider-side miss cost beyond a cache read (USD), priced at the time the log says the
   * request was sent (time-of-day and scheduled prices follow it): the tokens the provider could have read and did not.
   */
  private missCost(s: Sent, reason: MissReason, predictedCached: number): number {
    if (!isCostedMiss(reason)) return 0;
    const reachable = steppedHit(s.tokens, s.model.cache.minTokens, s.model.cache.granularity);
    const lost = Math.max(0, reachable - (s.usage?.cachedTokens ?? predictedCached));
    const prices = costOfRequest({ model: s.model, inputTokens: s.tokens, cachedTokens: 0, at: s.now }).prices;
    return (lost * (Number(prices.input) - Number(prices.cachedInput))) / 1e6;
  }

  private verdictOf(
    report: CacheReport,
    s: Sent,
    f: Finding,
    money: { missCost: number; actualCost: number | null; providerAgrees: boolean | undefined },
  ): RequestVerdict {
    const d = report.firstDivergence;
    const block = d
      ? (report.blocks
          .slice()
          .reverse()
          .find((b) => b.start <= d.token)?.label ?? '')
      : '';
    const pos = d ? new LineIndex(s.text).position(d.offset) : undefined;
    // The entry a TTL expiry lost, as the simulator's warning carries it: how long before this request it expired.
    const expired = f.reason === 'ttl-expired' ? report.warnings.find((w) => w.expired)?.expired : undefined;
    return {
      index: s.index,
      timestamp: new Date(s.now).toISOString(),
      model: s.model.id,
      tokens: s.tokens,
      predictedCachedTokens: report.cachedTokens,
      predictedCacheWriteTokens: report.cacheWriteTokens,
      actualCachedTokens: s.usage?.cachedTokens ?? null,
      actualInputTokens: s.usage?.inputTokens ?? null,
      actualCacheWriteTokens: s.usage?.cacheWriteTokens ?? null,
      verdict: f.verdict,
      reason: f.reason,
      divergence:
        d && pos
          ? {
              block,
              line: s.index + 1,
              column: pos.column,
              ...(this.opts.showText ? { before: d.before, after: d.after } : {}),
            }
          : null,
      ...(expired ? { gapSeconds: Math.round(expired.agoMs / 100) / 10 } : {}),
      ...(f.note ? { note: f.note } : {}),
      missCost: r9(money.missCost),
      actualCost: money.actualCost === null ? null : r9(money.actualCost),
      ...(s.usage?.missReason ? { providerReason: s.usage.missReason } : {}),
      ...(money.providerAgrees !== undefined ? { providerAgrees: money.providerAgrees } : {}),
    };
  }

  summary(): ReplaySummary {
    const problems = this.tally.problems;
    return {
      ...this.tally.figures(),
      calibration: this.calibration.summary(),
      // Said once for the whole log, not once a line.
      problems: this.notPredicted
        ? [
            {
              line: 0,
              message: `${this.notPredicted} record${this.notPredicted === 1 ? '' : 's'} carry usage without their request: counted in the requests, the hit rate and the bill; nothing to predict (give the requests with --requests FILE)`,
            },
            ...problems,
          ]
        : problems,
      ...(this.notPredicted ? { notPredicted: this.notPredicted } : {}),
      ...(this.tally.agreement.compared ? { providerReasons: this.tally.agreement.summary() } : {}),
    };
  }
}
