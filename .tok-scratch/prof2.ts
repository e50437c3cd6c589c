import { getTokenizer } from '../src/core/tokenizer/registry';
import * as S from '../test/unit/tokenizer/sampleTexts';
const t = getTokenizer('o200k_base')!;
for (const k of ['prose', 'code', 'json', 'cjk', 'emoji', 'whitespaceRuns', 'mixed'] as const) {
  const s = (S as any)[k](S.seeded(4), 20000);
  t.tokenize(s);
  const a = performance.now(); for (let i = 0; i < 50; i++) t.tokenize(s); const ms = (performance.now() - a) / 50;
  console.log(k, 'full ms', ms.toFixed(2));
}
