// What the panel computes from attention probabilities: rows recomputed from a fused operator's query and the cached
// keys, the mean over heads, how much of the uncached tokens' attention lands on the cached prefix, and a block ×
// block summary for prompts too long to read token by token.

export interface RecomputeShape {
  readonly heads: number;
  readonly headDim: number;
  /** Absolute position of the first query row. */
  readonly start: number;
  /** Keys (and the sequence length after this run). */
  readonly total: number;
  readonly scale: number;
}

/**
 * softmax(Q·Kᵀ·scale + causal mask) for rows start…total−1. `query` is [1, rows, heads·headDim] (the fused
 * operator's input), `keys` is present.{l}.key [1, heads, total, headDim]. Returns [head][row][key], total keys a row.
 */
export function recomputeAttention(query: Float32Array, keys: Float32Array, s: RecomputeShape): Float32Array {
  const { heads: H, headDim: Dh, start, total: T, scale } = s,
    rows = T - start,
    D = H * Dh;
  const out = new Float32Array(H * rows * T),
    score = new Float64Array(T);
  for (let h = 0; h < H; h++)
    for (let r = 0; r < rows; r++) {
      const pos = start + r;
      let max = -Infinity;
      for (let j = 0; j <= pos; j++) {
        let dot = 0;
        for (let d = 0; d < Dh; d++) dot += query[r * D + h * Dh + d] * keys[(h * T + j) * Dh + d];
        score[j] = dot * scale;
        if (score[j] > max) max = score[j];
      }
      let z = 0;
      for (let j = 0; j <= pos; j++) {
        score[j] = Math.exp(score[j] - max);
        z += score[j];
      }
      const o = (h * rows + r) * T;
      for (let j = 0; j <= pos; j++) out[o + j] = score[j] / z;
    }
  return out;
}

/** The mean over heads of [head][S][S] attention. */
export function meanOverHeads(attention: Float32Array, heads: number, S: number): Float32Array {
  const out = new Float32Array(S * S);
  for (let h = 0; h < heads; h++) for (let i = 0; i < S * S; i++) out[i] += attention[h * S * S + i];
  for (let i = 0; i < out.length; i++) out[i] /= heads;
  return out;
}

/**
 * Of the attention paid by the tokens at or after `boundary` (the uncached ones), the share that falls on the tokens
 * before it: the reason a provider keeps those rows' keys and values. Null without a cached prefix or uncached tokens.
 */
export function attentionOnPrefix(matrix: Float32Array, S: number, boundary: number): number | null {
  if (boundary <= 0 || boundary >= S) return null;
  let on = 0;
  for (let i = boundary; i < S; i++) for (let j = 0; j < boundary; j++) on += matrix[i * S + j];
  return on / (S - boundary);
}

export interface TokenBlock {
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Block × block attention: for queries in block a, the mean over those queries of the attention summed over the keys
 * of block b. Rows sum to 1 like token rows do.
 */
export function blockSummary(matrix: Float32Array, S: number, blocks: readonly TokenBlock[]): Float32Array {
  const n = blocks.length,
    out = new Float32Array(n * n);
  blocks.forEach((qa, a) => {
    const rows = qa.end - qa.start;
    if (rows <= 0) return;
    blocks.forEach((kb, b) => {
      let sum = 0;
      for (let i = qa.start; i < qa.end; i++)
        for (let j = kb.start; j < Math.min(kb.end, i + 1); j++) sum += matrix[i * S + j];
      out[a * n + b] = sum / rows;
    });
  });
  return out;
}
