// Full tokenization throughput (ours with offsets, ours ids-only, raw gpt-tokenizer, tiktoken WASM), long single
// pieces (the quadratic-BPE freeze), and the memory of a 1 MB prompt's token state.
// Last stdout line: one JSON object (scripts/bench.mjs).
import { encode as gptO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { encode as gptCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encode as gptHarmony } from 'gpt-tokenizer/encoding/o200k_harmony';
import { getTokenizer } from '../src/core/tokenizer/registry';
import { cjk, code, prose, seeded } from '../test/unit/tokenizer/sampleTexts';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { get_encoding } = require('tiktoken') as typeof import('tiktoken');

const NS = { disallowedSpecial: new Set<string>() };
const GPT: Record<string, (t: string, o: typeof NS) => number[]> = {
  o200k_base: gptO200k,
  cl100k_base: gptCl100k,
  o200k_harmony: gptHarmony,
};
const RUNS = 5;
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const r2 = (x: number) => Math.round(x * 100) / 100;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

function time(fn: () => unknown, runs = RUNS): number {
  fn(); // warm-up (also fills merge caches, as in an editor session)
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    fn();
    ms.push(performance.now() - a);
  }
  return median(ms);
}

const texts: Record<string, string> = {
  prose_1MB: prose(seeded(1), 1 << 20),
  code_1MB: code(seeded(2), 1 << 20),
  cjk_256KB: cjk(seeded(3), 1 << 18),
};
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

const throughput: Record<string, Record<string, unknown>> = {};
for (const enc of ['o200k_base', 'cl100k_base', 'o200k_harmony']) {
  const t = getTokenizer(enc)!;
  const tk = get_encoding(enc === 'o200k_harmony' ? 'o200k_base' : (enc as 'o200k_base'));
  for (const [name, text] of Object.entries(texts)) {
    const mb = bytes(text) / 1e6;
    const ours = time(() => t.tokenize(text));
    const oursIds = time(() => t.encode(text));
    const gpt = time(() => GPT[enc](text, NS));
    const tik = time(() => tk.encode(text, [], []));
    const same = t.tokenize(text).ids.length === tk.encode(text, [], []).length;
    throughput[`${enc} ${name}`] = {
      tokens: t.tokenize(text).ids.length,
      sameCountAsTiktoken: same,
      oursWithOffsetsMBps: r2(mb / (ours / 1000)),
      oursIdsOnlyMBps: r2(mb / (oursIds / 1000)),
      gptTokenizerMBps: r2(mb / (gpt / 1000)),
      tiktokenWasmMBps: r2(mb / (tik / 1000)),
      offsetsCostVsGptTokenizerPct: r2((ours / gpt - 1) * 100),
    };
    process.stderr.write(`${enc} ${name}: ${JSON.stringify(throughput[`${enc} ${name}`])}\n`);
  }
  tk.free();
}

// One 200 KB piece. Ours runs at full size; gpt-tokenizer and tiktoken are quadratic there, so they run at 12.5,
// 25 and 50 KB and are extrapolated to 200 KB with the growth exponent of the last doubling.
const single: Record<string, unknown> = {};
{
  const t = getTokenizer('o200k_base')!;
  const tk = get_encoding('o200k_base');
  for (const [label, ch] of [
    ['spaces', ' '],
    ['oneLetter', 'a'],
  ] as const) {
    const full = 200_000;
    // Cold: a different length each run, so the piece cache cannot answer.
    const oursRuns = [0, 1, 2].map((i) => {
      const txt = ch.repeat(full + i);
      const a = performance.now();
      t.tokenize(txt);
      return (performance.now() - a) / 1000;
    });
    const oursS = median(oursRuns);
    const fit = (f: (s: string) => unknown) => {
      const sizes = [12_500, 25_000, 50_000];
      const s = sizes.map((n) => {
        const txt = ch.repeat(n);
        const a = performance.now();
        f(txt);
        return (performance.now() - a) / 1000;
      });
      const k = Math.log2(s[2] / s[1]);
      return {
        measuredSeconds: Object.fromEntries(sizes.map((n, i) => [n, Math.round(s[i] * 1e4) / 1e4])),
        exponent: r2(k),
        extrapolated200KBSeconds: r2(s[2] * 4 ** k),
      };
    };
    single[label] = {
      oursSeconds: Math.round(oursS * 1e4) / 1e4,
      gptTokenizer: fit((s) => gptO200k(s, NS)),
      tiktokenWasm: fit((s) => tk.encode(s, [], [])),
    };
    process.stderr.write(`${label}: ${JSON.stringify(single[label])}\n`);
  }
  tk.free();
}

// Memory: a 1 MB prompt's token state (ids, offsets, piece marks: typed arrays, counted as arrayBuffers).
let memory: Record<string, number>;
{
  const t = getTokenizer('o200k_base')!;
  const text = texts.prose_1MB;
  gc();
  gc();
  const m0 = process.memoryUsage();
  const state = t.tokenize(text);
  gc();
  gc();
  const m1 = process.memoryUsage();
  memory = {
    textChars: text.length,
    tokens: state.ids.length,
    typedArrayBytes: state.ids.byteLength + state.offsets.byteLength + (state.pieceStarts?.byteLength ?? 0),
    heapUsedDeltaBytes: m1.heapUsed - m0.heapUsed,
    arrayBuffersDeltaBytes: m1.arrayBuffers - m0.arrayBuffers,
    bytesPerToken: r2((m1.heapUsed - m0.heapUsed + m1.arrayBuffers - m0.arrayBuffers) / state.ids.length),
  };
  if (state.ids.length === 0) throw new Error('unreachable');
}

console.log(JSON.stringify({ throughput, singlePiece200KB: single, memory1MBPrompt: memory }));
