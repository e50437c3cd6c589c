// Makes an ordinary GPT-2 ONNX export show its attention. Exports with a KV cache have `past_key_values.{l}.*` inputs
// and `present.{l}.*` outputs but no attention outputs. Where attention is computed with a Softmax, its output is
// exposed as `attentions.{l}`; where a fused operator hides the Softmax, its query input is exposed as
// `attention_query.{l}` and the panel recomputes softmax(Q·Kᵀ/√d + causal mask) from it and `present.{l}.key`.
// `next_logits` (the last position's logits) is added, and the export's `logits` (every position × the vocabulary)
// taken out with the nodes only it needed: onnxruntime computes every output of a graph, fetched or not, and for
// GPT-2 small at 1,024 tokens that product is 40 billion multiply-adds the panel never looks at.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type ModelProto = InstanceType<typeof onnx.ModelProto>;

export type AttentionSource = 'outputs' | 'softmax' | 'recompute';

export interface ModelShape {
  readonly layers: number;
  readonly heads: number;
  readonly headDim: number;
  readonly vocab: number | undefined;
  /** Longest sequence the position embedding covers, when the graph says. */
  readonly maxPositions: number | undefined;
  readonly attention: AttentionSource;
  /** Scale of the scores where attention is recomputed (the fused operator's own, or 1/√d). */
  readonly scale: number;
  readonly nextLogits: boolean;
  readonly positionIds: boolean;
}

export interface AdaptedModel {
  readonly bytes: Uint8Array;
  readonly shape: ModelShape;
}

const FUSED = new Set(['MultiHeadAttention', 'GroupQueryAttention', 'Attention']);

export class ModelShapeError extends Error {}

function dimsOf(v: {
  type?: {
    tensorType?: { shape?: { dim?: { dimValue?: unknown; dimParam?: string | null }[] | null } | null } | null;
  } | null;
}): (number | string)[] {
  return (v.type?.tensorType?.shape?.dim ?? []).map((d) =>
    d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0
      ? Number(d.dimValue)
      : (d.dimParam ?? '?'),
  );
}

/** Reads the shape of a GPT-2 export with KV-cache inputs and adds what the attention panel needs. */
export function adaptGpt2Graph(bytes: Uint8Array): AdaptedModel {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new ModelShapeError(`not an ONNX model (${(e as Error).message})`);
  }
  const g = model.graph;
  if (!g) throw new ModelShapeError('the ONNX file has no graph');
  const inputs = g.input ?? [],
    outputs = g.output ?? [];
  const names = new Set(inputs.map((i) => i.name));
  for (const need of ['input_ids', 'attention_mask'])
    if (!names.has(need))
      throw new ModelShapeError(
        `the model has no "${need}" input (a GPT-2 export with a KV cache has input_ids, attention_mask and past_key_values.{layer}.key|value)`,
      );
  const pastKeys = inputs.filter((i) => /^past_key_values\.\d+\.key$/.test(i.name ?? ''));
  if (pastKeys.length === 0)
    throw new ModelShapeError(
      'the model has no past_key_values.{layer}.key inputs: export it with its KV cache (optimum: task text-generation-with-past)',
    );
  const layers = pastKeys.length;
  const [, heads, , headDim] = dimsOf(pastKeys[0]);
  if (typeof heads !== 'number' || typeof headDim !== 'number')
    throw new ModelShapeError('past_key_values.0.key has no fixed heads × head size ([batch, heads, past, head size])');
  const outNames = new Set(outputs.map((o) => o.name));
  for (let l = 0; l < layers; l++)
    if (!outNames.has(`present.${l}.key`)) throw new ModelShapeError(`the model has no present.${l}.key output`);
  const logitsOut = outputs.find((o) => o.name === 'logits') ?? outputs.find((o) => o.name === 'next_logits');
  if (!logitsOut) throw new ModelShapeError('the model has no "logits" output');
  const vocabDim = dimsOf(logitsOut)[2];
  const nodes = g.node ?? [];
  const addOutput = (from: string, name: string, shape: (number | string)[]) => {
    nodes.push(onnx.NodeProto.create({ opType: 'Identity', input: [from], output: [name], name: `kvlens.${name}` }));
    outputs.push(
      onnx.ValueInfoProto.create({
        name,
        type: {
          tensorType: {
            elemType: onnx.TensorProto.DataType.FLOAT,
            shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
          },
        },
      }),
    );
  };

  let attention: AttentionSource,
    scale = 1 / Math.sqrt(headDim);
  if (Array.from({ length: layers }, (_, l) => `attentions.${l}`).every((n) => outNames.has(n))) attention = 'outputs';
  else {
    const softmaxes = nodes.filter((n) => n.opType === 'Softmax');
    const fused = nodes.filter((n) => FUSED.has(n.opType ?? '') && (n.domain === 'com.microsoft' || !n.domain));
    if (softmaxes.length === layers) {
      softmaxes.forEach((n, l) => addOutput(n.output![0], `attentions.${l}`, ['batch', heads, 'seq', 'total']));
      attention = 'softmax';
    } else if (
      fused.length === layers &&
      fused.every((n) => (n.input?.length ?? 0) >= 3 && n.input![1] && n.input![2])
    ) {
      // A fused operator with separate query/key/value inputs: the query is exposed; keys come from present.*.
      fused.forEach((n, l) => addOutput(n.input![0], `attention_query.${l}`, ['batch', 'seq', heads * headDim]));
      const s = fused[0].attribute?.find((a) => a.name === 'scale')?.f;
      if (s) scale = s;
      attention = 'recompute';
    } else if (fused.length === layers) {
      throw new ModelShapeError(
        `the model computes attention with ${fused[0].opType} over packed weights: no query to recompute attention from; export it without that fusion`,
      );
    } else {
      throw new ModelShapeError(
        `found ${softmaxes.length} Softmax and ${fused.length} fused attention nodes for ${layers} layers: cannot tell which are the attention`,
      );
    }
  }

  let nextLogits = outNames.has('next_logits');
  const head = nodes.find((n) => n.output?.includes('logits'));
  if (!nextLogits && head?.opType === 'MatMul' && head.input?.length === 2) {
    const c = (name: string, vals: number[]) => {
      g.initializer = [
        ...(g.initializer ?? []),
        onnx.TensorProto.create({
          name,
          dims: [vals.length],
          dataType: onnx.TensorProto.DataType.INT64,
          rawData: new Uint8Array(BigInt64Array.from(vals.map(BigInt)).buffer),
        }),
      ];
      return name;
    };
    const last = 'kvlens.last_hidden';
    nodes.push(
      onnx.NodeProto.create({
        opType: 'Slice',
        name: 'kvlens.slice_last',
        output: [last],
        input: [head.input[0], c('kvlens.c_minus1', [-1]), c('kvlens.c_max', [2 ** 62]), c('kvlens.c_axis1', [1])],
      }),
    );
    nodes.push(
      onnx.NodeProto.create({
        opType: 'MatMul',
        name: 'kvlens.next_logits',
        input: [last, head.input[1]],
        output: ['next_logits'],
      }),
    );
    outputs.push(
      onnx.ValueInfoProto.create({
        name: 'next_logits',
        type: {
          tensorType: {
            elemType: onnx.TensorProto.DataType.FLOAT,
            shape: {
              dim: [
                { dimParam: 'batch' },
                { dimValue: 1 },
                typeof vocabDim === 'number' ? { dimValue: vocabDim } : { dimParam: 'vocab' },
              ],
            },
          },
        },
      }),
    );
    nextLogits = true;
  }
  const dropped = nextLogits && outNames.has('logits');
  g.output = dropped ? outputs.filter((o) => o.name !== 'logits') : outputs;
  g.node = dropped ? liveNodes(nodes, g.output) : nodes;
  const wpe = (g.initializer ?? []).find((t) => /wpe/.test(t.name ?? ''));
  const shape: ModelShape = {
    layers,
    heads,
    headDim,
    vocab: typeof vocabDim === 'number' ? vocabDim : undefined,
    maxPositions: wpe?.dims?.length === 2 ? Number(wpe.dims[0]) : undefined,
    attention,
    scale,
    nextLogits,
    positionIds: names.has('position_ids'),
  };
  const touched = attention !== 'outputs' || !outNames.has('next_logits') || dropped;
  return { bytes: touched ? onnx.ModelProto.encode(model).finish() : bytes, shape };
}

/** The nodes an output of the graph depends on (a graph is listed in topological order: one pass from the end). */
function liveNodes<
  N extends {
    input?: string[] | null;
    output?: string[] | null;
    attribute?: { g?: unknown; graphs?: unknown[] | null }[] | null;
  },
>(nodes: readonly N[], outputs: readonly { name?: string | null }[]): N[] {
  // A node with a subgraph (If, Loop) reads outer values its inputs do not list: such a graph is left whole.
  if (nodes.some((n) => n.attribute?.some((a) => a.g || a.graphs?.length))) return [...nodes];
  const needed = new Set(outputs.map((o) => o.name ?? ''));
  const live: N[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!(n.output ?? []).some((o) => needed.has(o))) continue;
    live.push(n);
    for (const x of n.input ?? []) if (x) needed.add(x);
  }
  return live.reverse();
}
