import assert from 'node:assert/strict';
import o200kRanks from 'gpt-tokenizer/bpeRanks/o200k_base';
import cl100kRanks from 'gpt-tokenizer/bpeRanks/cl100k_base';
import { mergeQuadratic, mergeWithHeap } from '../../../src/core/tokenizer/bytePairMerge';
import { buildRankTable, type RawRanks } from '../../../src/core/tokenizer/rankTable';
import { toByteString } from '../../../src/core/tokenizer/pieceBytes';
import { getTokenizer } from '../../../src/core/tokenizer/registry';
import { oracleIds } from './tiktokenOracle';
import { cjk, code, emoji, int, pick, prose, randomUnicode, seeded } from './sampleTexts';

describe('heap byte-pair merge', () => {
  for (const [name, raw] of [
    ['o200k_base', o200kRanks],
    ['cl100k_base', cl100kRanks],
  ] as const) {
    it(`${name}: gives the same tokens as the quadratic reference on 3,000 random pieces`, () => {
      const table = buildRankTable(raw as RawRanks);
      const rnd = seeded(99);
      const makers = [
        () => pick(rnd, [' ', 'a', '-', '=', '\n', '0', 'ab', ' the', '你', '🙂']).repeat(1 + int(rnd, 300)),
        () => prose(rnd, 1 + int(rnd, 400)).replace(/[\s]/g, ''),
        () => code(rnd, 1 + int(rnd, 400)),
        () => cjk(rnd, 1 + int(rnd, 200)),
        () => emoji(rnd, 1 + int(rnd, 100)),
        () => randomUnicode(rnd, 1 + int(rnd, 150)),
      ];
      for (let i = 0; i < 3000; i++) {
        const bytes = toByteString(pick(rnd, makers)());
        assert.deepEqual(
          mergeWithHeap(bytes, table, 256),
          mergeQuadratic(bytes, table, 256),
          JSON.stringify(bytes.slice(0, 60)),
        );
      }
    });
  }

  it('tokenizes one 200 KB piece (spaces; one letter) like tiktoken does on a shorter copy, scaled', () => {
    // tiktoken itself is quadratic on such input, so the oracle runs on 8 KB and the result must extend regularly.
    const t = getTokenizer('o200k_base')!;
    for (const ch of [' ', 'a']) {
      const small = ch.repeat(8192);
      assert.deepEqual(Array.from(t.encode(small)), oracleIds('o200k_base', small));
      const big = t.tokenize(ch.repeat(200_000));
      assert.equal(big.offsets[big.ids.length], 200_000);
      assert.ok(big.ids.length > 200_000 / 256, `too few tokens: ${big.ids.length}`);
      // The same token must make up the bulk of it, as in the 8 KB oracle result.
      const common = oracleIds('o200k_base', small)[0];
      assert.ok(Array.from(big.ids.subarray(0, 100)).every((x) => x === common));
    }
  });
});
