/**
 * How sure a figure group is: seen on the provider's own page (or its stored copy), seen on a third party's page
 * that cites it, or assumed (from memory, derived by a rule, or copied from a sibling model).
 */
export type Confidence = 'official' | 'third-party' | 'assumed';

/**
 * Where a figure comes from: the page where it was seen and the date that page or copy shows (YYYY-MM-DD; YYYY-MM or
 * YYYY where only that much is known, as for figures from memory).
 */
export interface Sourced {
  readonly source: string;
  readonly asOf: string;
  /** Required in the bundled catalog; a user catalog's figures are the user's own. */
  readonly confidence?: Confidence;
}

export type ProviderId =
  'openai' | 'anthropic' | 'google' | 'deepseek' | 'xai' | 'mistral' | 'vllm' | 'sglang' | (string & {});

/** USD per million tokens. Stored as decimal strings in the catalog file ("0.075") so no float ever enters money. */
export type UsdPerMTok = string;

export interface Prices extends Sourced {
  readonly input: UsdPerMTok;
  readonly cachedInput?: UsdPerMTok;
  /**
   * Cache-write price per TTL where the provider bills writes (Anthropic 5m = 1.25×, 1h = 2× input). Keys are TTL
   * labels ('5m', '1h', '30m', …) or 'default' for a provider that bills one write price whatever the retention.
   * A provider that does not bill writes has no entry: written tokens then cost the input price.
   */
  readonly cacheWrite?: CacheWritePrices;
  readonly output: UsdPerMTok;
  /** Explicit-cache storage (Gemini), USD per million tokens per hour. */
  readonly storagePerHour?: UsdPerMTok;
  /** Prices above a prompt-length threshold (e.g. Gemini 2.5 Pro > 200k tokens). */
  readonly longContext?: {
    readonly aboveTokens: number;
    readonly input: UsdPerMTok;
    readonly cachedInput?: UsdPerMTok;
    readonly output: UsdPerMTok;
    readonly cacheWrite?: CacheWritePrices;
    readonly storagePerHour?: UsdPerMTok;
  };
  /**
   * Time-of-day prices (DeepSeek): the prices above apply in the peak windows, `offPeak` outside them. Windows are
   * [from, to) as "HH:MM" in UTC; `days` says whether weekends are peak too.
   */
  readonly peakHours?: PeakHours;
  /**
   * Announced price changes (a promotion that ends, a cut that starts): from each date on (UTC, inclusive) its prices
   * replace the ones above, the latest date that has come winning. A report is priced at the time it is made.
   */
  readonly schedule?: readonly PriceChange[];
  /**
   * Figures an independent price table (`kvlens`'s cross-check test reads @pydantic/genai-prices) gives differently,
   * each with the reason the catalog's figure stands: field ("input", "cachedInput", "output", "cacheWrite") → why.
   */
  readonly disagreements?: Readonly<Record<string, string>>;
  /** Where a figure is from memory, unverified, or where sources disagree and which one won. */
  readonly notes?: string;
}

export interface PeakHours {
  readonly utc: readonly (readonly [string, string])[];
  readonly days: 'daily' | 'weekdays';
  readonly offPeak: { readonly input: UsdPerMTok; readonly cachedInput?: UsdPerMTok; readonly output: UsdPerMTok };
}

export interface PriceChange {
  /** First day (UTC) of the new prices, YYYY-MM-DD. */
  readonly from: string;
  readonly input: UsdPerMTok;
  readonly cachedInput?: UsdPerMTok;
  readonly output: UsdPerMTok;
  readonly cacheWrite?: CacheWritePrices;
}

export interface CacheWritePrices {
  readonly '5m'?: UsdPerMTok;
  readonly '1h'?: UsdPerMTok;
  readonly [ttl: string]: UsdPerMTok | undefined;
}

export interface CacheRules extends Sourced {
  /** Policy module name in cache/policies (usually the provider). */
  readonly policy: string;
  /** Smallest prompt (or breakpoint prefix) that can be cached, in tokens. */
  readonly minTokens: number;
  /** Hits come in steps of this many tokens after minTokens (OpenAI 128), or whole blocks (vLLM 16, DeepSeek 64). */
  readonly granularity: number;
  /** Default TTL in seconds, and the longest available. */
  readonly ttlSeconds: number;
  readonly maxTtlSeconds?: number;
  /** Anthropic: at most this many explicit breakpoints, and how many blocks a breakpoint looks back. */
  readonly maxBreakpoints?: number;
  readonly lookbackBlocks?: number;
  /** Free text for anything the numbers do not say, including which source won where sources disagree. */
  readonly notes?: string;
  /**
   * A higher minimum than minTokens that users report observing, kept beside the documented one: prompts between the
   * two may or may not be cached, and every place that uses the minimum says so.
   */
  readonly minTokensReported?: { readonly tokens: number; readonly source: string; readonly asOf: string };
}

/** A model the provider shut down (or announced to): files naming it are warned, with the successor's name. */
export interface Retirement {
  readonly on: string;
  readonly successor?: string;
  readonly source: string;
}

export interface ModelInfo {
  readonly id: string;
  readonly provider: ProviderId;
  readonly displayName: string;
  /** Encoding name in the tokenizer registry, and whether it is the provider's exact tokenizer. */
  readonly encoding: string;
  readonly exactTokenizer: boolean;
  readonly contextWindow: number;
  readonly prices: Prices;
  readonly cache: CacheRules;
  /** Other ids that resolve to this model (dated snapshots, "latest" aliases). */
  readonly aliases?: readonly string[];
  /** Where contextWindow/encoding come from, when not the pricing page. */
  readonly source?: string;
  readonly asOf?: string;
  readonly notes?: string;
  readonly retired?: Retirement;
  /** Where the entry came from: 'builtin' or the user catalog file that added or last changed it. */
  readonly origin?: string;
  /**
   * Set when the catalog does not list this id but knows its family (families.json): everything below is the
   * template's, assumed — every display says so, and the token count is never exact.
   */
  readonly family?: { readonly label: string; readonly template: string };
}
