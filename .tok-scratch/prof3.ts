import { getTokenizer } from '../src/core/tokenizer/registry';
import * as S from '../test/unit/tokenizer/sampleTexts';
const t = getTokenizer('o200k_base')!;
const k = process.argv[2];
const s = (S as any)[k](S.seeded(4), 20000);
t.tokenize(s);
const a = performance.now(); for (let i = 0; i < 200; i++) t.tokenize(s); const ms = (performance.now() - a) / 200;
console.log(k, 'full ms', ms.toFixed(2));
