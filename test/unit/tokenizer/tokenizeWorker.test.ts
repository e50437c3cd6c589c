import assert from 'node:assert/strict';
import path from 'node:path';
import { getTokenizer } from '../../../src/core/tokenizer/registry';
import { startNodeTokenizeWorker } from '../../../src/extension/tokenize/nodeWorkerHost';
import { mixed, seeded } from './sampleTexts';

// The real worker bundle, built by scripts/build.mjs before the tests run (this file runs from <out>/test/unit/tokenizer/).
const script = path.resolve(__dirname, '../../../../dist/extension/tokenize-worker-node.js');

describe('tokenize worker (Node worker_threads)', () => {
  it('returns the same state as the in-process tokenizer for a 300 KB document, and its state edits incrementally', async () => {
    const w = startNodeTokenizeWorker(script);
    try {
      const text = mixed(seeded(21), 300_000);
      const s = await w.tokenize('o200k_base', text);
      const local = getTokenizer('o200k_base')!.tokenize(text);
      assert.deepEqual(s.ids, local.ids);
      assert.deepEqual(s.offsets, local.offsets);
      assert.equal(s.text, text);
      const r = getTokenizer('o200k_base')!.retokenize(s, { start: 10, end: 12, text: 'xyz' });
      assert.deepEqual(r.state.ids, getTokenizer('o200k_base')!.tokenize(r.state.text).ids);
    } finally {
      w.dispose();
    }
  });

  it('rejects an encoding it does not have, and says which encodings it supports', async () => {
    const w = startNodeTokenizeWorker(script);
    try {
      assert.equal(w.supports('cl100k_base'), true);
      assert.equal(w.supports('llama3'), false);
      await assert.rejects(w.tokenize('p99k', 'x'), /unknown encoding "p99k"/);
    } finally {
      w.dispose();
    }
  });

  it('rejects pending requests when the worker cannot start', async () => {
    const w = startNodeTokenizeWorker(path.join(__dirname, 'no-such-worker.js'));
    await assert.rejects(w.tokenize('o200k_base', 'hello'));
    assert.equal(w.supports('o200k_base'), false);
    w.dispose();
  });
});
