import assert from 'node:assert/strict';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import { encode } from 'gpt-tokenizer/encoding/r50k_base';
import { attentionOnPrefix, blockSummary, meanOverHeads } from '../../../src/core/attention/attentionMath';
import { DEMO_CONFIG, demoWeights, randomWeights, type Gpt2Weights } from '../../../src/core/attention/demoWeights';
import { adaptGpt2Graph, ModelShapeError } from '../../../src/core/attention/graphAdapt';
import { KvSession } from '../../../src/core/attention/kvSession';
import { DEMO_GRAPH, demoGraph } from '../../../src/core/attention/demoGraph';
import { buildGpt2Onnx } from '../../../src/core/attention/onnxBuild';
import { referenceForward } from './reference';

const { onnx } = onnxProto;
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  assert.equal(a.length, b.length, 'same length');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const PROMPT =
  'You are a support agent for Acme. Answer politely and cite the handbook. The customer asks about the refund policy; the refund policy says refunds take five days.';

async function open(w: Gpt2Weights, options = {}) {
  const { bytes, shape } = adaptGpt2Graph(buildGpt2Onnx(w, options));
  return KvSession.create(ort, bytes, shape, ['wasm']);
}

describe('attention: the demo GPT-2 on onnxruntime-web (WASM, in Node)', function () {
  this.timeout(60000);
  const w = demoWeights();
  const ids = encode(PROMPT);
  let session: KvSession;
  before(async () => {
    session = await open(w, DEMO_GRAPH);
  });
  after(async () => session?.release());

  it("has GPT-2's vocabulary and context, builds small (float16 token embedding), computes only the last logits", () => {
    const bytes = demoGraph();
    const outputs = onnx.ModelProto.decode(bytes).graph!.output!.map((o) => o.name);
    assert.ok(outputs.includes('next_logits') && !outputs.includes('logits'), outputs.join(', '));
    assert.equal(w.cfg.vocab, 50257);
    assert.equal(w.cfg.nCtx, 1024);
    assert.ok(bytes.length < 4.5e6, `${bytes.length} bytes`);
    assert.deepEqual(adaptGpt2Graph(bytes).shape, {
      layers: 2,
      heads: 4,
      headDim: 8,
      vocab: 50257,
      maxPositions: 1024,
      attention: 'outputs',
      scale: 1 / Math.sqrt(8),
      nextLogits: true,
      positionIds: true,
    });
  });

  it("computes the logits and every head's attention of the float64 reference (≤ 1e-5)", async () => {
    const ref = referenceForward(w, ids);
    const S = ids.length;
    for (const layer of [0, 1]) {
      session.clear();
      const r = await session.run(ids, layer);
      assert.equal(r.reused, 0);
      assert.ok(maxDiff(r.attention, ref.attn[layer].flat(2)) <= 1e-5, `layer ${layer} attention`);
      assert.ok(maxDiff(r.nextLogits, ref.logits[S - 1]) <= 1e-5, 'next-token logits');
    }
  });

  it('layer 0 has the heads it was built for: previous token, first token, earlier occurrences of the same token', () => {
    const { attn } = referenceForward(w, ids),
      A = attn[0],
      S = ids.length;
    let prev = 0,
      first = 0,
      same = 0,
      repeats = 0,
      random = 0;
    for (let i = 1; i < S; i++) {
      prev += A[0][i][i - 1];
      first += A[1][i][0];
      random = Math.max(random, ...A[3][i].slice(0, i + 1));
      const earlier = ids.slice(0, i).flatMap((t, j) => (t === ids[i] ? [j] : []));
      if (earlier.length) {
        repeats++;
        same += earlier.reduce((s, j) => s + A[2][i][j], 0) / (1 - A[2][i][i] || 1);
      }
    }
    assert.ok(prev / (S - 1) > 0.9, `previous-token head: ${prev / (S - 1)}`);
    assert.ok(first / (S - 1) > 0.95, `first-token head: ${first / (S - 1)}`);
    assert.ok(repeats >= 3 && same / repeats > 0.9, `same-token head: ${same / repeats} over ${repeats} repeats`);
    assert.ok(random < 0.6, 'the random head stays diffuse');
    assert.deepEqual(w.heads[0], ['previous-token', 'first-token', 'same-token', 'random']);
  });

  it("is a prompt cache: after an edit it computes only from the first changed token, with the full run's numbers", async () => {
    session.clear();
    await session.run(ids, 0);
    const edited = encode(PROMPT.replace('five days', 'ten business days'));
    const common = edited.findIndex((t, i) => t !== ids[i]);
    assert.equal(session.reusableFor(edited), common);
    const cached = await session.run(edited, 0);
    assert.equal(cached.reused, common);
    assert.equal(cached.computed, edited.length - common);
    const v = await session.verify(edited, cached);
    assert.ok(v.maxAbsDiffLogits <= 1e-5, `logits ${v.maxAbsDiffLogits}`);
    assert.ok(v.maxAbsDiffAttention <= 1e-5, `attention ${v.maxAbsDiffAttention}`);
    const ref = referenceForward(w, edited);
    assert.ok(
      maxDiff(cached.attention, ref.attn[0].flat(2)) <= 1e-5,
      "the kept rows and the new rows are the reference's",
    );
  });

  it('an edit near the top drops the cached rows after it; the same text again reuses all but the last token', async () => {
    session.clear();
    await session.run(ids, 1);
    const top = encode(PROMPT.replace('Acme', 'Globex'));
    const r = await session.run(top, 1);
    assert.ok(r.reused > 0 && r.reused < 10, `reused ${r.reused}`);
    assert.ok((await session.verify(top, r)).maxAbsDiffLogits <= 1e-5);
    const again = await session.run(top, 1);
    assert.equal(again.reused, top.length - 1);
    assert.equal(again.computed, 1);
    const appended = await session.run([...top, ...encode(' Thank you.')], 1);
    assert.equal(appended.reused, top.length);
    const layerSwitch = await session.run([...top, ...encode(' Thank you.')], 0);
    assert.equal(layerSwitch.reused, 0, 'another layer is computed whole once (its earlier rows were not kept)');
  });
});

describe('attention: adapting ordinary exports (no attention outputs)', function () {
  this.timeout(60000);
  const w = demoWeights({ ...DEMO_CONFIG, vocab: 512, nCtx: 128 });
  const ids = Array.from({ length: 40 }, (_, i) => (i * 37 + 11) % 97);
  const ref = referenceForward(w, ids);

  for (const [label, options, source] of [
    ['Softmax inside: its output is exposed', { attentionOutputs: false, nextLogits: false }, 'softmax'],
    [
      'fused MultiHeadAttention (no Softmax): recomputed from the query and present.*.key',
      { fusedAttention: true, nextLogits: false },
      'recompute',
    ],
  ] as const) {
    it(label, async () => {
      const raw = buildGpt2Onnx(w, options);
      const { shape, bytes } = adaptGpt2Graph(raw);
      assert.equal(shape.attention, source);
      assert.equal(shape.nextLogits, true, 'next_logits added');
      // onnxruntime computes every output, fetched or not: the export's S × vocabulary logits are taken out, with
      // the head's product that only they needed (the tied embedding stays: the input's Gather reads it).
      const g = onnx.ModelProto.decode(bytes).graph!;
      assert.deepEqual(
        g.output!.map((o) => o.name).filter((n) => /logits/.test(n!)),
        ['next_logits'],
      );
      assert.ok(!g.node!.some((n) => n.output!.includes('logits')), 'no node makes the full logits');
      assert.equal(
        g.node!.filter((n) => n.opType === 'MatMul' && n.output!.some((o) => /logits/.test(o))).length,
        1,
        'one product with the head: the last position',
      );
      const s = await open(w, options);
      for (const layer of [0, 1]) {
        s.clear();
        const r = await s.run(ids, layer);
        assert.ok(maxDiff(r.attention, ref.attn[layer].flat(2)) <= 1e-5, `layer ${layer}`);
        assert.ok(maxDiff(r.nextLogits, ref.logits.at(-1)!) <= 1e-5);
      }
      const edited = [...ids.slice(0, 30), 5, 6, 7];
      const r = await s.run(edited, 1);
      assert.equal(r.reused, 30);
      const v = await s.verify(edited, r);
      assert.ok(v.maxAbsDiffAttention <= 1e-5 && v.maxAbsDiffLogits <= 1e-5, JSON.stringify(v));
      await s.release();
    });
  }

  it('says what is wrong with a file that is not a GPT-2 export with a KV cache', () => {
    assert.throws(() => adaptGpt2Graph(new Uint8Array([1, 2, 3, 4, 5])), ModelShapeError);
    const noCache = buildGpt2Onnx(randomWeights({ ...DEMO_CONFIG, vocab: 64, nCtx: 16, nLayer: 1 }));
    // A graph whose inputs were renamed the way exports without a cache name them.
    const renamed = Uint8Array.from(noCache),
      needle = new TextEncoder().encode('past_key_values');
    for (let i = 0; i + needle.length <= renamed.length; i++)
      if (needle.every((b, j) => renamed[i + j] === b)) renamed[i + needle.length - 1] = 0x5a;
    assert.throws(() => adaptGpt2Graph(renamed), /no past_key_values\.\{layer\}\.key inputs/);
  });
});

describe('attention: what the panel computes from it', () => {
  const S = 4;
  // Rows: token 0 → itself; then rows that put 0.5 / 0.25 on the first two tokens.
  const m = Float32Array.from([1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.5, 0.25, 0.25, 0, 0.25, 0.25, 0.25, 0.25]);
  it("the share of the uncached tokens' attention that falls on the cached prefix", () => {
    assert.equal(attentionOnPrefix(m, S, 2), (0.75 + 0.5) / 2);
    assert.equal(attentionOnPrefix(m, S, 0), null);
    assert.equal(attentionOnPrefix(m, S, 4), null);
  });
  it('block × block summary rows sum to one; the mean over heads', () => {
    const b = blockSummary(m, S, [
      { label: 'system', start: 0, end: 2 },
      { label: 'user', start: 2, end: 4 },
    ]);
    assert.deepEqual(Array.from(b), [1, 0, 0.625, 0.375]);
    assert.deepEqual(
      Array.from(meanOverHeads(Float32Array.from([...m, ...m.map((x) => 1 - x)]), 2, S)),
      new Array(16).fill(0.5),
    );
  });
});
