// Load time, heap and encode speed of the offline third-party tokenizers, and of the estimates, on ~100 KB of
// mixed prompt text. Last stdout line: one JSON object (scripts/bench.mjs).
import { getTokenizer, registerTokenizer } from '../src/core/tokenizer/registry';
import { registerPackagedHfTokenizers } from '../src/node/hfTokenizerFiles';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const unit =
  'You are a careful assistant. Summarise the following log and list the errors.\n' +
  'function retry(fn, n) {\n  for (let i = 0; i < n; i++) { try { return fn(); } catch (e) { log(e); } }\n}\n' +
  '请用中文回答：缓存命中率是多少？ 😀\n';
const text = unit.repeat(Math.ceil(100_000 / unit.length)).slice(0, 100_000);

const result: Record<string, unknown> = { textChars: text.length };
for (const name of registerPackagedHfTokenizers(registerTokenizer)) {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const tok = getTokenizer(name)!;
  tok.count('warm');
  const loadMs = performance.now() - t0;
  gc();
  const heapMB = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  const t1 = performance.now();
  const state = tok.tokenize(text);
  const encodeMs = performance.now() - t1;
  result[name] = {
    loadMs: Math.round(loadMs),
    heapMB: Math.round(heapMB),
    tokenizeMs100KB: Math.round(encodeMs),
    tokens: state.ids.length,
  };
}
for (const name of ['claude_estimate', 'gemini_estimate']) {
  const tok = getTokenizer(name)!;
  tok.count('warm');
  const t1 = performance.now();
  const state = tok.tokenize(text);
  const ms = performance.now() - t1;
  const t2 = performance.now();
  tok.retokenize(state, { start: 50_000, end: 50_001, text: 'X' });
  result[name] = {
    tokenizeMs100KB: Math.round(ms),
    retokenizeMs: Math.round(performance.now() - t2),
    tokens: state.ids.length,
  };
}
console.log(JSON.stringify(result));
