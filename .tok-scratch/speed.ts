import { getTokenizer } from '/work/main/src/core/tokenizer/registry';
import { prose, code, cjk, mixed, seeded } from '/work/main/test/unit/tokenizer/sampleTexts';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
const t = getTokenizer('o200k_base')!;
const texts = { prose: prose(seeded(1), 1 << 20), code: code(seeded(2), 1 << 20), cjk: cjk(seeded(3), 1 << 18), mixed: mixed(seeded(4), 30000) };
for (const [k, s] of Object.entries(texts)) {
  for (let r = 0; r < 3; r++) {
    let a = performance.now(); const st = t.tokenize(s); const ours = performance.now() - a;
    a = performance.now(); const g = encode(s, { disallowedSpecial: new Set() }); const gt = performance.now() - a;
    console.log(k, 'ours', ours.toFixed(1), 'gpt', gt.toFixed(1), st.ids.length, g.length);
  }
}
