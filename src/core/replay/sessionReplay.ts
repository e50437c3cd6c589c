import { steppedHit } from '../cache/policies/prefixSteps';
import type { Catalog } from '../pricing/catalog';
import { costOfRequest } from '../pricing/cost';
import { toUsdNumber } from '../pricing/money';
import type { ModelInfo } from '../pricing/types';
import type { ModelCall } from './modelCall';
import type { MissReason, ReplaySummary, RequestVerdict } from './replay';
import { isCostedMiss, providerMiss, providerMissNote } from './missClass';
import { RecentRequests } from './recentRequests';
import { ReplayTally } from './tally';

// Replays an agent session's model calls (from ClaudeCodeReader or CodexReader). An agent resends its whole
// conversation, so the prediction needs no text: a call should read from cache what the chain's previous call sent
// (its whole prompt: Claude Code puts a cache breakpoint on the last message; OpenAI caches the prefix in 128-token
// steps), unless something since then broke it. What the file's usage says is the truth it is judged against; every
// miss gets the reason the transcript supports, and the provider's own reason is put beside it where the log has one.

export type SessionMissReason = Exclude<
  MissReason,
  'prefix-changed' | 'below-minimum' | 'breakpoint-limits' | 'not-predicted' | 'unexplained'
>;

export interface SessionVerdict extends RequestVerdict {
  readonly chain: string;
  readonly file?: string;
}

export interface SessionSummary extends ReplaySummary {
  readonly format: 'claude-code' | 'codex';
  readonly chains: number;
  /** What KV Lens inferred because the file does not hold it. */
  readonly inferred: { readonly fixedPrefixTokens: number | null; readonly note: string };
  readonly providerReasons: { readonly compared: number; readonly agreed: number; readonly agreement: number | null };
}

interface ChainState {
  total: number;
  time: number;
  model: string;
  ttlSeconds: number;
  calls: number;
}

export interface SessionReplayOptions {
  readonly catalog: Catalog;
  readonly fallbackModel: string;
  readonly format: 'claude-code' | 'codex';
}

export class SessionReplayer {
  private readonly chains = new Map<string, ChainState>();
  private readonly tally = new ReplayTally();
  private readonly recent = new RecentRequests();
  private fixedPrefix: number | null = null;
  private fixedNote =
    'no call read from cache on its first request: the size of the system prompt and tools is not known';

  constructor(private readonly opts: SessionReplayOptions) {}

  /** Transcript lines that could not be read (the readers count them). */
  get skipped(): number {
    return this.tally.skipped;
  }
  set skipped(n: number) {
    this.tally.skipped = n;
  }

  private modelOf(id: string, line: number): ModelInfo {
    return this.tally.modelOf(this.opts.catalog, id, this.opts.fallbackModel, line, 'priced as');
  }

  feed(call: ModelCall): SessionVerdict {
    const model = this.modelOf(call.model, call.line + 1);
    const u = call.usage;
    const total = u.inputTokens;
    const prev = this.chains.get(call.chain);
    const gap = prev ? (call.time - prev.time) / 1000 : undefined;
    const anthropic = u.accounting === 'anthropic';
    // A chain's calls share its prefix (and Codex's prompt_cache_key, the conversation): its rate is the prefix's.
    const routing = this.recent.add(call.chain, call.time);
    // The first call's read is what an earlier session left: the fixed prefix (system prompt and tools) it shares.
    if (!prev && call.chain === 'main' && this.fixedPrefix === null && u.cachedTokens > 0) {
      this.fixedPrefix = u.cachedTokens;
      this.fixedNote = `inferred from the first call's cache read (${u.cachedTokens.toLocaleString('en-US')} tokens): the system prompt and tools are not in the file`;
    }
    const broke = !!(call.since.compaction || call.since.clear);
    const switched = !!prev && prev.model !== call.model;
    // Anthropic keeps an entry 5 minutes (1 hour when written with that TTL), refreshed by every read; OpenAI's
    // retention is best effort: the prediction assumes the cache held, and a miss reports the gap.
    const expired = anthropic && prev !== undefined && gap !== undefined && gap > prev.ttlSeconds;
    let predicted = 0;
    if (prev && !broke && !switched && !expired)
      predicted = anthropic ? prev.total : steppedHit(prev.total, model.cache.minTokens, model.cache.granularity);
    // After a compaction or /clear the conversation starts over, but the system prompt and tools still lead it.
    else if (prev && broke && !switched && !expired && this.fixedPrefix)
      predicted = anthropic
        ? this.fixedPrefix
        : steppedHit(this.fixedPrefix, model.cache.minTokens, model.cache.granularity);
    predicted = Math.min(predicted, total);
    const actual = u.cachedTokens;
    const tol = Math.max(anthropic ? 32 : model.cache.granularity, Math.round(total * 0.005));
    // A chain's first call reads what other sessions left (the shared system prompt and tools): nothing in the file
    // predicts it, so it is not judged.
    const verdict: RequestVerdict['verdict'] = !prev
      ? 'unverified'
      : Math.abs(actual - predicted) <= tol
        ? 'match'
        : 'mismatch';

    // The reason: why fewer tokens than the chain's previous prompt were read (or none at all).
    let reason: SessionMissReason;
    let note: string | undefined;
    const expect = prev ? prev.total : 0;
    if (actual + tol >= expect && actual > 0) reason = 'cached';
    else if (!prev) reason = actual > 0 ? 'cached' : 'cold';
    else if (call.since.clear) reason = 'clear';
    else if (call.since.compaction) reason = 'compaction';
    else if (switched) reason = 'model-switch';
    else if (call.since.instructions?.length) reason = 'instructions-changed';
    else if (call.since.tools?.length) reason = 'tools-changed';
    else if (expired || (!anthropic && gap !== undefined && gap > model.cache.ttlSeconds)) reason = 'ttl-expired';
    else if (total < expect) {
      // Shorter than the call before: the agent dropped part of its history without a compaction record (Codex
      // trims old items), so the previous prompt is no longer a prefix of this one.
      reason = 'compaction';
      note = `the prompt shrank from ${expect.toLocaleString('en-US')} to ${total.toLocaleString('en-US')} tokens: the agent rewrote its history`;
    } else {
      // Unchanged, within the TTL, and still not read: the provider's doing (missClass.ts names which).
      const miss = providerMiss({ policy: model.cache.policy, ttlSeconds: model.cache.ttlSeconds, ...routing });
      reason = miss.reason;
      note = providerMissNote(miss);
    }
    if (reason === 'cached' && prev && actual + tol < expect)
      note = `read ${actual.toLocaleString('en-US')} of the ${expect.toLocaleString('en-US')} tokens the previous call sent`;
    if (gap !== undefined && reason !== 'cached')
      note = `${note ? `${note}; ` : ''}${Math.round(gap)} s after the previous call`;
    if (!anthropic && reason === 'cached' && gap !== undefined && gap > model.cache.ttlSeconds)
      note = `kept its cache after ${Math.round(gap)} s, longer than the ${model.cache.ttlSeconds} s KV Lens assumes`;
    if (expired && reason === 'cached')
      note = `read from cache ${Math.round(gap!)} s after the previous call, past the ${prev!.ttlSeconds} s TTL: another request refreshed it`;
    if (reason === 'tools-changed') note = `${note ? `${note}; ` : ''}changed: ${call.since.tools!.join(', ')}`;
    const changed = reason === 'instructions-changed' ? call.since.instructions![0] : undefined;

    // Money: the call's bill as the file's usage says, and for avoidable and provider-side misses what the lost
    // reads cost.
    const ttl = u.cacheWriteByTtl && u.cacheWriteByTtl['1h'] > 0 ? '1h' : '5m';
    const bill = costOfRequest({
      model,
      inputTokens: total,
      cachedTokens: actual,
      cacheWriteTokens: u.cacheWriteTokens,
      ttl: anthropic ? ttl : undefined,
      outputTokens: u.outputTokens,
      at: call.time,
    });
    const actualCost = toUsdNumber(bill.total);
    const lost = isCostedMiss(reason) ? Math.max(0, Math.min(expect, total) - actual) : 0;
    const missCost = (lost * (Number(bill.prices.cacheWrite) - Number(bill.prices.cachedInput))) / 1e6;

    const providerAgrees = this.tally.agreement.add(call.providerReason, reason);
    this.tally.add({
      verdict,
      reason,
      predicted: { cached: predicted, of: total },
      actual: { cached: actual, input: total, cost: actualCost },
      missCost,
    });
    this.chains.set(call.chain, {
      total,
      time: call.time,
      model: call.model,
      ttlSeconds:
        anthropic && u.cacheWriteByTtl && u.cacheWriteByTtl['1h'] > 0
          ? 3600
          : prev && !u.cacheWriteTokens
            ? prev.ttlSeconds
            : anthropic
              ? 300
              : model.cache.ttlSeconds,
      calls: (prev?.calls ?? 0) + 1,
    });

    return {
      index: call.line,
      timestamp: call.time ? new Date(call.time).toISOString() : null,
      model: model.id,
      tokens: total,
      predictedCachedTokens: predicted,
      predictedCacheWriteTokens: 0,
      actualCachedTokens: actual,
      actualInputTokens: total,
      actualCacheWriteTokens: u.cacheWriteTokens,
      verdict,
      reason,
      divergence: changed ? { block: changed.file, line: changed.line, column: 1 } : null,
      ...(gap !== undefined ? { gapSeconds: Math.round(gap * 10) / 10 } : {}),
      ...(note ? { note } : {}),
      missCost: Math.round(missCost * 1e9) / 1e9,
      actualCost: Math.round(actualCost * 1e9) / 1e9,
      chain: call.chain,
      ...(call.file ? { file: call.file } : {}),
      ...(call.providerReason ? { providerReason: call.providerReason } : {}),
      ...(providerAgrees !== undefined ? { providerAgrees } : {}),
    };
  }

  problem(line: number, message: string): void {
    this.tally.problem(line, message);
  }

  summary(): SessionSummary {
    return {
      ...this.tally.figures(),
      calibration: [],
      problems: this.tally.problems,
      format: this.opts.format,
      chains: this.chains.size,
      inferred: { fixedPrefixTokens: this.fixedPrefix, note: this.fixedNote },
      providerReasons: this.tally.agreement.summary(),
    };
  }
}
