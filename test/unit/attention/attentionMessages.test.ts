import assert from 'node:assert/strict';
import { documentTokens } from '../../../src/core/attention/documentTokens';
import { getTokenizer } from '../../../src/core/tokenizer/registry';
import { preloadEncoding } from '../../../src/core/tokenizer/openAiEncodings';
import { attentionMessage } from '../../../src/extension/webviews/messageChecks';

// What the attention panel tells the host about its start-up and its backends is checked like every other message,
// and the text it runs is cut to the model's context the same way for the editor and the benchmark.
describe('attention panel: start-up messages and the text it runs', () => {
  const timing = {
    backend: 'wasm',
    elapsedMs: 812.5,
    scriptMs: 40,
    wasmFetchMs: 120,
    compileMs: 90,
    modelLoadMs: 30,
    sessionMs: 60,
    documentMs: 20,
    firstRunMs: 200,
    firstPaintMs: 12,
    firstTokens: 256,
    wasmCached: true,
    modelCached: false,
    modelBuilt: true,
    rowsKept: false,
  };

  it('a first-paint breakdown passes with every part a finite, non-negative number of ms', () => {
    assert.deepEqual(attentionMessage({ type: 'firstPaint', timing }, 10), { type: 'firstPaint', timing });
    for (const bad of [
      { ...timing, compileMs: -1 },
      { ...timing, sessionMs: Number.NaN },
      { ...timing, backend: 'cuda' },
      { ...timing, wasmCached: 'yes' },
      { ...timing, firstTokens: 2.5 },
      { ...timing, modelBuilt: undefined },
      { ...timing, rowsKept: 'no' },
    ])
      assert.equal(attentionMessage({ type: 'firstPaint', timing: bad }, 10), undefined, JSON.stringify(bad));
  });

  it('a start-up step passes by its name (the host hears the panel is at work); anything else is dropped', () => {
    for (const step of ['runtime', 'compile', 'build', 'model', 'session', 'text', 'run'])
      assert.deepEqual(attentionMessage({ type: 'loading', step }, 10), { type: 'loading', step });
    for (const step of ['download', '', 3, undefined, { step: 'run' }])
      assert.equal(attentionMessage({ type: 'loading', step }, 10), undefined, JSON.stringify(step));
  });

  it('a measured backend choice passes; WebGPU failing is a null time with a note', () => {
    const choice = {
      backend: 'wasm',
      tokens: 64,
      wasmMs: 12.5,
      webgpuMs: 340,
      webgpu: { wasmFetchMs: 400, compileMs: 80, sessionMs: 900, firstRunMs: 5000 },
    };
    assert.deepEqual(attentionMessage({ type: 'backendMeasured', model: 'demo', choice }, 10), {
      type: 'backendMeasured',
      model: 'demo',
      choice,
    });
    const failed = { backend: 'wasm', tokens: 64, wasmMs: 0, webgpuMs: null, note: 'WebGPU could not run the model' };
    assert.ok(attentionMessage({ type: 'backendMeasured', model: 'demo', choice: failed }, 10));
    assert.equal(
      attentionMessage({ type: 'backendMeasured', model: 'demo', choice: { ...choice, webgpuMs: -3 } }, 10),
      undefined,
    );
    assert.equal(
      attentionMessage({ type: 'backendMeasured', model: 7, choice }, 10),
      undefined,
      'the model id is a string',
    );
  });

  it("the text is cut to the model's context; what lies beyond is counted (small texts) or estimated (big ones)", async () => {
    await preloadEncoding('r50k_base');
    const r50k = getTokenizer('r50k_base')!;
    const text = 'The refund policy says refunds take five days. '.repeat(200);
    const read = (from: number, to: number) => text.slice(from, to);
    const all = r50k.count(text);
    const cut = documentTokens(r50k, read, text.length, 100);
    assert.equal(cut.tokens.length, 100);
    assert.equal(cut.cutTokens, all - 100);
    assert.equal(cut.cutTokensEstimated, false);
    assert.equal(cut.tokens.map((t) => t.text).join(''), text.slice(0, cut.tokens[99].end));
    const whole = documentTokens(r50k, read, text.length, 5000);
    assert.equal(whole.tokens.length, all);
    assert.equal(whole.cutTokens, 0);
    const big = 'word '.repeat(60_000);
    const est = documentTokens(r50k, (a, b) => big.slice(a, b), big.length, 1024);
    assert.equal(est.cutTokensEstimated, true);
    assert.ok(Math.abs(est.cutTokens - (r50k.count(big) - 1024)) / r50k.count(big) < 0.05, String(est.cutTokens));
  });
});
