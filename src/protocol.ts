// Messages between the extension host and the webview panels, both ways: the one module both sides import
// (ARCHITECTURE.md "Webviews"). Each panel's messages are a discriminated union on `type`.

import type { BaselineKind } from './core/analysis/documentReport';
import type { ModelShape } from './core/attention/graphAdapt';
import type {
  AgentFile,
  HarnessId,
  HarnessReport,
  Layer,
  Loaded,
  Role,
  SessionCost,
  TakesEffect,
} from './core/agents/types';
import type { Backend } from './core/attention/kvSession';
import type { CacheKiller } from './core/pricing/costReport';
import type { CostAssumptions, PromptCostView, WorkspaceCostRow } from './core/pricing/costReportState';
import type { MissReason, ReplaySummary, RequestVerdict } from './core/replay/replay';
import type { SessionSummary } from './core/replay/sessionReplay';

/** The cost report's figures are core's (costReport.ts, costReportState.ts): the host computes them, the panel shows them. */
export type CostModelView = PromptCostView;
export type CostInputsView = CostAssumptions;
/** One prompt file × model of the workspace table. */
export type WorkspaceRowView = WorkspaceCostRow;
export type CacheKillerView = CacheKiller;

export interface CostReportState {
  readonly title: string;
  /** What was priced: a file, a selection, or the workspace. */
  readonly scope: 'file' | 'selection' | 'workspace';
  readonly file?: string;
  /**
   * What was sent before: for a file, the editor's baseline (the status bar's), which the next-call figures are
   * against; for the workspace, the steady state (each prompt sent again unchanged), which the monthly bills assume.
   */
  readonly baseline?: { readonly kind: BaselineKind; readonly label: string };
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

/** A file the attention panel fetches, with a version its own caches key on (the file's size and time). */
export interface AttentionAsset {
  /** webview URI */
  readonly url: string;
  readonly version: string;
  readonly bytes: number;
}

/**
 * onnxruntime-web's WebAssembly builds the panel may load; it fetches only the one its backend needs: the plain SIMD
 * build for WASM, the JSPI build with the WebGPU execution provider only where an adapter exists and it measures faster.
 */
export interface AttentionRuntimeView {
  readonly wasm: AttentionAsset;
  readonly webgpu: AttentionAsset;
}

/** Which backend a model ran faster on here, from one measured run on each (the host keeps it per model). */
export interface AttentionBackendChoice {
  readonly backend: Backend;
  readonly tokens: number;
  readonly wasmMs: number;
  /** null: WebGPU could not run the model (the reason is in `note`). */
  readonly webgpuMs: number | null;
  readonly note?: string;
  /** WebGPU's own start-up, as measured: its build fetched and compiled, the session, the first run (shaders). */
  readonly webgpu?: {
    readonly wasmFetchMs: number;
    readonly compileMs: number;
    readonly sessionMs: number;
    readonly firstRunMs: number;
  };
}

/** The model the attention panel runs: an ONNX file (already adapted by the host) the webview fetches. */
export interface AttentionModelView {
  readonly id: string;
  readonly label: string;
  /** Generated weights (not trained): the UI says so. */
  readonly demo: boolean;
  readonly shape: ModelShape;
  /** What each head was built to show, by layer then head (demo model); empty for a real model. */
  readonly heads: readonly (readonly string[])[];
  /**
   * Where the graph comes from: a file the panel fetches, or (the demo) built in the panel from its fixed seed —
   * faster than fetching 3.5 MB through the editor's resource loader, and no bytes in the .vsix.
   */
  readonly source:
    | { readonly kind: 'file'; readonly file: AttentionAsset }
    | { readonly kind: 'demo'; readonly version: string; readonly bytes: number };
  /** The backend measured faster for this model on this machine before, if it was. */
  readonly preferred?: AttentionBackendChoice;
}

/** One model token of the text the panel shows: its id and its span in the document (UTF-16 offsets). */
export interface AttentionTokenView {
  readonly id: number;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** The editor's cache report of the text, as facts: the panel words them. */
export interface AttentionProviderView {
  /** The provider's model the report is for (its display name). */
  readonly model: string;
  /** Of the provider's own tokens of the whole prompt: read from its cache, and all. */
  readonly cachedTokens: number;
  readonly tokens: number;
  /** What was assumed sent before ("git HEAD", "sent 02:47", "steady state"). */
  readonly baseline: string;
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
  /** The editor's report, null when the file has none (not a prompt file). */
  readonly provider: AttentionProviderView | null;
  /** The prompt's blocks (tools, system, each message) as model-token ranges, for the block summary. */
  readonly blocks: readonly { readonly label: string; readonly start: number; readonly end: number }[];
}

/**
 * How the panel's first heat map came about, measured in the webview (its own clock, from its document's start). The
 * parts overlap: the runtime and the model load side by side while the host sends the text.
 */
export interface AttentionFirstPaint {
  readonly backend: Backend;
  /** From the webview document's start to the first heat map painted. */
  readonly elapsedMs: number;
  /** Document start → the panel's script running (its HTML and bundle loaded). */
  readonly scriptMs: number;
  /** onnxruntime-web's WebAssembly: fetched (or read from the panel's cache), then compiled. */
  readonly wasmFetchMs: number;
  readonly compileMs: number;
  /** The ONNX file fetched (or read from the panel's cache). */
  readonly modelLoadMs: number;
  /** The first InferenceSession: onnxruntime's start-up and the graph. */
  readonly sessionMs: number;
  /** Script start → the text to run arrived from the host. */
  readonly documentMs: number;
  /** The model run on the tokens of the first heat map (the window on screen), and drawing it. */
  readonly firstRunMs: number;
  readonly firstPaintMs: number;
  readonly firstTokens: number;
  /** Where the runtime and the model came from: the panel's cache (an earlier panel kept them), or the extension. */
  readonly wasmCached: boolean;
  readonly modelCached: boolean;
  /** The model was built in the panel (the demo, from its seed) rather than fetched. */
  readonly modelBuilt: boolean;
  /**
   * The first heat map is the rows an earlier panel computed for these very tokens (the panel's own cache): the
   * runtime, model and session parts are then 0 — not on its way — and firstRunMs is the time to read them.
   */
  readonly rowsKept: boolean;
}

/** The first heat map's breakdown with the part only the host sees: the command until the webview existed. */
export interface AttentionStartup extends AttentionFirstPaint {
  /** cold: the first panel since the window opened; reopen: a later one; reload: restored after a window reload. */
  readonly kind: 'cold' | 'reopen' | 'reload';
  /** From the Show Attention command (or the restore) to the first heat map painted (host clock). */
  readonly totalMs: number;
  /** The command until the webview document started (panel, HTML, frame). */
  readonly panelMs: number;
}

/** What the panel last computed (the host keeps it for `kvlens.attentionStatus`, the tests read it there). */
export interface AttentionStatus {
  readonly backend: Backend;
  readonly model: string;
  readonly tokens: number;
  readonly reused: number;
  readonly computed: number;
  readonly ms: number;
  /** A full run of the same text and the largest differences from it; null until compared (never on a cold run). */
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
  /** How the backend was chosen, where both could be measured. */
  readonly backendChoice?: AttentionBackendChoice;
  /** The first heat map's breakdown (added by the host). */
  readonly startup?: AttentionStartup;
}

/** What the host writes into the panel's HTML, so that the webview starts loading before any message. */
export interface AttentionBoot {
  readonly runtime: AttentionRuntimeView;
  /** The model, when the host knew it when the panel opened (it is sent again with the first message otherwise). */
  readonly model?: AttentionModelView;
}

export type HostToAttentionView =
  | { readonly type: 'model'; readonly model: AttentionModelView }
  | { readonly type: 'document'; readonly document: AttentionDocumentView }
  | { readonly type: 'selection'; readonly start: number; readonly end: number }
  | { readonly type: 'notice'; readonly message: string; readonly error?: boolean }
  /** The first heat map's breakdown as the host completed it (the panel shows it at its foot). */
  | { readonly type: 'startup'; readonly startup: AttentionStartup };

export type AttentionViewToHost =
  /** `at`: the panel's clock when it said so (ms since its document started), to place its start on the host's. */
  | { readonly type: 'ready'; readonly at?: number }
  | { readonly type: 'reveal'; readonly start: number; readonly end: number }
  | { readonly type: 'status'; readonly status: AttentionStatus }
  | { readonly type: 'firstPaint'; readonly timing: AttentionFirstPaint }
  | { readonly type: 'backendMeasured'; readonly model: string; readonly choice: AttentionBackendChoice }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'chooseModel' }
  /** A start-up step has begun (the first heat map's progress): the host hears that the panel is at work. */
  | { readonly type: 'loading'; readonly step: AttentionLoadStep };

/** The steps of the panel's start-up, as its progress line names them. */
export type AttentionLoadStep = 'runtime' | 'compile' | 'build' | 'model' | 'session' | 'text' | 'run';

/** What the attention panel saves across reloads (no prompt text). */
export interface AttentionSaved {
  readonly layer: number;
  readonly head: number | 'mean';
  readonly grid: boolean;
  readonly windowStart: number;
}

/** One instruction file in the Agent Context view: what one agent does with it (core's AgentFile, and its cost). */
export interface AgentFileView {
  /** Relative to the folder with '/', '../' above it, `$CODEX_HOME/…` for a global file (AgentFile.path). */
  readonly path: string;
  readonly kind: AgentFile['kind'];
  readonly loaded: Loaded;
  readonly role: Role | null;
  readonly tokens: number;
  readonly bytesLost: number;
  /** Place in the agent's combined instructions (0 first); null when not loaded in every request. */
  readonly order: number | null;
  /** This file's share of a session's cost (one cache write, a read per request), USD; null when not sent always. */
  readonly costUsd: number | null;
  /** Inside the folder, so a click can open it. */
  readonly openable: boolean;
}

/** One coding agent's request as the view draws it: the fixed layers, each instruction file, environment, conversation. */
export interface AgentHarnessView {
  readonly harness: HarnessId;
  readonly displayName: string;
  readonly version: string;
  readonly model: string;
  readonly layers: readonly Layer[];
  readonly fixed: HarnessReport['fixedLayers'];
  readonly role: Role | null;
  readonly takesEffect: TakesEffect;
  /** Tokens of the text sent for the always-loaded files (with the agent's framing), null when none. */
  readonly instructionTokens: number | null;
  readonly files: readonly AgentFileView[];
  readonly cost: SessionCost | null;
  readonly sessions: { readonly count: number; readonly medianRequests: number } | null;
  readonly warnings: number;
}

export interface AgentContextState {
  /** The workspace folder the agents are taken to start in. */
  readonly folder: string;
  readonly trusted: boolean;
  readonly harnesses: readonly AgentHarnessView[];
  /** Files that could not be read and other problems, one line each naming the file. */
  readonly problems: readonly string[];
  readonly ms: number;
}

export type HostToAgentsView = { readonly type: 'state'; readonly state: AgentContextState };
export type AgentsViewToHost =
  { readonly type: 'ready' } | { readonly type: 'openFile'; readonly file: string } | { readonly type: 'refresh' };
