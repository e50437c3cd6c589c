// Figures computed from a run, once per run: the mean over heads (the map, the hover text, the prefix share and the
// block table all read it) and the matrix of the head shown.
import { attentionOnPrefix, meanOverHeads } from '../../src/core/attention/attentionMath';
import type { EngineRun } from './state';

const means = new WeakMap<EngineRun, Float32Array>();

export function meanOf(run: EngineRun, heads: number): Float32Array {
  let m = means.get(run);
  if (!m) means.set(run, (m = meanOverHeads(run.result.attention, heads, run.result.tokens)));
  return m;
}

/** The matrix shown: the chosen head, or the mean over heads (S × S, row-major). */
export function shownMatrix(run: EngineRun, head: number | 'mean', heads: number): Float32Array {
  const { attention, tokens: S } = run.result;
  return head === 'mean' ? meanOf(run, heads) : attention.subarray(head * S * S, (head + 1) * S * S);
}

/** Of the uncached tokens' attention (mean over heads), the share on the provider's cached prefix. */
export function prefixShare(run: EngineRun, heads: number, boundary: number | null): number | null {
  return boundary === null ? null : attentionOnPrefix(meanOf(run, heads), run.result.tokens, boundary);
}
