// Parsing and rendering prompt files: a 5 MB Chat Completions log (2,000 messages with escapes), cold render, and the
// edit loop (re-parse + re-render after changing the last message, segment memo warm); plus the size guard on 50 MB and
// a 19 MB JSONL just under the limit. Prints one JSON object on its last line.
import { parsePrompt } from '../src/core/prompt/parse';
import { renderPrompt } from '../src/core/prompt/render';
import { SegmentCache } from '../src/core/prompt/segmentCache';
import { getTokenizer } from '../src/core/tokenizer/registry';

const tokenizer = getTokenizer('o200k_base')!;
const para =
  'The cache keeps key and value rows of every prompt token, so a later request with the same prefix skips them.\n';
const messages = Array.from({ length: 2000 }, (_, i) => ({
  role: i % 2 ? 'assistant' : 'user',
  content: `Turn ${i}.\n` + para.repeat(20),
}));
const body = (last: string) =>
  JSON.stringify({ model: 'gpt-4o', messages: [...messages.slice(0, -1), { role: 'user', content: last }] }, null, 1);
const text = body('first version');
const edited = body('second version');

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
};
const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];

const [doc, parseMs] = time(() => parsePrompt(text, { fileName: 'log.json' }));
const cache = new SegmentCache(64 * 1024 * 1024, 100_000);
const [rendered, coldRenderMs] = time(() => renderPrompt(doc.prompts[0], tokenizer, { cache }));
const editMs: number[] = [];
for (let i = 0; i < 9; i++) {
  editMs.push(
    time(() =>
      renderPrompt(parsePrompt(i % 2 ? text : edited, { fileName: 'log.json' }).prompts[0], tokenizer, { cache }),
    )[1],
  );
}
const huge = 'x'.repeat(50 * 1024 * 1024);
huge.charCodeAt(huge.length - 1); // flatten outside the timing
const [, hugeMs] = time(() => parsePrompt(huge, { fileName: 'huge.txt' }));
const line = JSON.stringify({ messages: [{ role: 'user', content: para.repeat(8) }] });
const jsonl = Array.from({ length: Math.floor((19 * 1024 * 1024) / (line.length + 1)) }, () => line).join('\n');
const [jdoc, jsonl19MbMs] = time(() => parsePrompt(jsonl, { fileName: 'big.jsonl' }));

console.log(
  JSON.stringify({
    chatJsonMB: +(text.length / 1048576).toFixed(2),
    messages: messages.length,
    tokens: rendered.ids.length,
    parseMs: +parseMs.toFixed(1),
    coldRenderMs: +coldRenderMs.toFixed(1),
    editReparseRenderMsMedian: +median(editMs).toFixed(1),
    refuse50MbMs: +hugeMs.toFixed(1),
    jsonl19MbPrompts: jdoc.prompts.length,
    jsonl19MbParseMs: +jsonl19MbMs.toFixed(1),
  }),
);
