// Messages between the extension host and the webview panels, both ways: the one module both sides import
// (DESIGN.md "Webviews"). Each panel's messages are a discriminated union on `type`.

/** What the cost report shows for one model (USD as numbers: the host computed them exactly with core). */
export interface CostModelView {
  readonly model: string;
  readonly provider: string;
  readonly displayName: string;
  readonly tokens: number;
  readonly exact: boolean;
  readonly encoding: string;
  /** ±share of an estimated token count, carried into the money figures. */
  readonly errorBand?: number;
  readonly cacheableTokens: number;
  readonly prices: { readonly input: number | null; readonly cachedInput: number | null; readonly cacheWrite: number | null; readonly output: number | null; readonly storagePerHour?: number | null; readonly source: string; readonly asOf: string };
  readonly perCall: { readonly uncached: number; readonly firstCall: number; readonly warmCall: number; readonly output: number };
  readonly savingPerWarmCall: number;
  readonly breakEvenCalls: number | null;
  readonly perDay?: { readonly withoutCache: number; readonly withCache: number };
  readonly perMonth?: { readonly withoutCache: number; readonly withCache: number };
  readonly ttlSeconds: number;
  /** TTL choices this model's provider prices (label → seconds), for the retention input. */
  readonly ttlChoices: readonly { readonly label: string; readonly ttl: string }[];
  readonly ttl?: string;
  readonly warmShare: number;
  /** Cumulative cost after 0 … N calls, without and with the cache (the chart). */
  readonly curve: { readonly calls: readonly number[]; readonly withoutCache: readonly number[]; readonly withCache: readonly number[] };
  readonly notes: readonly string[];
}

export interface CostInputsView {
  readonly callsPerHour: number;
  readonly outputTokens: number;
  /** Share (0–100) of calls arriving within the TTL of the previous one; undefined = from the rate. */
  readonly warmPercent?: number;
  /** Chosen write TTL per model id. */
  readonly ttl: Readonly<Record<string, string>>;
}

/** One prompt file × model of the workspace table. */
export interface WorkspaceRowView {
  readonly file: string;
  readonly model: string;
  readonly tokens: number;
  readonly exact: boolean;
  readonly monthWithoutCache: number;
  readonly monthWithCache: number;
}

export interface CacheKillerView {
  readonly file: string;
  readonly line: number;
  readonly message: string;
  /** What it costs a month at the rate: the bill when it changes every call, above the bill when it does not. */
  readonly monthlyCost: number;
}

export interface CostReportState {
  readonly title: string;
  /** What was priced: a file, a selection, or the workspace. */
  readonly scope: 'file' | 'selection' | 'workspace';
  readonly file?: string;
  readonly inputs: CostInputsView;
  readonly models: readonly CostModelView[];
  readonly workspace?: { readonly rows: readonly WorkspaceRowView[]; readonly killers: readonly CacheKillerView[] };
  readonly problems: readonly string[];
}

export type HostToCostView = { readonly type: 'state'; readonly state: CostReportState };

export type CostViewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'inputs'; readonly inputs: CostInputsView }
  | { readonly type: 'pickModels' }
  | { readonly type: 'copy'; readonly format: 'markdown' | 'csv'; readonly text: string }
  | { readonly type: 'openSource'; readonly url: string }
  | { readonly type: 'openFile'; readonly file: string; readonly line?: number };

/** One request of a replayed usage log, as the replay report shows it (no prompt text: logs hold users' data). */
export interface ReplayRequestView {
  readonly index: number;
  readonly timestamp: string | null;
  readonly model: string;
  readonly tokens: number;
  /** Cached share of the input, predicted by KV Lens and reported by the provider (null: no usage in the line). */
  readonly predictedShare: number;
  readonly actualShare: number | null;
  readonly verdict: 'match' | 'mismatch' | 'unverified';
  readonly reason: string;
  readonly note?: string;
  readonly divergence: { readonly block: string; readonly line: number; readonly column: number } | null;
  readonly gapSeconds?: number;
  readonly missCost: number;
}

export interface ReplayReportState {
  readonly title: string;
  readonly file: string;
  readonly requests: readonly ReplayRequestView[];
  /** Requests beyond what the timeline shows (the summary still covers them). */
  readonly truncated: number;
  readonly summary: {
    readonly requests: number; readonly matched: number; readonly mismatched: number; readonly unverified: number; readonly skipped: number;
    readonly hitRate: { readonly predicted: number; readonly actual: number | null };
    readonly money: { readonly actual: number; readonly avoidable: number; readonly withoutAvoidableMisses: number; readonly byReason: readonly { readonly reason: string; readonly requests: number; readonly cost: number }[] };
    readonly calibration: readonly { readonly encoding: string; readonly kind: string; readonly requests: number; readonly ratio: number }[];
    readonly problems: readonly { readonly line: number; readonly message: string }[];
  };
}

export type HostToReplayView = { readonly type: 'state'; readonly state: ReplayReportState };
export type ReplayViewToHost = { readonly type: 'ready' } | { readonly type: 'openLine'; readonly index: number; readonly column?: number };
