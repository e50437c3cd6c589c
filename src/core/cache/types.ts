import type { ModelInfo } from '../pricing/types';

/** Milliseconds since the epoch; the simulator's clock is injected, never read from Date.now() in core. */
export type Millis = number;

/** A token prefix a provider holds: written at `writtenAt`, alive until writtenAt + ttlMs (refreshed on hit). */
export interface CacheEntry {
  readonly ids: Uint32Array;
  readonly writtenAt: Millis;
  readonly ttlMs: number;
  /** Where it came from: 'git:HEAD', 'sent 2026-12-01 10:02', 'prompts/other.prompt.md' … */
  readonly label: string;
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
}

export type WarningCode =
  | 'below-minimum'
  | 'too-many-breakpoints'
  | 'lookback-exceeded'
  | 'dynamic-content'
  | 'no-breakpoint'
  | 'estimated-tokenizer'
  | 'expired';

export interface CacheWarning {
  readonly code: WarningCode;
  readonly message: string;
  /** Token index the warning is about, when it has one. */
  readonly token?: number;
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
}

export interface PolicyInput {
  readonly prompt: RenderedPrompt;
  readonly model: ModelInfo;
  /** Longest common token prefix with any live entry (what could be reused in principle). */
  readonly reusablePrefix: number;
  /** Lengths of live entries that are whole prefixes of the prompt, ascending (Anthropic hits only on these). */
  readonly entryPrefixes: readonly number[];
}

/** One module per provider in cache/policies/; adding a provider adds one of these. */
export interface CachePolicy {
  readonly provider: string;
  decide(input: PolicyInput): PolicyDecision;
}
