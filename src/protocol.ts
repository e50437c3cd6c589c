// Messages between the extension host and the webview panels, both ways: the one module both sides import
// (DESIGN.md "Webviews"). Each panel's messages are a discriminated union on `type`.

import type { ModelShape } from './core/attention/graphAdapt';
import type { CacheKiller, CostModelFigures } from './core/pricing/costReport';
import type { CostAssumptions, WorkspaceCostRow } from './core/pricing/costReportState';
import type { MissReason, ReplaySummary, RequestVerdict } from './core/replay/replay';
import type { SessionSummary } from './core/replay/sessionReplay';

/** The cost report's figures are core's (costReport.ts, costReportState.ts): the host computes them, the panel shows them. */
export type CostModelView = CostModelFigures;
export type CostInputsView = CostAssumptions;
/** One prompt file × model of the workspace table. */
export type WorkspaceRowView = WorkspaceCostRow;
export type CacheKillerView = CacheKiller;

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
  readonly verdict: RequestVerdict['verdict'];
  readonly reason: MissReason;
  readonly note?: string;
  readonly divergence: { readonly block: string; readonly line: number; readonly column: number } | null;
  readonly gapSeconds?: number;
  readonly missCost: number;
  /** Agent sessions: the cache chain ('main', 'subagent:<id>'), the transcript file when not the main one, and the
   * provider's own reason for a miss with whether it agrees with KV Lens's. */
  readonly chain?: string;
  readonly file?: string;
  readonly providerReason?: string;
  readonly providerAgrees?: boolean;
}

export interface ReplayReportState {
  readonly title: string;
  readonly file: string;
  readonly requests: readonly ReplayRequestView[];
  /** Requests beyond what the timeline shows (the summary still covers them). */
  readonly truncated: number;
  /** A usage log's summary (core's ReplaySummary); an agent session's adds what kind of transcript it is and what
   * was inferred (core's SessionSummary). */
  readonly summary: ReplaySummary & Partial<Pick<SessionSummary, 'format' | 'inferred'>>;
}

export type HostToReplayView = { readonly type: 'state'; readonly state: ReplayReportState };
/** openLine: `position` is the request's place in ReplayReportState.requests (index alone is ambiguous across a
 * session's transcripts). */
export type ReplayViewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'openLine'; readonly index: number; readonly column?: number; readonly position?: number };

/** The model the attention panel runs: an ONNX file (already adapted by the host) the webview fetches. */
export interface AttentionModelView {
  readonly id: string;
  readonly label: string;
  /** Generated weights (not trained): the UI says so. */
  readonly demo: boolean;
  readonly shape: ModelShape;
  /** What each head was built to show, by layer then head (demo model); empty for a real model. */
  readonly heads: readonly (readonly string[])[];
  /** webview URI of the ONNX file. */
  readonly url: string;
  /** webview URI of onnxruntime-web's WebAssembly binary. */
  readonly wasmUrl: string;
}

/** One model token of the text the panel shows: its id and its span in the document (UTF-16 offsets). */
export interface AttentionTokenView {
  readonly id: number;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface AttentionDocumentView {
  readonly file: string;
  readonly tokens: readonly AttentionTokenView[];
  /** Tokens of the text beyond what the model's context holds (the panel shows the first maxPositions). */
  readonly cutTokens: number;
  /** cutTokens is an estimate (a big text: counting it would tokenize the whole document on every edit). */
  readonly cutTokensEstimated?: boolean;
  /** First model token the provider would not serve from its cache (the editor's report), null without a report. */
  readonly cacheBoundary: number | null;
  /** The editor's report in words: "1,792 of 1,912 tokens cached (GPT-4o, against git HEAD)". */
  readonly cacheNote: string;
  /** The prompt's blocks (tools, system, each message) as model-token ranges, for the block summary. */
  readonly blocks: readonly { readonly label: string; readonly start: number; readonly end: number }[];
}

/** What the panel last computed (the host keeps it for `kvlens.attentionStatus`, the tests read it there). */
export interface AttentionStatus {
  readonly backend: 'webgpu' | 'wasm';
  readonly model: string;
  readonly tokens: number;
  readonly reused: number;
  readonly computed: number;
  readonly ms: number;
  readonly fullMs: number | null;
  readonly maxAbsDiffLogits: number | null;
  readonly maxAbsDiffAttention: number | null;
  /** Share of the uncached tokens' attention on the cached prefix (selected layer, mean over heads). */
  readonly prefixShare: number | null;
  /** The editor's cache boundary in the model's tokens (AttentionDocumentView.cacheBoundary). */
  readonly cacheBoundary: number | null;
  readonly layer: number;
  readonly head: number | 'mean';
  /** Why WebGPU was not used, when it was not. */
  readonly fallback?: string;
}

export type HostToAttentionView =
  | { readonly type: 'model'; readonly model: AttentionModelView }
  | { readonly type: 'document'; readonly document: AttentionDocumentView }
  | { readonly type: 'selection'; readonly start: number; readonly end: number }
  | { readonly type: 'notice'; readonly message: string; readonly error?: boolean };

export type AttentionViewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'reveal'; readonly start: number; readonly end: number }
  | { readonly type: 'status'; readonly status: AttentionStatus }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'chooseModel' };

/** What the attention panel saves across reloads (no prompt text). */
export interface AttentionSaved {
  readonly layer: number;
  readonly head: number | 'mean';
  readonly grid: boolean;
  readonly windowStart: number;
}
