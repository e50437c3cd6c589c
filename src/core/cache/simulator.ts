import { familyNote, isPeak, nextPriceChange, peakHoursText, priceChangeNote } from '../pricing/cost';
import type { ModelInfo } from '../pricing/types';
import { policyFor } from './policies/index';
import { buildReport, type AnalyzeOptions } from './report';
import { tokenCount } from './tokenSources';
import { expiresAt, TokenTrie, type StoredEntry } from './tokenTrie';
import type {
  CacheEntry,
  CacheReport,
  CacheWarning,
  ExpiredEntry,
  Millis,
  PolicyDecision,
  RenderedPrompt,
} from './types';

export interface SimulatorLimits {
  /** At most this many entries (default 512) … */
  readonly maxEntries?: number;
  /**
   * … holding at most this many tokens in total, counted per entry (default 32 M ≈ 128 MB of ids); least recently
   * used entries go first. Entries written by request() share their prompt's buffer, so this over-counts them.
   */
  readonly maxTokens?: number;
}

export interface RequestOptions extends AnalyzeOptions {
  /** Label of the entries this request writes ('sent 10:02', 'git:HEAD'). */
  readonly label?: string;
}

const MINUTE = 60_000;

/** The words of an 'expired' warning (its message in `kvlens analyze --json`, the hover, the Problems panel). */
export function expiredText(e: ExpiredEntry): string {
  return `the cache entry "${e.entry}" shared ${e.sharedTokens} tokens with this prompt but expired ${ago(e.agoMs)} ago (TTL ${ago(e.ttlMs)})`;
}

function ago(ms: number): string {
  return ms < MINUTE
    ? `${Math.round(ms / 1000)} s`
    : ms < 60 * MINUTE
      ? `${Math.round(ms / MINUTE)} min`
      : `${(ms / (60 * MINUTE)).toFixed(1)} h`;
}

/**
 * A provider's prompt cache as KV Lens models it: entries in a token trie, expiry on an injected clock, writes
 * and TTL refreshes decided by the model's policy, and a bounded history (LRU by last write or hit).
 * analyze() only looks; request() looks and then applies what the request leaves in the cache.
 */
export class Simulator {
  private readonly trie = new TokenTrie();
  private tokens = 0;
  private readonly maxEntries: number;
  private readonly maxTokens: number;

  constructor(limits: SimulatorLimits = {}) {
    this.maxEntries = limits.maxEntries ?? 512;
    this.maxTokens = limits.maxTokens ?? 32_000_000;
  }

  get size(): number {
    return this.trie.size;
  }

  /** Adds an entry as is (a baseline, a recorded send). Empty entries are ignored. */
  add(entry: CacheEntry): void {
    if (entry.ids.length === 0) return;
    this.insert(entry, entry.writtenAt);
    this.evict();
  }

  /** The entries held, live or not, as plain CacheEntry values. */
  entries(): CacheEntry[] {
    return [...this.trie.entries()].map((e) => ({
      ids: e.ids,
      writtenAt: e.writtenAt,
      ttlMs: e.ttlMs,
      label: e.label,
      text: e.text,
      tokenSource: e.tokenSource,
      sources: e.sources,
    }));
  }

  /** Removes entries that expired before `now`. */
  purgeExpired(now: Millis): void {
    for (const e of [...this.trie.entries()]) if (expiresAt(e) <= now) this.remove(e);
  }

  analyze(prompt: RenderedPrompt, model: ModelInfo, now: Millis, opts: AnalyzeOptions = {}): CacheReport {
    return this.report(prompt, model, now, opts, this.decide(prompt, model, now, opts.knownPrefix));
  }

  /** Sends the prompt: reports as analyze() does, refreshes the entries it read, and stores what it writes. */
  request(prompt: RenderedPrompt, model: ModelInfo, now: Millis, opts: RequestOptions = {}): CacheReport {
    const d = this.decide(prompt, model, now);
    const report = this.report(prompt, model, now, opts, d);
    this.apply(prompt, now, opts, d);
    return report;
  }

  /** request() without the report, for callers that only need what the request leaves in the cache. */
  send(prompt: RenderedPrompt, model: ModelInfo, now: Millis, opts: RequestOptions = {}): void {
    this.apply(prompt, now, opts, this.decide(prompt, model, now));
  }

  /** The trie match and the policy's decision for a prompt, with the warnings they give. */
  private decide(prompt: RenderedPrompt, model: ModelInfo, now: Millis, knownPrefix = 0) {
    const match = this.trie.match(prompt.idRuns ?? prompt.ids, now, knownPrefix);
    const extra: CacheWarning[] = [];
    const policy = policyFor(model.cache.policy);
    let decision: PolicyDecision;
    if (!policy) {
      decision = { cachedTokens: 0, cacheWriteTokens: 0, writes: [], warnings: [] };
      extra.push({
        code: 'unknown-policy',
        message: `model ${model.id} names cache policy "${model.cache.policy}", which KV Lens does not know: no caching assumed`,
      });
    } else {
      decision = policy.decide({
        prompt,
        model,
        reusablePrefix: match.reusablePrefix,
        entryPrefixes: match.prefixEntries.map((e) => e.ids.length),
      });
    }
    // Say when a longer match existed but has expired: the usual reason a "warm" prompt reads nothing.
    const gone = match.expired;
    if (gone) {
      const expired: ExpiredEntry = {
        entry: gone.entry.label,
        sharedTokens: gone.reusablePrefix,
        agoMs: now - expiresAt(gone.entry),
        ttlMs: gone.entry.ttlMs,
      };
      extra.push({ code: 'expired', token: match.reusablePrefix, expired, message: expiredText(expired) });
    }
    return { match, decision, extra };
  }

  private report(
    prompt: RenderedPrompt,
    model: ModelInfo,
    now: Millis,
    opts: AnalyzeOptions,
    d: ReturnType<Simulator['decide']>,
  ): CacheReport {
    const extra = [
      ...d.extra,
      ...catalogWarnings(
        model,
        now,
        Math.min(d.decision.cachedTokens + d.decision.cacheWriteTokens, tokenCount(prompt)),
      ),
    ];
    return buildReport(prompt, model, d.match, d.decision, extra, { ...opts, at: opts.at ?? now });
  }

  /** What a sent request leaves: the entries it read are refreshed, what it writes is stored. */
  private apply(
    prompt: RenderedPrompt,
    now: Millis,
    opts: RequestOptions,
    { match, decision }: ReturnType<Simulator['decide']>,
  ): void {
    const cached = Math.min(decision.cachedTokens, prompt.ids.length);
    // A hit refreshes what it read (Anthropic: "refreshed at no cost"; the automatic providers keep used prefixes).
    for (const e of match.prefixEntries) if (e.ids.length <= cached) this.trie.refresh(e, now);
    const best = match.best;
    if (best && cached > 0 && !match.prefixEntries.includes(best)) this.trie.refresh(best, now);
    const label = opts.label ?? 'request';
    for (const w of decision.writes) {
      if (w.length <= 0 || w.length > prompt.ids.length) continue;
      // A live prompt's offsets stay an index (an array of them would cost a pass over the whole prompt).
      const where = prompt.sources
        ? { sources: prompt.sources }
        : { tokenSource: prompt.tokenSource.subarray(0, w.length) };
      this.insert(
        {
          ids: prompt.ids.subarray(0, w.length),
          writtenAt: now,
          ttlMs: w.ttlMs,
          label,
          text: typeof opts.text === 'string' ? opts.text : undefined,
          ...where,
        },
        now,
      );
    }
    this.evict();
  }

  private insert(entry: CacheEntry, lastUsed: Millis): StoredEntry {
    const before = this.trie.size;
    const stored = this.trie.insert(entry, lastUsed);
    if (this.trie.size > before) this.tokens += stored.ids.length;
    return stored;
  }

  private remove(e: StoredEntry): void {
    this.trie.remove(e);
    this.tokens -= e.ids.length;
  }

  private evict(): void {
    if (this.trie.size <= this.maxEntries && this.tokens <= this.maxTokens) return;
    const byAge = [...this.trie.entries()].sort((a, b) => a.lastUsed - b.lastUsed);
    for (const e of byAge) {
      if (this.trie.size <= this.maxEntries && this.tokens <= this.maxTokens) break;
      this.remove(e);
    }
  }
}

/** One-shot analysis against a list of entries (builds a simulator; keep a Simulator to analyze many edits). */
export function analyze(
  prompt: RenderedPrompt,
  entries: readonly CacheEntry[],
  model: ModelInfo,
  now: Millis,
  opts: AnalyzeOptions = {},
): CacheReport {
  const sim = new Simulator({ maxEntries: Math.max(512, entries.length), maxTokens: Number.MAX_SAFE_INTEGER });
  for (const e of entries) sim.add(e);
  return sim.analyze(prompt, model, now, opts);
}

/**
 * What the catalog itself says about this request: the model was shut down (its successor named), or the prefix that
 * would be cached lies between the documented minimum and a higher one users report, so the cache may not form.
 */
export function catalogWarnings(model: ModelInfo, now: Millis, cacheablePrefix: number): CacheWarning[] {
  const out: CacheWarning[] = [];
  const r = model.retired;
  if (r && Date.parse(r.on) <= now) {
    out.push({
      code: 'retired-model',
      message: `${model.id} was shut down on ${r.on}${r.successor ? `; its successor is ${r.successor}` : ''} (${r.source})`,
    });
  }
  if (model.family) {
    out.push({ code: 'model-assumed', message: familyNote(model) });
  }
  const change = nextPriceChange(model.prices, now);
  if (change) out.push({ code: 'price-change', message: priceChangeNote(model, change) });
  const peak = model.prices.peakHours;
  if (peak) {
    const at = new Date(now).toISOString().slice(11, 16);
    out.push({
      code: 'time-of-day-price',
      message: `${model.displayName} is priced by time of day: the listed prices from ${peakHoursText(peak)}, off-peak prices otherwise; this report is priced at ${at} UTC (${isPeak(peak, now) ? 'peak' : 'off-peak'})`,
    });
  }
  const reported = model.cache.minTokensReported;
  if (reported && cacheablePrefix >= model.cache.minTokens && cacheablePrefix < reported.tokens) {
    out.push({
      code: 'minimum-uncertain',
      message: `the ${cacheablePrefix.toLocaleString('en-US')}-token prefix is above ${model.displayName}'s documented cache minimum (${model.cache.minTokens.toLocaleString('en-US')}) but below the ${reported.tokens.toLocaleString('en-US')} users report (${reported.source}): it may not be cached`,
    });
  }
  return out;
}
