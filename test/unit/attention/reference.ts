// A float64 forward pass of GPT-2, written from the architecture rather than from the ONNX graph, to check what
// onnxruntime computes: logits [S][V] and attention probabilities [L][H][S][S] of one unpadded sequence.
import type { Gpt2Weights, Tensor32 } from '../../../src/core/attention/demoWeights';

export interface ReferenceOutput {
  readonly logits: number[][];
  readonly attn: number[][][][];
}

export function referenceForward(w: Gpt2Weights, ids: readonly number[]): ReferenceOutput {
  const { vocab: V, nEmbd: D, nHead: H, nLayer: L } = w.cfg,
    Dh = D / H,
    S = ids.length;
  const linear = (x: number[][], W: Tensor32, B: Tensor32, n: number) =>
    x.map((r) => {
      const out = Array.from({ length: n }, (_, j) => B.data[j]);
      r.forEach((xi, i) => {
        for (let j = 0; j < n; j++) out[j] += xi * W.data[i * n + j];
      });
      return out;
    });
  const layerNorm = (x: number[][], g: Tensor32, b: Tensor32) =>
    x.map((r) => {
      const m = r.reduce((s, v) => s + v, 0) / r.length;
      const va = r.reduce((s, v) => s + (v - m) ** 2, 0) / r.length;
      return r.map((v, i) => ((v - m) / Math.sqrt(va + 1e-5)) * g.data[i] + b.data[i]);
    });
  let h = ids.map((id, s) => Array.from({ length: D }, (_, i) => w.wte.data[id * D + i] + w.wpe.data[s * D + i]));
  const attn: number[][][][] = [];
  for (let l = 0; l < L; l++) {
    const p = w.layers[l],
      qkv = linear(layerNorm(h, p.ln1g, p.ln1b), p.attnW, p.attnB, 3 * D);
    const ctx = h.map(() => new Array<number>(D).fill(0));
    attn.push([]);
    for (let hd = 0; hd < H; hd++) {
      const P: number[][] = [];
      for (let i = 0; i < S; i++) {
        const sc = Array.from({ length: i + 1 }, (_, j) => {
          let s = 0;
          for (let d = 0; d < Dh; d++) s += qkv[i][hd * Dh + d] * qkv[j][D + hd * Dh + d];
          return s / Math.sqrt(Dh);
        });
        const mx = Math.max(...sc),
          e = sc.map((v) => Math.exp(v - mx)),
          z = e.reduce((a, b) => a + b, 0);
        const row = Array.from({ length: S }, (_, j) => (j <= i ? e[j] / z : 0));
        P.push(row);
        for (let j = 0; j <= i; j++)
          for (let d = 0; d < Dh; d++) ctx[i][hd * Dh + d] += row[j] * qkv[j][2 * D + hd * Dh + d];
      }
      attn[l].push(P);
    }
    const proj = linear(ctx, p.projW, p.projB, D);
    h = h.map((r, i) => r.map((v, d) => v + proj[i][d]));
    const f = linear(layerNorm(h, p.ln2g, p.ln2b), p.fcW, p.fcB, 4 * D).map((r) =>
      r.map((x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))),
    );
    const m = linear(f, p.fc2W, p.fc2B, D);
    h = h.map((r, i) => r.map((v, d) => v + m[i][d]));
  }
  const hf = layerNorm(h, w.lnfg, w.lnfb);
  const logits = hf.map((r) => {
    const out = new Array<number>(V).fill(0);
    for (let v = 0; v < V; v++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += r[d] * w.wte.data[v * D + d];
      out[v] = s;
    }
    return out;
  });
  return { logits, attn };
}
