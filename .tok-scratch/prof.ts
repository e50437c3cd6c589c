import { getTokenizer } from '../src/core/tokenizer/registry';
import { mixed, seeded } from '../test/unit/tokenizer/sampleTexts';
const t = getTokenizer('o200k_base')!;
for (const size of [20000, 30000]) {
  const s = mixed(seeded(4), size);
  t.tokenize(s);
  const a = performance.now(); for (let i = 0; i < 100; i++) t.tokenize(s); const ms = (performance.now() - a) / 100;
  const st = t.tokenize(s);
  const b = performance.now(); for (let i = 0; i < 100; i++) require('node:assert').deepStrictEqual(st.ids, st.ids.slice()); const cmp = (performance.now() - b) / 100;
  console.log(size, 'full ms', ms.toFixed(2), 'deepEqual ms', cmp.toFixed(2), st.ids.length);
}
