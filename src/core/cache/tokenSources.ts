import { lastAtMost } from '../text/sortedSearch';
import type { RenderedPrompt } from './types';

/**
 * Where each token of a rendered prompt starts in the source, without a document-sized array: the editor's live
 * path keeps tokens in chunks (see analysis/liveReport.ts) and answers these lookups in O(log n), so a keystroke in a
 * 10 MB prompt never builds an array of every token's offset.
 */
export interface TokenSources {
  readonly length: number;
  /** The source offset of token i (undefined past the end, like an array). */
  at(i: number): number | undefined;
  /** The last token whose source offset is ≤ offset (0 when none). */
  find(offset: number): number;
}

/**
 * A rendered prompt's token ids without a document-sized array: the editor's live path keeps them in chunks, and the
 * simulator reads them run by run (a chunk at a time) only as far as its match goes.
 */
export interface TokenIds {
  readonly length: number;
  /** Ids from token i on (0 ≤ i < length): a run of at least one, ending anywhere up to the end. */
  run(i: number): Uint32Array;
}

/** The number of tokens of a rendered prompt, without building its ids when they are kept in runs. */
export function tokenCount(prompt: RenderedPrompt): number {
  return prompt.idRuns ? prompt.idRuns.length : prompt.ids.length;
}

/** Token i's id, through the runs when the prompt has them. */
export function idAt(prompt: RenderedPrompt, i: number): number | undefined {
  if (!prompt.idRuns) return prompt.ids[i];
  return i >= 0 && i < prompt.idRuns.length ? prompt.idRuns.run(i)[0] : undefined;
}

/** Index of the token whose source range holds `offset` (last token starting at or before it; 0 when none). */
export function tokenAtOffset(tokenSource: Int32Array, offset: number): number {
  // The guard matters: in render order (tools first) the offsets need not ascend.
  return !tokenSource.length || offset < tokenSource[0] ? 0 : lastAtMost(tokenSource, offset);
}

/** The source offset of a prompt's token i, through its live index when it has one. */
export function sourceAt(prompt: RenderedPrompt, i: number): number | undefined {
  return prompt.sources ? prompt.sources.at(i) : prompt.tokenSource[i];
}

/** tokenAtOffset() for a rendered prompt, through its live index when it has one. */
export function tokenAt(prompt: RenderedPrompt, offset: number): number {
  return prompt.sources ? prompt.sources.find(offset) : tokenAtOffset(prompt.tokenSource, offset);
}
