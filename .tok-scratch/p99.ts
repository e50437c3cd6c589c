import { getTokenizer } from '../src/core/tokenizer/registry';
import { randomEdit } from '../test/unit/tokenizer/randomEdits';
import { code, int, mixed, prose, seeded } from '../test/unit/tokenizer/sampleTexts';
const t = getTokenizer('cl100k_base')!;
const rnd = seeded(42);
let text = '';
while (text.length < 1 << 20) text += [prose, code, mixed][int(rnd, 3)](rnd, 20_000 + int(rnd, 40_000));
let st = t.tokenize(text);
let cursor = int(rnd, text.length);
const slow: string[] = [];
for (let n = 0; n < 3000; n++) {
  const edit = randomEdit(rnd, st.text, cursor, [(1 << 20) - 50_000, (1 << 20) + 50_000]);
  cursor = edit.start + edit.text.length;
  const newText = st.text.slice(0, edit.start) + edit.text + st.text.slice(edit.end);
  /x/y.test(newText);
  const a = performance.now();
  const res = t.retokenize(st, edit, newText);
  const ms = performance.now() - a;
  if (ms > 4) {
    const b = performance.now(); t.retokenize(st, edit, newText); const again = performance.now() - b;
    const b2 = performance.now(); t.retokenize(st, edit, newText); const again2 = performance.now() - b2;
    slow.push(`win ${(t as any).window.length} ${ms.toFixed(1)} again ${again.toFixed(1)} ${again2.toFixed(1)} del ${edit.end - edit.start} ins ${edit.text.length} first ${res.firstChangedToken} ${JSON.stringify(st.text.slice(edit.start - 20, edit.end + 20)).slice(0, 80)} -> ${JSON.stringify(edit.text.slice(0, 40))}`);
  }
  st = res.state;
}
console.log(slow.join('\n'));
