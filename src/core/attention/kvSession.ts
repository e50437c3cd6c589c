// A GPT-2 session that is itself a prompt cache: it keeps the key/value tensors (`present.*`) of the last sequence
// and, given the next one, feeds them as `past_key_values.*` for the common prefix and runs only the tokens after it.
// The same code runs in the attention panel (onnxruntime-web on WebGPU or WASM), in the benchmark and in the tests;
// onnxruntime is passed in, so this module knows nothing of where it runs.
import type * as Ort from 'onnxruntime-web';
import type { ModelShape } from './graphAdapt';
import { recomputeAttention } from './attentionMath';

export type OrtModule = typeof Ort;
export type Backend = 'webgpu' | 'wasm';

export interface RunTiming {
  /** Tokens whose key/value rows came from the previous run. */
  readonly reused: number;
  /** Tokens this run computed. */
  readonly computed: number;
  readonly ms: number;
}

export interface RunResult extends RunTiming {
  readonly tokens: number;
  /** Attention probabilities of one layer for every token so far: [head][query][key], row-major S × S per head. */
  readonly attention: Float32Array;
  readonly layer: number;
  /** The last position's logits. */
  readonly nextLogits: Float32Array;
}

export interface Verification {
  /** The same sequence computed from scratch. */
  readonly fullMs: number;
  readonly maxAbsDiffLogits: number;
  /** Over the attention rows this run computed (the reused rows are the previous run's, by causality). */
  readonly maxAbsDiffAttention: number;
}

type Feeds = Record<string, Ort.Tensor>;

export class KvSession {
  private ids: number[] = [];
  private past: Map<string, Ort.Tensor> | undefined;
  private attention: { layer: number; data: Float32Array; tokens: number } | undefined;

  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    readonly shape: ModelShape,
    readonly backend: Backend,
  ) {}

  /**
   * Opens the model on the first backend that works: WebGPU when asked for and available, else WASM. `optimization`:
   * onnxruntime's graph optimizations (default 'all'); a graph written for this session (the demo model) needs none,
   * and skipping them saves most of the session's start-up.
   */
  static async create(
    ort: OrtModule,
    bytes: Uint8Array,
    shape: ModelShape,
    backends: readonly Backend[],
    optimization: 'disabled' | 'basic' | 'all' = 'all',
  ): Promise<KvSession> {
    const errors: string[] = [];
    for (const backend of backends) {
      try {
        const options: Ort.InferenceSession.SessionOptions = {
          executionProviders: [backend],
          graphOptimizationLevel: optimization,
          logSeverityLevel: 3,
        };
        if (backend === 'webgpu') {
          // Keep the cache on the GPU between runs; only what is read back crosses to the CPU.
          options.preferredOutputLocation = Object.fromEntries(
            Array.from({ length: shape.layers }, (_, l) => [
              [`present.${l}.key`, 'gpu-buffer'],
              [`present.${l}.value`, 'gpu-buffer'],
            ]).flat(),
          ) as Record<string, Ort.Tensor.DataLocation>;
        }
        const session = await ort.InferenceSession.create(bytes, options);
        return new KvSession(ort, session, shape, backend);
      } catch (e) {
        errors.push(`${backend}: ${(e as Error).message ?? e}`);
      }
    }
    throw new Error(`could not open the model (${errors.join('; ')})`);
  }

  /** Tokens at the start of `ids` whose keys and values the session holds. */
  reusableFor(ids: readonly number[]): number {
    if (!this.past) return 0;
    let p = 0;
    const n = Math.min(ids.length, this.ids.length);
    while (p < n && ids[p] === this.ids[p]) p++;
    // At least the last token is computed: its logits are the answer a provider starts from.
    return Math.min(p, ids.length - 1);
  }

  get cachedTokens(): number {
    return this.past ? this.ids.length : 0;
  }

  /**
   * Runs `ids`, reusing the cached prefix unless `reuse` is false, and returns the attention of `layer` for every
   * token. The cache then holds `ids`.
   */
  async run(ids: readonly number[], layer: number, reuse = true): Promise<RunResult> {
    if (ids.length === 0) throw new Error('nothing to run: the text has no tokens');
    const p = reuse ? this.reusableFor(ids) : 0;
    const known =
      this.attention && this.attention.layer === layer && p <= this.attention.tokens ? this.attention : undefined;
    // Without the earlier rows of this layer (another layer was shown), the whole sequence is run once.
    const start = known ? p : 0;
    const past = start > 0 ? await this.pastFor(start) : undefined;
    const t0 = performance.now();
    const out = await this.session.run(this.feeds(ids.slice(start), start, past), this.fetches(layer, true));
    const ms = performance.now() - t0;
    const rows = await this.attentionRows(out, layer, start, ids.length);
    const S = ids.length,
      H = this.shape.heads,
      data = new Float32Array(H * S * S);
    for (let h = 0; h < H; h++) {
      if (known)
        for (let i = 0; i < start; i++)
          data.set(
            known.data.subarray((h * known.tokens + i) * known.tokens, (h * known.tokens + i) * known.tokens + i + 1),
            (h * S + i) * S,
          );
      for (let i = start; i < S; i++)
        data.set(
          rows.subarray((h * (S - start) + i - start) * S, (h * (S - start) + i - start + 1) * S),
          (h * S + i) * S,
        );
    }
    const nextLogits = await this.nextLogits(out);
    this.replacePast(out, past);
    this.ids = [...ids];
    this.attention = { layer, data, tokens: S };
    return { tokens: S, reused: start, computed: S - start, ms, attention: data, layer, nextLogits };
  }

  /** Runs `ids` from scratch without touching the cache, and compares with a result of `run`. */
  async verify(ids: readonly number[], result: RunResult): Promise<Verification> {
    const t0 = performance.now();
    const out = await this.session.run(this.feeds(ids, 0, undefined), this.fetches(result.layer, false));
    const fullMs = performance.now() - t0;
    const rows = await this.attentionRows(out, result.layer, 0, ids.length);
    const logits = await this.nextLogits(out);
    let dl = 0,
      da = 0;
    for (let i = 0; i < logits.length; i++) dl = Math.max(dl, Math.abs(logits[i] - result.nextLogits[i]));
    const S = ids.length,
      H = this.shape.heads;
    for (let h = 0; h < H; h++)
      for (let i = result.reused; i < S; i++)
        for (let j = 0; j <= i; j++) {
          da = Math.max(da, Math.abs(rows[(h * S + i) * S + j] - result.attention[(h * S + i) * S + j]));
        }
    for (const t of Object.values(out)) if (t.location === 'gpu-buffer') t.dispose();
    return { fullMs, maxAbsDiffLogits: dl, maxAbsDiffAttention: da };
  }

  /** The attention of one layer for `ids`, computed from scratch; the cache is left as it is (the all-heads grid). */
  async attentionOf(ids: readonly number[], layer: number): Promise<Float32Array> {
    const out = await this.session.run(this.feeds(ids, 0, undefined), this.fetches(layer, false));
    const rows = await this.attentionRows(out, layer, 0, ids.length);
    for (const t of Object.values(out)) if (t.location === 'gpu-buffer') t.dispose();
    return rows;
  }

  /** The cached keys and values of one head ([tokens][headDim] each), for the step view. */
  async keysAndValues(
    layer: number,
    head: number,
  ): Promise<{ keys: Float32Array; values: Float32Array; tokens: number } | undefined> {
    if (!this.past) return undefined;
    const T = this.ids.length,
      Dh = this.shape.headDim;
    const pick = async (kv: 'key' | 'value') =>
      ((await this.past!.get(`present.${layer}.${kv}`)!.getData()) as Float32Array).slice(
        head * T * Dh,
        (head + 1) * T * Dh,
      );
    return { keys: await pick('key'), values: await pick('value'), tokens: T };
  }

  /** Forgets the cache (a model or backend change, or the panel asked for a cold run). */
  clear(): void {
    for (const t of this.past?.values() ?? []) if (t.location === 'gpu-buffer') t.dispose();
    this.past = undefined;
    this.ids = [];
    this.attention = undefined;
  }

  async release(): Promise<void> {
    this.clear();
    await this.session.release();
  }

  private feeds(ids: readonly number[], start: number, past: Map<string, Ort.Tensor> | undefined): Feeds {
    const { ort } = this,
      { layers, heads, headDim } = this.shape;
    const i64 = (a: number[]) =>
      new ort.Tensor(
        'int64',
        BigInt64Array.from(a, (v) => BigInt(v)),
        [1, a.length],
      );
    const feeds: Feeds = {
      input_ids: i64([...ids]),
      attention_mask: i64(new Array(start + ids.length).fill(1)),
    };
    if (this.shape.positionIds) feeds.position_ids = i64(ids.map((_, i) => start + i));
    for (let l = 0; l < layers; l++)
      for (const kv of ['key', 'value'] as const) {
        feeds[`past_key_values.${l}.${kv}`] =
          past?.get(`present.${l}.${kv}`) ?? new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, headDim]);
      }
    return feeds;
  }

  private fetches(layer: number, withPresent: boolean): string[] {
    const names = [this.shape.nextLogits ? 'next_logits' : 'logits'];
    if (this.shape.attention === 'recompute') names.push(`attention_query.${layer}`, `present.${layer}.key`);
    else names.push(`attentions.${layer}`);
    if (withPresent) for (let l = 0; l < this.shape.layers; l++) names.push(`present.${l}.key`, `present.${l}.value`);
    return [...new Set(names)];
  }

  /** Attention rows start…S−1 of a run: [head][row][key] with S keys per row. */
  private async attentionRows(
    out: Record<string, Ort.Tensor>,
    layer: number,
    start: number,
    S: number,
  ): Promise<Float32Array> {
    if (this.shape.attention !== 'recompute') return (await out[`attentions.${layer}`].getData()) as Float32Array;
    const q = (await out[`attention_query.${layer}`].getData()) as Float32Array;
    const k = (await out[`present.${layer}.key`].getData()) as Float32Array;
    return recomputeAttention(q, k, {
      heads: this.shape.heads,
      headDim: this.shape.headDim,
      start,
      total: S,
      scale: this.shape.scale,
    });
  }

  private async nextLogits(out: Record<string, Ort.Tensor>): Promise<Float32Array> {
    if (this.shape.nextLogits) return Float32Array.from((await out.next_logits.getData()) as Float32Array);
    const all = (await out.logits.getData()) as Float32Array,
      V = out.logits.dims[2];
    return all.slice(all.length - V);
  }

  /** The cached keys/values cut to `tokens` rows (a change inside the cached sequence drops the rows after it). */
  private async pastFor(tokens: number): Promise<Map<string, Ort.Tensor>> {
    const past = this.past!;
    if (tokens === this.ids.length) return past;
    const { heads: H, headDim: Dh } = this.shape,
      T = this.ids.length,
      cut = new Map<string, Ort.Tensor>();
    for (const [name, t] of past) {
      const all = (await t.getData()) as Float32Array,
        data = new Float32Array(H * tokens * Dh);
      for (let h = 0; h < H; h++) data.set(all.subarray(h * T * Dh, (h * T + tokens) * Dh), h * tokens * Dh);
      cut.set(name, new this.ort.Tensor('float32', data, [1, H, tokens, Dh]));
    }
    return cut;
  }

  private replacePast(out: Record<string, Ort.Tensor>, used: Map<string, Ort.Tensor> | undefined): void {
    const next = new Map<string, Ort.Tensor>();
    for (let l = 0; l < this.shape.layers; l++)
      for (const kv of ['key', 'value']) next.set(`present.${l}.${kv}`, out[`present.${l}.${kv}`]);
    for (const t of [...(this.past?.values() ?? []), ...(used?.values() ?? [])])
      if (t.location === 'gpu-buffer' && ![...next.values()].includes(t)) t.dispose();
    this.past = next;
  }
}
