import assert from 'node:assert/strict';
import { getTokenizer } from '../../../src/core/tokenizer/registry';
import { UNICODE_17_ADDITIONS } from '../../../src/core/tokenizer/splitPatterns';
import { oracleIds, oracleOffsets } from './tiktokenOracle';
import {
  GAP_CASES,
  cjk,
  code,
  emoji,
  int,
  json,
  mixed,
  prose,
  randomUnicode,
  seeded,
  whitespaceRuns,
} from './sampleTexts';

// o200k_harmony is checked below as o200k_base's engine (same ranks and split pattern): equal to it on every text,
// so equal to tiktoken — the tiktoken calls are not repeated for it.
const ENCODINGS = ['o200k_base', 'cl100k_base', 'r50k_base'];

/** ~3,500 texts: the gap cases, then seeded samples of every kind at many lengths. */
function corpus(): string[] {
  const rnd = seeded(20260101);
  const out = [...GAP_CASES];
  const kinds = [prose, code, json, cjk, emoji, whitespaceRuns, mixed];
  for (const k of kinds) for (let i = 0; i < 150; i++) out.push(k(rnd, 1 + int(rnd, i < 100 ? 200 : 3000)));
  for (let i = 0; i < 2000; i++) out.push(randomUnicode(rnd, 1 + int(rnd, 40)));
  for (let i = 0; i < 300; i++) {
    // gap cases glued to context
    const a = GAP_CASES[int(rnd, GAP_CASES.length)],
      b = GAP_CASES[int(rnd, GAP_CASES.length)];
    out.push(prose(rnd, int(rnd, 30)) + a + b + code(rnd, int(rnd, 30)));
  }
  return out;
}

describe('OpenAI encodings match tiktoken', () => {
  const texts = corpus();

  for (const name of ENCODINGS) {
    it(`${name}: ids identical to tiktoken on ${texts.length} texts (gap cases, prose, code, JSON, CJK, emoji, white space, random Unicode)`, () => {
      const t = getTokenizer(name)!;
      let failures = 0;
      const firstFailures: string[] = [];
      for (const text of texts) {
        const got = Array.from(t.encode(text)),
          want = oracleIds(name, text);
        if (got.length !== want.length || got.some((x, i) => x !== want[i])) {
          failures++;
          if (firstFailures.length < 5)
            firstFailures.push(`${JSON.stringify(text.slice(0, 80))}: ${got.slice(0, 12)} vs ${want.slice(0, 12)}`);
        }
      }
      assert.equal(failures, 0, firstFailures.join('\n'));
    });

    it(`${name}: offsets follow the documented rule (checked from tiktoken's token bytes)`, () => {
      const t = getTokenizer(name)!;
      for (const text of texts) {
        const s = t.tokenize(text);
        assert.equal(s.offsets.length, s.ids.length + 1);
        assert.deepEqual(
          Array.from(s.offsets),
          oracleOffsets(name, text, Array.from(s.ids)),
          JSON.stringify(text.slice(0, 80)),
        );
      }
    });
  }

  it(`o200k_harmony: the ids and offsets of o200k_base (checked against tiktoken above) on all ${texts.length} texts`, () => {
    const h = getTokenizer('o200k_harmony')!,
      o = getTokenizer('o200k_base')!;
    for (const text of texts) {
      const a = h.tokenize(text),
        b = o.tokenize(text);
      assert.deepEqual(a.ids, b.ids, JSON.stringify(text.slice(0, 80)));
      assert.deepEqual(a.offsets, b.offsets, JSON.stringify(text.slice(0, 80)));
    }
  });

  it('encodes each gap case as tiktoken does and never throws on special-token text', () => {
    const t = getTokenizer('o200k_base')!;
    assert.deepEqual(Array.from(t.encode('\ufeff')), oracleIds('o200k_base', '\ufeff'));
    assert.equal(t.encode('\ufeff').length, 1);
    assert.deepEqual(Array.from(t.encode('<|endoftext|>')), [27, 91, 419, 1440, 919, 91, 29]);
    assert.deepEqual(Array.from(t.encode('a \u0085b')), oracleIds('o200k_base', 'a \u0085b'));
    assert.deepEqual(Array.from(t.encode(' \ufeffhello')), oracleIds('o200k_base', ' \ufeffhello'));
  });

  it('classifies code points as tiktoken does: all Unicode 17 additions and every 61st code point, in letter/number/apostrophe probes', () => {
    const cps: number[] = [];
    for (const [a, b] of UNICODE_17_ADDITIONS) for (let c = a; c <= b; c++) cps.push(c);
    for (let c = 0x80; c < 0x110000; c += 61) if (c < 0xd800 || c > 0xdfff) cps.push(c);
    for (const name of ['o200k_base', 'cl100k_base']) {
      const t = getTokenizer(name)!;
      const bad: string[] = [];
      for (const c of cps) {
        const ch = String.fromCodePoint(c);
        for (const p of [ch + "'t", 'a' + ch + 'b', ch + '1234', 'A' + ch + "a'S", ' ' + ch + ' x']) {
          if (Array.from(t.encode(p)).join() !== oracleIds(name, p).join()) {
            bad.push(c.toString(16));
            break;
          }
        }
      }
      assert.deepEqual(bad.slice(0, 20), [], `${name}: ${bad.length} code points differ`);
    }
  });

  it('count() and encode() agree with tokenize()', () => {
    const t = getTokenizer('cl100k_base')!;
    const text = mixed(seeded(7), 5000);
    assert.equal(t.count(text), t.tokenize(text).ids.length);
    assert.deepEqual(t.encode(text), t.tokenize(text).ids);
  });
});
