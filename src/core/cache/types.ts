import type { ModelInfo } from '../pricing/types';
import type { BlockPlace } from '../prompt/types';
import type { TokenIds, TokenSources } from './tokenSources';

/** Milliseconds since the epoch; the simulator's clock is injected, never read from Date.now() in core. */
export type Millis = number;

/** A token prefix a provider holds: written at `writtenAt`, alive until writtenAt + ttlMs (refreshed on hit). */
export interface CacheEntry {
  readonly ids: Uint32Array;
  readonly writtenAt: Millis;
  readonly ttlMs: number;
  /** Where it came from: 'git:HEAD', 'sent 2026-12-01 10:02', 'prompts/other.prompt.md' … */
  readonly label: string;
  /** Optional source text and token start offsets, so a divergence can show the old text around it. */
  readonly text?: string;
  readonly tokenSource?: Int32Array;
  /** The same as a live index (an entry the editor's live path wrote), instead of tokenSource. */
  readonly sources?: TokenSources;
}

/** A prompt rendered to tokens, with its block structure (see prompt/render). */
export interface RenderedPrompt {
  readonly ids: Uint32Array;
  /** Token index where each block starts; blockStart.length === blocks + 1 (last = ids.length). */
  readonly blockStart: Int32Array;
  /** Source offset of each token's start (for divergence line/column). */
  readonly tokenSource: Int32Array;
  /** Token index just after each explicit breakpoint, ascending, with its TTL. */
  readonly breakpoints: readonly { readonly token: number; readonly block: number; readonly ttl: '5m' | '1h' }[];
  /** True when the request asked for automatic caching (Anthropic top-level cache_control). */
  readonly automatic?: { readonly ttl: '5m' | '1h' };
  readonly encoding: string;
  readonly exact: boolean;
  /** Optional per-block label, kind and place (same order as blockStart), for the per-block breakdown. */
  readonly blocks?: readonly BlockInfo[];
  /**
   * Optional: each tokenized segment's token span and the source range it came from (renderPrompt sets it), so a
   * token range maps to a few source spans (one per segment) rather than one per token.
   */
  readonly parts?: readonly RenderedPart[];
  /**
   * Optional: token source offsets as an index over chunks (the editor's live path). Core reads offsets through
   * sourceAt()/tokenAt(), which prefer it, so `tokenSource` is then only built when someone else asks for it.
   */
  readonly sources?: TokenSources;
  /**
   * Optional: the ids as runs over chunks (the editor's live path). The simulator matches through them and core
   * counts tokens with tokenCount(), so `ids` is then only built when someone else asks for it.
   */
  readonly idRuns?: TokenIds;
}

/** Tokens [tokenStart, tokenEnd) came from source [sourceStart, sourceEnd); framing has an empty source range. */
export interface RenderedPart {
  readonly tokenStart: number;
  readonly tokenEnd: number;
  readonly sourceStart: number;
  readonly sourceEnd: number;
  /** Chat framing KV Lens adds (role headers), not text of the file. */
  readonly framing: boolean;
}

export type WarningCode =
  | 'below-minimum'
  | 'too-many-breakpoints'
  | 'lookback-exceeded'
  | 'dynamic-content'
  | 'no-breakpoint'
  | 'estimated-tokenizer'
  | 'expired'
  | 'unknown-policy'
  | 'multi-request'
  | 'retired-model'
  | 'minimum-uncertain'
  | 'time-of-day-price'
  | 'price-change'
  | 'model-assumed';

export interface CacheWarning {
  readonly code: WarningCode;
  readonly message: string;
  /** Token index the warning is about, when it has one. */
  readonly token?: number;
  /** 'expired': the entry that would have been read, as facts (the message words them). */
  readonly expired?: ExpiredEntry;
}

/** A cache entry that shared a longer prefix with the prompt but had expired when it was sent. */
export interface ExpiredEntry {
  /** The entry's label ('line 4', 'git:HEAD', 'sent 10:02'). */
  readonly entry: string;
  /** Tokens it shared with the prompt. */
  readonly sharedTokens: number;
  /** How long before the request it expired, and the TTL it had (ms). */
  readonly agoMs: number;
  readonly ttlMs: number;
}

/** What a provider's policy decides for one request given the longest live match. */
export interface PolicyDecision {
  /** Tokens billed at the cache-read rate. */
  readonly cachedTokens: number;
  /** Tokens billed at the cache-write rate (0 for providers that do not bill writes). */
  readonly cacheWriteTokens: number;
  /** Prefix lengths (in tokens) this request leaves in the cache, with their TTL. */
  readonly writes: readonly { readonly length: number; readonly ttlMs: number }[];
  readonly warnings: readonly CacheWarning[];
  /** cacheWriteTokens split by the TTL they are written with, where the price depends on it (Anthropic 5m/1h). */
  readonly cacheWriteByTtl?: { readonly '5m'?: number; readonly '1h'?: number };
}

export interface PolicyInput {
  readonly prompt: RenderedPrompt;
  readonly model: ModelInfo;
  /** Longest common token prefix with any live entry (what could be reused in principle). */
  readonly reusablePrefix: number;
  /** Lengths of live entries that are whole prefixes of the prompt, ascending (Anthropic hits only on these). */
  readonly entryPrefixes: readonly number[];
}

/** Where a provider-wide rule comes from: the page, the date it was read (YYYY-MM-DD) and what it says. */
export interface PolicySource {
  readonly url: string;
  readonly asOf: string;
  readonly says: string;
}

/** One module per provider in cache/policies/; adding a provider adds one of these. */
export interface CachePolicy {
  readonly provider: string;
  /** The public pages the rules were read from (each policy module's SOURCES constant). */
  readonly sources?: readonly PolicySource[];
  decide(input: PolicyInput): PolicyDecision;
}

/** Where the cache breaks: the first token that differs from the best-matching live entry. */
export interface Divergence {
  readonly token: number;
  /** UTF-16 offset in the prompt's source text, and its 1-based line and column. */
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** Text around the divergence in the cached (old) version and in the prompt (new); '' when unknown. */
  readonly before: string;
  readonly after: string;
  /** Label of the cache entry compared against. */
  readonly entry: string;
}

/** What a report says of a block besides its counts: its label for people and the facts the words are made from. */
export interface BlockInfo {
  readonly label: string;
  readonly kind: string;
  readonly role?: string;
  readonly place?: BlockPlace;
  readonly name?: string;
}

export interface BlockReport extends BlockInfo {
  readonly start: number;
  readonly tokens: number;
  readonly cachedTokens: number;
  readonly cacheWriteTokens: number;
  readonly status: 'cached' | 'partial' | 'uncached';
}

export interface CostSummary {
  readonly currency: 'USD';
  /** Input cost of this prompt with no cache at all, and as the policy bills it (reads + writes + rest). */
  readonly uncached: number;
  readonly withCache: number;
  readonly savingsPercent: number;
}

/** The result of analysis (ARCHITECTURE.md vocabulary). tokens = cachedTokens + cacheWriteTokens + uncachedTokens. */
export interface CacheReport {
  readonly model: string;
  readonly provider: string;
  readonly tokenizer: { readonly encoding: string; readonly exact: boolean };
  readonly tokens: number;
  readonly reusablePrefixTokens: number;
  readonly cachedTokens: number;
  readonly cacheWriteTokens: number;
  /** Tokens billed at the plain input rate (neither read from nor written to the cache). */
  readonly uncachedTokens: number;
  readonly firstDivergence: Divergence | null;
  readonly blocks: readonly BlockReport[];
  readonly warnings: readonly CacheWarning[];
  /** Label of the live entry the prompt shares the longest prefix with, if any. */
  readonly baseline?: string;
  readonly cost?: CostSummary;
}
