// The attention panel's one state: what the host sent, what the model computed, where the first load is, and what
// the user chose to look at. Views render from it and nothing else; every change goes through AttentionApp.update.
import type { Backend, RunResult, Verification } from '../../src/core/attention/kvSession';
import type {
  AttentionBackendChoice,
  AttentionDocumentView,
  AttentionModelView,
  AttentionSaved,
  AttentionStartup,
} from '../../src/protocol';

export interface EngineRun {
  readonly result: RunResult;
  /** The text it ran (the host's latest text may be newer: the map, the tokens and the words show this one). */
  readonly doc: AttentionDocumentView;
  /** It covers the whole text (the first load runs the window on screen first). */
  readonly whole: boolean;
  /** The same text computed from scratch and compared; null until done (and never for a cold run). */
  readonly verification: Verification | null;
  /** Rows an earlier panel computed for exactly these tokens (rowCache.ts), shown while the model loads. */
  readonly kept?: boolean;
}

/** The first load, step by step (downloading, compiling, …), for the progress line. */
export type LoadStep =
  | { readonly step: 'runtime'; readonly received: number; readonly total: number }
  | { readonly step: 'compile' }
  | { readonly step: 'model'; readonly received: number; readonly total: number }
  | { readonly step: 'build' }
  | { readonly step: 'session' }
  | { readonly step: 'text' }
  /** Running the model on tokens from…to of `of` (the window on screen first, then the rest). */
  | { readonly step: 'run'; readonly from: number; readonly to: number; readonly of: number };

export interface AttentionState {
  readonly model: AttentionModelView | undefined;
  readonly doc: AttentionDocumentView | undefined;
  /** The backend the model runs on, and why not WebGPU when it is not. */
  readonly backend: { readonly name: Backend; readonly fallback?: string } | undefined;
  readonly choice: AttentionBackendChoice | undefined;
  /** The last run shown: of the whole text, or (first load) of the tokens up to the window's end. */
  readonly run: EngineRun | undefined;
  /** The first load until the first heat map; null after. */
  readonly loading: LoadStep | null;
  /** A run is on (the ring). */
  readonly running: boolean;
  readonly notice: { readonly message: string; readonly error: boolean } | null;
  /** How the first heat map came about (from the host, which saw the command). */
  readonly startup: AttentionStartup | undefined;
  readonly layer: number;
  readonly head: number | 'mean';
  readonly grid: boolean;
  readonly steps: boolean;
  readonly windowStart: number;
  /** Keyboard cursor on the map: [query, key]. */
  readonly cursor: readonly [number, number] | null;
  /** The editor's selection as model tokens [from, to). */
  readonly selected: readonly [number, number] | null;
}

export function initialState(saved: AttentionSaved | undefined): AttentionState {
  return {
    model: undefined,
    doc: undefined,
    backend: undefined,
    choice: undefined,
    run: undefined,
    loading: { step: 'runtime', received: 0, total: 0 },
    running: false,
    notice: null,
    startup: undefined,
    layer: saved?.layer ?? 0,
    head: saved?.head ?? 'mean',
    grid: saved?.grid ?? false,
    steps: false,
    windowStart: saved?.windowStart ?? 0,
    cursor: null,
    selected: null,
  };
}

/** What survives a reload (no prompt text). */
export const savedOf = (s: AttentionState): AttentionSaved => ({
  layer: s.layer,
  head: s.head,
  grid: s.grid,
  windowStart: s.windowStart,
});
