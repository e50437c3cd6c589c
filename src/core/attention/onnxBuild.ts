// Writes GPT-2 weights as an ONNX graph with the inputs and outputs of a Hugging Face GPT-2 export with KV cache
// (input_ids, attention_mask, position_ids, past_key_values.{l}.key|value → logits, present.{l}.key|value), plus
// `attentions.{l}` and `next_logits` (the last position only: what time-to-first-token is about, without fetching
// S × 50,257 floats). Options leave those out, or fuse attention into one operator, to make the kinds of export the
// panel must adapt to (graphAdapt.ts).
import onnxProto from 'onnx-proto';
import type { Gpt2Weights, Tensor32 } from './demoWeights';

const { onnx } = onnxProto;
type NodeProto = InstanceType<typeof onnx.NodeProto>;
type TensorProto = InstanceType<typeof onnx.TensorProto>;
type ValueInfo = InstanceType<typeof onnx.ValueInfoProto>;

export interface BuildOptions {
  /** Expose each layer's attention probabilities as `attentions.{l}` (default true). */
  readonly attentionOutputs?: boolean;
  /** Add `next_logits` (default true). */
  readonly nextLogits?: boolean;
  /**
   * Keep the export's `logits` output, every position × the vocabulary (default true, as an export has it).
   * onnxruntime computes every output of a graph whether a run fetches it or not: at 256 tokens that product is 412
   * million multiply-adds and 51 MB, twenty times the rest of the demo's run. The panel's graph leaves it out.
   */
  readonly allLogits?: boolean;
  /** Compute attention with com.microsoft MultiHeadAttention: no Softmax node in the graph (default false). */
  readonly fusedAttention?: boolean;
  /** Store the token embedding as float16 (default false; the demo model does, to stay small). */
  readonly halfEmbedding?: boolean;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const FLOAT16 = onnx.TensorProto.DataType.FLOAT16;
const INT64 = onnx.TensorProto.DataType.INT64;

/** A number → IEEE half bits (the demo's embedding is pre-rounded to half, so this is exact there). */
function halfBits(v: number): number {
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0,
    a = Math.abs(v);
  if (a === 0) return sign;
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  let e = Math.floor(Math.log2(a)),
    mant = Math.round((a / 2 ** e - 1) * 1024);
  if (mant === 1024) {
    e++;
    mant = 0;
  }
  return sign | ((e + 15) << 10) | mant;
}

export function buildGpt2Onnx(w: Gpt2Weights, options: BuildOptions = {}): Uint8Array {
  const {
    attentionOutputs = true,
    nextLogits = true,
    allLogits = true,
    fusedAttention = false,
    halfEmbedding = false,
  } = options;
  if (!nextLogits && !allLogits) throw new Error('a graph needs logits: all positions, the last one or both');
  const { vocab: V, nEmbd: D, nHead: H, nLayer: L } = w.cfg,
    Dh = D / H;
  const nodes: NodeProto[] = [],
    inits: TensorProto[] = [];
  let k = 0;
  const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const init = (name: string, dims: readonly number[], data: ArrayBufferView, dataType: number = FLOAT) => {
    inits.push(onnx.TensorProto.create({ name, dims: [...dims], dataType, rawData: bytes(data) }));
    return name;
  };
  const f32 = (name: string, t: Tensor32) => init(name, t.dims, t.data);
  const cf = (v: number) => init(`c${k++}`, [], Float32Array.of(v));
  const ci = (vals: number[], dims: number[] = [vals.length]) =>
    init(`c${k++}`, dims, BigInt64Array.from(vals.map(BigInt)), INT64);
  const attr = (name: string, v: number | number[]) =>
    Array.isArray(v)
      ? { name, type: 7, ints: v }
      : Number.isInteger(v)
        ? { name, type: 2, i: v }
        : { name, type: 1, f: v };
  const op = (
    opType: string,
    inputs: string[],
    attrs: Record<string, number | number[]> = {},
    outputs: string[] = [`t${k++}`],
    domain?: string,
  ) => {
    nodes.push(
      onnx.NodeProto.create({
        opType,
        input: inputs,
        output: outputs,
        name: `n${nodes.length}`,
        domain,
        attribute: Object.entries(attrs).map(([a, v]) => attr(a, v)),
      }),
    );
    return outputs[0];
  };
  const vi = (name: string, type: number, shape: (number | string)[]): ValueInfo =>
    onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: {
          elemType: type,
          shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    });
  const ln = (x: string, g: string, b: string) => op('LayerNormalization', [x, g, b], { axis: -1, epsilon: 1e-5 });
  const lin = (x: string, W: string, B: string) => op('Add', [op('MatMul', [x, W]), B]);

  const inputs = [
    vi('input_ids', INT64, ['batch', 'seq']),
    vi('attention_mask', INT64, ['batch', 'total']),
    vi('position_ids', INT64, ['batch', 'seq']),
  ];
  const outputs = allLogits ? [vi('logits', FLOAT, ['batch', 'seq', V])] : [];
  if (nextLogits) outputs.push(vi('next_logits', FLOAT, ['batch', 1, V]));
  let wte: string;
  if (halfEmbedding) {
    const half = new Uint16Array(w.wte.data.length);
    for (let i = 0; i < half.length; i++) half[i] = halfBits(w.wte.data[i]);
    wte = op('Cast', [init('wte16', w.wte.dims, half, FLOAT16)], { to: FLOAT });
  } else wte = f32('wte', w.wte);
  let h = op('Add', [op('Gather', [wte, 'input_ids']), op('Gather', [f32('wpe', w.wpe), 'position_ids'])]);
  // Additive mask [B,1,S,T]: 0 where the key is at or before the query and not padding, −1e9 elsewhere.
  const S = op('Gather', [op('Shape', ['input_ids']), ci([1], [])]);
  const T = op('Gather', [op('Shape', ['attention_mask']), ci([1], [])]);
  const qpos = op('Unsqueeze', [op('Range', [op('Sub', [T, S]), T, ci([1], [])]), ci([1])]);
  const causal = op('Cast', [op('LessOrEqual', [op('Range', [ci([0], []), T, ci([1], [])]), qpos])], { to: FLOAT });
  const am = op('Unsqueeze', [op('Cast', ['attention_mask'], { to: FLOAT }), ci([1, 2])]);
  const bias = op('Mul', [op('Sub', [op('Mul', [causal, am]), cf(1)]), cf(1e9)]);
  const toHeads = (x: string) => op('Transpose', [op('Reshape', [x, ci([0, 0, H, Dh])])], { perm: [0, 2, 1, 3] });
  for (let l = 0; l < L; l++) {
    const p = w.layers[l],
      pk = `past_key_values.${l}.key`,
      pv = `past_key_values.${l}.value`;
    inputs.push(vi(pk, FLOAT, ['batch', H, 'past', Dh]), vi(pv, FLOAT, ['batch', H, 'past', Dh]));
    outputs.push(
      vi(`present.${l}.key`, FLOAT, ['batch', H, 'total', Dh]),
      vi(`present.${l}.value`, FLOAT, ['batch', H, 'total', Dh]),
    );
    const x = ln(h, f32(`h${l}.ln1g`, p.ln1g), f32(`h${l}.ln1b`, p.ln1b));
    const qkv = lin(x, f32(`h${l}.attnW`, p.attnW), f32(`h${l}.attnB`, p.attnB));
    const [q, kk, v] = [`h${l}.q`, `h${l}.k`, `h${l}.v`];
    op('Split', [qkv, ci([D, D, D])], { axis: 2 }, [q, kk, v]);
    let ctx: string;
    if (fusedAttention) {
      const out = `h${l}.attn_out`;
      op(
        'MultiHeadAttention',
        [q, kk, v, '', '', bias, pk, pv],
        { num_heads: H },
        [out, `present.${l}.key`, `present.${l}.value`],
        'com.microsoft',
      );
      ctx = out;
    } else {
      const K = op('Concat', [pk, toHeads(kk)], { axis: 2 }, [`present.${l}.key`]);
      const Vv = op('Concat', [pv, toHeads(v)], { axis: 2 }, [`present.${l}.value`]);
      const scores = op('Mul', [
        op('MatMul', [toHeads(q), op('Transpose', [K], { perm: [0, 1, 3, 2] })]),
        cf(1 / Math.sqrt(Dh)),
      ]);
      const probs = op('Softmax', [op('Add', [scores, bias])], { axis: -1 }, [
        attentionOutputs ? `attentions.${l}` : `h${l}.probs`,
      ]);
      if (attentionOutputs) outputs.push(vi(`attentions.${l}`, FLOAT, ['batch', H, 'seq', 'total']));
      ctx = op('Reshape', [op('Transpose', [op('MatMul', [probs, Vv])], { perm: [0, 2, 1, 3] }), ci([0, 0, D])]);
    }
    h = op('Add', [h, lin(ctx, f32(`h${l}.projW`, p.projW), f32(`h${l}.projB`, p.projB))]);
    const f = lin(
      ln(h, f32(`h${l}.ln2g`, p.ln2g), f32(`h${l}.ln2b`, p.ln2b)),
      f32(`h${l}.fcW`, p.fcW),
      f32(`h${l}.fcB`, p.fcB),
    );
    const inner = op('Mul', [
      op('Add', [f, op('Mul', [op('Mul', [op('Mul', [f, f]), f]), cf(0.044715)])]),
      cf(Math.sqrt(2 / Math.PI)),
    ]);
    const gelu = op('Mul', [op('Mul', [f, cf(0.5)]), op('Add', [op('Tanh', [inner]), cf(1)])]); // GPT-2's gelu_new
    h = op('Add', [h, lin(gelu, f32(`h${l}.fc2W`, p.fc2W), f32(`h${l}.fc2B`, p.fc2B))]);
  }
  const hf = ln(h, f32('lnfg', w.lnfg), f32('lnfb', w.lnfb));
  const last = () => op('Slice', [hf, ci([-1]), ci([2 ** 62]), ci([1])]);
  if (allLogits) {
    const head = op('Transpose', [wte], { perm: [1, 0] }); // tied lm_head
    op('MatMul', [hf, head], {}, ['logits']);
    if (nextLogits) op('MatMul', [last(), head], {}, ['next_logits']);
  } else {
    // The tied head as Gemm(h, wteᵀ): no transposed copy of the 50,257 × D embedding made on every run.
    const row = op('Gemm', [op('Reshape', [last(), ci([-1, D])]), wte], { transB: 1 });
    op('Reshape', [row, ci([-1, 1, V])], {}, ['next_logits']);
  }
  const graph = onnx.GraphProto.create({
    name: 'kvlens_gpt2',
    node: nodes,
    initializer: inits,
    input: inputs,
    output: outputs,
  });
  const opsetImport = [
    { domain: '', version: 17 },
    ...(fusedAttention ? [{ domain: 'com.microsoft', version: 1 }] : []),
  ];
  const model = onnx.ModelProto.create({ irVersion: 8, producerName: 'kvlens', graph, opsetImport });
  return onnx.ModelProto.encode(model).finish();
}
