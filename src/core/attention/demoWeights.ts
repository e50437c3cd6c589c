// The demo model's weights: GPT-2 architecture, generated from a fixed seed so that the panel works offline and the
// tests can reproduce every number. Random weights attend almost uniformly, which shows nothing, so three heads of the
// first layer are built by hand to show patterns real GPT-2 heads are known for; the rest stay random.

export interface Gpt2Config {
  readonly vocab: number;
  readonly nCtx: number;
  readonly nEmbd: number;
  readonly nHead: number;
  readonly nLayer: number;
  readonly seed: number;
  /** Standard deviation of the random weights. */
  readonly std: number;
}

export interface Tensor32 {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

export interface LayerWeights {
  readonly ln1g: Tensor32;
  readonly ln1b: Tensor32;
  readonly attnW: Tensor32;
  readonly attnB: Tensor32;
  readonly projW: Tensor32;
  readonly projB: Tensor32;
  readonly ln2g: Tensor32;
  readonly ln2b: Tensor32;
  readonly fcW: Tensor32;
  readonly fcB: Tensor32;
  readonly fc2W: Tensor32;
  readonly fc2B: Tensor32;
}

export interface Gpt2Weights {
  readonly cfg: Gpt2Config;
  readonly wte: Tensor32;
  readonly wpe: Tensor32;
  readonly layers: readonly LayerWeights[];
  readonly lnfg: Tensor32;
  readonly lnfb: Tensor32;
  /** What each head was built to do, by layer then head ("random" for the untouched ones). */
  readonly heads: readonly (readonly HeadRole[])[];
}

export type HeadRole = 'previous-token' | 'first-token' | 'same-token' | 'random';

export const HEAD_ROLE_LABELS: Readonly<Record<HeadRole, string>> = {
  'previous-token': 'previous token',
  'first-token': 'first token (attention sink)',
  'same-token': 'earlier occurrences of the same token',
  random: 'random weights',
};

/** GPT-2's vocabulary and context with a small width: the demo ships inside the extension. */
export const DEMO_CONFIG: Gpt2Config = {
  vocab: 50257,
  nCtx: 1024,
  nEmbd: 32,
  nHead: 4,
  nLayer: 2,
  seed: 20261201,
  std: 0.02,
};

/** A seeded normal generator (mulberry32 + Box–Muller): the same weights on every machine. */
export interface NormalRng {
  (): number;
  /** Moves past `count` numbers without making them (each takes two steps of the counter). */
  skip(count: number): void;
}

export function normalRng(seed: number): NormalRng {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  // mulberry32's state is a counter: skipping is one multiply-add modulo 2³².
  return Object.assign(normal, { skip: (count: number) => void (a = (a + Math.imul(2 * count, 0x6d2b79f5)) >>> 0) });
}

/**
 * Rounds to the nearest float16 value: the demo model stores its token embedding as float16 to keep the .vsix small,
 * and the reference must compute with exactly the stored numbers.
 */
export function roundToHalf(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  const e = Math.max(exponentOf(Math.abs(v)), -14);
  const step = POW2[e - 10 + POW2_BIAS] ?? 2 ** (e - 10);
  return Math.round(v / step) * step;
}

const f64 = new Float64Array(1),
  hi = new Uint32Array(f64.buffer, 4, 1);
/** 2^-24 … 2^40, the steps of float16 and then some: a table instead of 2 ** k on each of 600,000 numbers. */
const POW2_BIAS = 24;
const POW2 = Array.from({ length: 65 }, (_, i) => 2 ** (i - POW2_BIAS));

/**
 * floor(log2(x)) for x > 0, as Math.log2 gives it: the exponent field of the float64, except right below a power of
 * two, where Math.log2 may round up to the next integer — there it is asked (so the demo's bytes stay the same).
 */
function exponentOf(x: number): number {
  f64[0] = x;
  const h = hi[0],
    e = (h >>> 20) - 1023;
  if (e < -1022 || (h & 0xfffff) === 0xfffff) return Math.floor(Math.log2(x));
  return e;
}

/**
 * Random GPT-2 weights of any shape (the benchmark's GPT-2-small-sized model uses these). `zeroEmbeddings` leaves the
 * token and position embeddings zero — the numbers they would have drawn are skipped, so every other weight is the
 * same — for a caller that writes its own (the demo: 1.6 million numbers it would throw away, a tenth of a second).
 */
export function randomWeights(cfg: Gpt2Config, zeroEmbeddings = false): Gpt2Weights {
  const n = normalRng(cfg.seed),
    D = cfg.nEmbd;
  const t = (dims: number[], std: number, mean = 0, zero = false): Tensor32 => {
    const data = new Float32Array(dims.reduce((x, y) => x * y, 1));
    if (zero) n.skip(data.length);
    else for (let i = 0; i < data.length; i++) data[i] = mean + std * n();
    return { dims, data };
  };
  const layers: LayerWeights[] = [];
  for (let l = 0; l < cfg.nLayer; l++) {
    layers.push({
      ln1g: t([D], 0.1, 1),
      ln1b: t([D], 0.1),
      attnW: t([D, 3 * D], cfg.std),
      attnB: t([3 * D], cfg.std),
      projW: t([D, D], cfg.std),
      projB: t([D], cfg.std),
      ln2g: t([D], 0.1, 1),
      ln2b: t([D], 0.1),
      fcW: t([D, 4 * D], cfg.std),
      fcB: t([4 * D], cfg.std),
      fc2W: t([4 * D, D], cfg.std),
      fc2B: t([D], cfg.std),
    });
  }
  return {
    cfg,
    wte: t([cfg.vocab, D], 0.1, 0, zeroEmbeddings),
    wpe: t([cfg.nCtx, D], 0.01, 0, zeroEmbeddings),
    layers,
    lnfg: t([D], 0.1, 1),
    lnfb: t([D], 0.1),
    heads: layers.map(() => Array.from({ length: cfg.nHead }, () => 'random' as const)),
  };
}

// Layout of the demo's residual stream (32 dims): a token code, a position code of sinusoids, a first-position flag.
const TOKEN_DIMS = 12;
const POS_DIM0 = 12;
/** Periods of the position sinusoids: unique up to GPT-2's 1,024 positions, with a sharp peak at a distance of one. */
const PERIODS = [3.3, 7.9, 31, 2500];
const FLAG_DIM = POS_DIM0 + 2 * PERIODS.length;

/**
 * The demo model: random weights, then layer 0's heads 0–2 set to attend to the previous token, to the first token
 * and to earlier occurrences of the same token. Scores are bilinear in the layer-normed input, so each pattern is a
 * Q/K weight pair over the part of the residual stream that carries it; V and the output projection stay random.
 */
export function demoWeights(cfg: Gpt2Config = DEMO_CONFIG): Gpt2Weights {
  const w = randomWeights(cfg, true);
  const D = cfg.nEmbd,
    H = cfg.nHead,
    Dh = D / H;
  if (D < FLAG_DIM + 1 || Dh < 2 * PERIODS.length || Dh > TOKEN_DIMS || H < 3)
    throw new Error(
      `the demo heads need nEmbd ≥ ${FLAG_DIM + 1}, ${2 * PERIODS.length}–${TOKEN_DIMS} dims per head and 3 heads`,
    );
  const n = normalRng(cfg.seed ^ 0x5eed);
  // Token code: a random unit direction (×3) in the first dims, which head 2 compares, plus random rest; float16 like
  // the stored embedding; nothing else in the token rows.
  const dir: number[] = new Array(Dh);
  for (let v = 0; v < cfg.vocab; v++) {
    for (let d = 0; d < Dh; d++) dir[d] = n();
    const norm = Math.hypot(...dir);
    for (let d = 0; d < TOKEN_DIMS; d++) w.wte.data[v * D + d] = roundToHalf(d < Dh ? (3 * dir[d]) / norm : n());
  }
  for (let p = 0; p < cfg.nCtx; p++) {
    PERIODS.forEach((period, f) => {
      const a = (2 * Math.PI * p) / period;
      w.wpe.data[p * D + POS_DIM0 + 2 * f] = Math.cos(a);
      w.wpe.data[p * D + POS_DIM0 + 2 * f + 1] = Math.sin(a);
    });
    if (p === 0) w.wpe.data[p * D + FLAG_DIM] = 4;
  }
  const l0 = w.layers[0];
  l0.ln1g.data.fill(1);
  l0.ln1b.data.fill(0);
  const W = l0.attnW.data,
    B = l0.attnB.data,
    cols = 3 * D;
  const q = (head: number, j: number) => head * Dh + j,
    k = (head: number, j: number) => D + head * Dh + j;
  for (let h = 0; h < 3; h++)
    for (let j = 0; j < Dh; j++) {
      for (let d = 0; d < D; d++) {
        W[d * cols + q(h, j)] = 0;
        W[d * cols + k(h, j)] = 0;
      }
      B[q(h, j)] = 0;
      B[k(h, j)] = 0;
    }
  // Head 0, previous token: q(i) = position code of i−1 (each sinusoid turned back by one step), k(j) = code of j.
  const sharp = 9;
  PERIODS.forEach((period, f) => {
    const om = (2 * Math.PI) / period,
      c = POS_DIM0 + 2 * f,
      s = c + 1;
    W[c * cols + q(0, 2 * f)] = sharp * Math.cos(om);
    W[s * cols + q(0, 2 * f)] = sharp * Math.sin(om);
    W[c * cols + q(0, 2 * f + 1)] = -sharp * Math.sin(om);
    W[s * cols + q(0, 2 * f + 1)] = sharp * Math.cos(om);
    W[c * cols + k(0, 2 * f)] = 1;
    W[s * cols + k(0, 2 * f + 1)] = 1;
  });
  // Head 1, first token: a constant query against a key that only the first position's flag lights up.
  B[q(1, 0)] = 40;
  W[FLAG_DIM * cols + k(1, 0)] = 1;
  // Head 2, same token: query and key are both the token's direction, so the score peaks where the token is equal.
  for (let j = 0; j < Dh; j++) {
    W[j * cols + q(2, j)] = 4;
    W[j * cols + k(2, j)] = 4;
  }
  const heads = w.heads.map((row) => [...row]);
  heads[0][0] = 'previous-token';
  heads[0][1] = 'first-token';
  heads[0][2] = 'same-token';
  return { ...w, heads };
}
