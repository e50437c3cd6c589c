// The editor's keystroke path in core, as the extension runs it after each edit (src/extension/analysis/cacheAnalyses.ts):
// LiveReport.update() — the edit applied to the chunked text and tokens, the report from the simulator, the ranges —
// for Markdown and plain-text prompts; documentReport() (parse + render + baseline send + analysis + ranges) for what
// the live path declines (JSON bodies, structural edits, Claude's estimated tokens).
// Cases: a 1 MB Markdown prompt (steady state and against an older version), a 1 MB JSON request body edited inside a
// string value, and a keystroke at the top of 100 KB / 1 MB / 4 MB / 10 MB prompts (the ratio shows how the cost
// grows with the document), each also through the whole-text path for comparison. Also the plain incremental token
// count (DocumentTokens) at the top of 4 MB and 10 MB.
// Timings exclude VS Code's own work (setDecorations); the command "KV Lens: Analysis Timings" reports the same path
// inside the editor. Prints one JSON object on its last line.
import fs from 'node:fs';
import os from 'node:os';
import { documentReport, type BaselineInput } from '../src/core/analysis/documentReport';
import { LiveReport } from '../src/core/analysis/liveReport';
import { parsePrompt } from '../src/core/prompt/parse';
import { pretokenize } from '../src/core/prompt/pretokenize';
import { findModel } from '../src/core/pricing/catalog';
import type { ModelInfo } from '../src/core/pricing/types';
import { PieceText } from '../src/core/text/pieceText';
import { getTokenizer } from '../src/core/tokenizer/registry';
import type { TextEdit } from '../src/core/tokenizer/types';
import {
  bodyOffset,
  editAt,
  editKind,
  jsonBody,
  jsonStringEdit,
  kindAt,
  longStrings,
  olderVersion,
  shiftStrings,
  undoOf,
  variedMarkdown,
} from '../test/unit/analysis/editorWorkload';
import { int, seeded } from '../test/unit/tokenizer/sampleTexts';

const model = (findModel('gpt-4.1') as { model: ModelInfo }).model;
const tokenizer = getTokenizer('o200k_base')!;
const NOW = Date.UTC(2026, 11, 1, 10);
const q = (a: number[], p: number) => {
  const s = [...a].sort((x, y) => x - y);
  return Number(s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(3));
};
const para =
  'The cache keeps key and value rows of every prompt token, so a later request with the same prefix skips them. ';
const markdown = (chars: number) =>
  `---\nmodel: gpt-4.1\n---\n# Policy\n\n${(para.repeat(8) + '\n\n').repeat(Math.ceil(chars / (para.length * 8 + 2)))}`.slice(
    0,
    chars,
  );

/** n one-character inserts at at(text, i), each analyzed as the extension does (live path, whole text when it declines). */
function keystrokes(
  label: string,
  start: string,
  fileName: string,
  at: (text: string, i: number) => number,
  baseline: (t: string) => BaselineInput,
  n: number,
) {
  let text = start;
  const ms: number[] = [];
  const b = baseline(start);
  let live = LiveReport.start({ text, fileName, model, tokenizer, baseline: b, now: NOW }).live;
  let declined = 0;
  for (let i = 0; i < n; i++) {
    const p = at(text, i);
    text = text.slice(0, p) + 'x' + text.slice(p);
    const t0 = performance.now();
    let r = live?.update([{ start: p, end: p, text: 'x' }], NOW);
    if (!r) {
      declined++;
      const s = LiveReport.start({ text, fileName, model, tokenizer, baseline: b, now: NOW });
      live = s.live;
      r = s.result;
    }
    ms.push(performance.now() - t0);
    if (!r.ok) throw new Error(`${label}: ${r.message}`);
  }
  return {
    chars: start.length,
    keystrokes: n,
    medianMs: q(ms, 0.5),
    p99Ms: q(ms, 0.99),
    maxMs: q(ms, 1),
    wholeTextAnalyses: declined,
  };
}

/** The same keystrokes through documentReport() on the whole text every time (the path before LiveReport). */
function wholeText(
  label: string,
  start: string,
  fileName: string,
  at: (text: string, i: number) => number,
  baseline: (t: string) => BaselineInput,
  n: number,
) {
  let text = start;
  const ms: number[] = [];
  documentReport({ text, fileName, model, tokenizer, baseline: baseline(text), now: NOW }); // warm: the segment memo holds this version
  for (let i = 0; i < n; i++) {
    const p = at(text, i);
    text = text.slice(0, p) + 'x' + text.slice(p);
    const t0 = performance.now();
    const r = documentReport({ text, fileName, model, tokenizer, baseline: baseline(start), now: NOW });
    ms.push(performance.now() - t0);
    if (!r.ok) throw new Error(`${label}: ${r.message}`);
  }
  return { medianMs: q(ms, 0.5), p99Ms: q(ms, 0.99) };
}

const steady = (): BaselineInput => ({ kind: 'steady', label: 'steady' });
const older = (t: string): BaselineInput => ({ kind: 'git', label: 'git HEAD', text: t });
const mid = (t: string, i: number) => Math.floor(t.length / 2) + i * 7;
const top = (t: string) => t.indexOf('# Policy') + 10;

const out: Record<string, unknown> = {};
// The machine is shared: the load at the start and the end says how much the figures are to be trusted.
const loadavg = () => os.loadavg().map((x) => Math.round(x * 10) / 10);
out.loadAtStart = loadavg();
const md1 = markdown(1 << 20);
out.markdown1MB = {
  steady: keystrokes('md steady', md1, 'p.prompt.md', mid, steady, 200),
  againstOlder: keystrokes('md older', md1, 'p.prompt.md', mid, older, 200),
  wholeText: {
    steady: wholeText('md steady', md1, 'p.prompt.md', mid, steady, 40),
    againstOlder: wholeText('md older', md1, 'p.prompt.md', mid, older, 40),
  },
};

/**
 * Edits before the break against an older version (the text leaves it at 90 % of the prompt): an insert at a random
 * place before the break (which moves the break up to it), then its undo (which restores the baseline's text there
 * and moves the break back to 90 %), and so on. Budget: p99 ≤ 16 ms at 1 MB, ≤ 50 ms at 10 MB.
 */
function editsBeforeBreak(n: number, edits: number) {
  const start = markdown(n);
  const cut = Math.floor(start.length * 0.9);
  const base = start.slice(0, cut) + 'Z' + start.slice(cut + 1);
  const b = older(base);
  let text = start;
  let live = LiveReport.start({ text, fileName: 'p.prompt.md', model, tokenizer, baseline: b, now: NOW }).live;
  let seed = 7,
    declined = 0,
    last = -1;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  let breakAt = cut;
  const ms: number[] = [];
  for (let i = 0; i < edits; i++) {
    const undo = i % 2 === 1 && last >= 0;
    const p = undo ? last : top(text) + Math.floor(rnd() * (breakAt - top(text)));
    const e = undo ? { start: p, end: p + 1, text: '' } : { start: p, end: p, text: 'x' };
    text = text.slice(0, e.start) + e.text + text.slice(e.end);
    last = undo ? -1 : p;
    const t0 = performance.now();
    let r = live?.update([e], NOW);
    if (!r) {
      declined++;
      const s = LiveReport.start({ text, fileName: 'p.prompt.md', model, tokenizer, baseline: b, now: NOW });
      live = s.live;
      r = s.result;
    }
    ms.push(performance.now() - t0);
    if (!r.ok) throw new Error(`before break: ${r.message}`);
    breakAt = r.value.report.ranges.breakAt ?? text.length;
    if (undo && breakAt < cut - 100)
      throw new Error(`before break: the undo left the break at ${breakAt}, not at the baseline's change (${cut})`);
  }
  return {
    chars: n,
    edits,
    medianMs: q(ms, 0.5),
    p99Ms: q(ms, 0.99),
    maxMs: q(ms, 1),
    wholeTextAnalyses: declined,
    budgetP99Ms: n > 2 << 20 ? 50 : 16,
  };
}
out.editsBeforeBreak = { '1MB': editsBeforeBreak(1 << 20, 200), '10MB': editsBeforeBreak(10 << 20, 100) };

const body = JSON.stringify(
  {
    model: 'gpt-4.1',
    messages: [
      { role: 'system', content: (para.repeat(4) + '\n').repeat(Math.ceil((1 << 20) / (para.length * 4 + 1))) },
      { role: 'user', content: 'Where is my invoice?' },
    ],
  },
  null,
  1,
);
const inString = (t: string, i: number) => t.indexOf('"content": "') + 5000 + i * 3;
out.json1MBEditInString = {
  ...keystrokes('json', body, 'req.json', inString, steady, 200),
  wholeText: wholeText('json', body, 'req.json', inString, steady, 40),
};

/**
 * Random edits at random places of varied text (prose, code with template literals, mixed Markdown, CJK): typing,
 * deleting, pasting (up to 2,000 units copied from the prompt) and new lines, as the extension follows them. In the
 * steady state each edit stays; against an older version (git HEAD changed at 90 % of the prompt) each edit is undone
 * by the next, so the break keeps moving — up to the edit, then back to the older version's change — and almost every
 * edit is before the break. `declines` counts the edits the live path handed to a whole-text analysis.
 */
function randomEdits(
  doc: 'markdown' | 'text' | 'json',
  chars: number,
  against: 'steady' | 'older',
  edits: number,
  seed = 11,
) {
  const rnd = seeded(seed);
  const start = doc === 'json' ? jsonBody(rnd, chars) : variedMarkdown(rnd, chars);
  const initial = doc === 'text' ? start.replace(/^---[\s\S]*?---\n/, '') : start;
  const fileName = doc === 'json' ? 'request.json' : doc === 'text' ? 'notes.prompt.txt' : 'agent.prompt.md';
  const b = against === 'older' ? older(olderVersion(rnd, initial, 0.9)) : steady();
  const text = new PieceText(initial);
  const strings = doc === 'json' ? longStrings(initial) : [];
  const bodyStart = doc === 'markdown' ? bodyOffset(text) : 0;
  let live = LiveReport.start({ text: initial, fileName, model, tokenizer, baseline: b, now: NOW }).live;
  (globalThis as { gc?: () => void }).gc?.();
  const ms: number[] = [],
    cpu: number[] = [];
  const byKind: Record<string, number[]> = {},
    byText: Record<string, number[]> = {},
    declinedBy: Record<string, number> = {};
  let declines = 0,
    undo: TextEdit | undefined;
  for (let i = 0; i < edits; i++) {
    const kind = undo ? 'undo' : editKind(rnd);
    const e: TextEdit =
      undo ??
      (doc === 'json'
        ? jsonStringEdit(rnd, text, strings, kind as ReturnType<typeof editKind>)
        : editAt(rnd, text, bodyStart + int(rnd, text.length - bodyStart + 1), kind as ReturnType<typeof editKind>));
    if (e.start === e.end && !e.text) continue;
    undo = against === 'older' && !undo ? undoOf(text, e) : undefined;
    const where = doc === 'json' ? 'json' : kindAt(text, e.start);
    text.edit(e.start, e.end, e.text);
    if (doc === 'json') shiftStrings(strings, e);
    const c0 = process.cpuUsage(),
      t0 = performance.now();
    let r = live?.update([e], NOW);
    if (!r) {
      declines++;
      const why = `${kind}: ${live?.declined ?? 'not followed'}`;
      declinedBy[why] = (declinedBy[why] ?? 0) + 1;
      const s = LiveReport.start({ text: text.toString(), fileName, model, tokenizer, baseline: b, now: NOW });
      live = s.live;
      r = s.result;
    }
    const dt = performance.now() - t0,
      c = process.cpuUsage(c0);
    if (!r.ok) throw new Error(`random edits ${doc} ${chars}: ${r.message}`);
    ms.push(dt);
    cpu.push((c.user + c.system) / 1000);
    (byKind[kind] ??= []).push(dt);
    (byText[where] ??= []).push(dt);
  }
  const stats = (a: number[]) => ({ n: a.length, medianMs: q(a, 0.5), p99Ms: q(a, 0.99) });
  const each = (o: Record<string, number[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, stats(v)]));
  return {
    chars: initial.length,
    edits: ms.length,
    medianMs: q(ms, 0.5),
    p99Ms: q(ms, 0.99),
    maxMs: q(ms, 1),
    // CPU time of the process per edit (the edit's own work and GC, without the waits a busy machine adds).
    cpuMedianMs: q(cpu, 0.5),
    cpuP99Ms: q(cpu, 0.99),
    declines,
    declinedBy,
    byEdit: each(byKind),
    byText: each(byText),
  };
}
const randomSizes: Record<string, number> = { '100KB': 100 * 1024, '1MB': 1 << 20, '10MB': 10 << 20 };
const random: Record<string, Record<string, ReturnType<typeof randomEdits>>> = {};
for (const [k, n] of Object.entries(randomSizes))
  random[k] = {
    steady: randomEdits('markdown', n, 'steady', 600),
    againstOlder: randomEdits('markdown', n, 'older', 600),
  };
const ratio = (against: 'steady' | 'againstOlder') =>
  Number((random['10MB'][against].medianMs / random['1MB'][against].medianMs).toFixed(2));
out.randomEdits = {
  markdown: random,
  text1MB: randomEdits('text', 1 << 20, 'steady', 600),
  jsonStringValues1MB: randomEdits('json', 1 << 20, 'steady', 600),
  ratio10MBover1MB: { steady: ratio('steady'), againstOlder: ratio('againstOlder') },
  budget: { ratio10MBover1MB: 1.5, p99Ms10MB: 20, declines: 0 },
};
console.error(`randomEdits: ${JSON.stringify(out.randomEdits)}`);

const sizes: Record<string, number> = { '100KB': 100 * 1024, '1MB': 1 << 20, '4MB': 4 << 20, '10MB': 10 << 20 };
const atTop: Record<string, unknown> = {};
const whole: Record<string, unknown> = {};
for (const [k, n] of Object.entries(sizes)) {
  atTop[k] = keystrokes(`top ${k}`, markdown(n), 'p.prompt.md', top, steady, 200);
  if (k === '100KB' || k === '10MB')
    whole[k] = wholeText(`top ${k}`, markdown(n), 'p.prompt.md', top, steady, n > 2 << 20 ? 12 : 40);
}
const m = (k: string) => (atTop[k] as { medianMs: number }).medianMs;
out.keystrokeAtTop = {
  ...atTop,
  ratio10MBover100KB: Number((m('10MB') / m('100KB')).toFixed(1)),
  budgetRatio: 2,
  wholeText: whole,
};

// The plain count (DocumentTokens): the incremental engine in place, an insert at the top.
const countAtTop: Record<string, unknown> = {};
for (const k of ['4MB', '10MB']) {
  let st = tokenizer.tokenize(markdown(sizes[k]));
  const ms: number[] = [];
  for (let i = 0; i < 40; i++) {
    const p = 30 + i;
    const text = st.text.slice(0, p) + 'x' + st.text.slice(p);
    const t0 = performance.now();
    st = tokenizer.retokenize(st, { start: p, end: p, text: 'x' }, text, { reusePrevious: true }).state;
    ms.push(performance.now() - t0);
  }
  countAtTop[k] = { medianMs: q(ms, 0.5), p99Ms: q(ms, 0.99) };
}
out.tokenCountInsertAtTop = countAtTop;
// Opening a big prompt (or a structural edit in one): the whole-text analysis the extension runs, its tokenization in
// ~8 ms steps that yield (pretokenize), then the rest as one task — the longest task the extension host runs for it.
async function opening(n: number, seed: string) {
  const text = markdown(n).replace('# Policy', `# Policy ${seed}`);
  const fileName = 'p.prompt.md';
  const t0 = performance.now();
  const parsed = parsePrompt(text, { fileName });
  const parseMs = performance.now() - t0;
  let steps = 0,
    longestStep = 0;
  const t1 = performance.now();
  let last = t1;
  await pretokenize(
    parsed,
    tokenizer,
    async () => {
      const now = performance.now();
      longestStep = Math.max(longestStep, now - last);
      steps++;
      await new Promise((r) => setTimeout(r, 0));
      last = performance.now();
    },
    () => true,
  );
  const tokenizeMs = performance.now() - t1;
  const t2 = performance.now();
  const r = LiveReport.start({ text, fileName, model, tokenizer, baseline: steady(), now: NOW, parsed });
  const analysisMs = performance.now() - t2;
  if (!r.result.ok || !r.live) throw new Error('opening: not analyzed');
  // The same in one task, as before the stepped tokenization (another text: nothing of it is in the segment memo).
  const cold = (() => {
    const u = markdown(n).replace(/cache/g, `store ${seed}`);
    const s0 = performance.now();
    LiveReport.start({ text: u, fileName, model, tokenizer, baseline: steady(), now: NOW });
    return performance.now() - s0;
  })();
  const f = (x: number) => Number(x.toFixed(1));
  return {
    parseMs: f(parseMs),
    tokenizeSteps: steps,
    longestStepMs: f(longestStep),
    tokenizeMs: f(tokenizeMs),
    analysisAfterStepsMs: f(analysisMs),
    inOneTaskMs: f(cold),
  };
}
void (async () => {
  out.openingBigPrompt = { '1MB': await opening(1 << 20, 'a'), '10MB': await opening(10 << 20, 'b') };
  out.budget = { keystrokeP99Ms: 16, hostTaskMs: 10 };
  out.loadAtEnd = loadavg();
  // The same path inside VS Code (code-server), keystroke → report applied, as the last e2e run measured it.
  const e2e = 'test-output/editor-keystrokes.json';
  out.inVsCode = fs.existsSync(e2e)
    ? { source: `${e2e} (written by npm test's e2e phase)`, ...JSON.parse(fs.readFileSync(e2e, 'utf8')) }
    : { source: 'none yet: run npm test' };
  console.log(JSON.stringify(out));
})();
