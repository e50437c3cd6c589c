// Incremental re-tokenization on a 1 MB prompt: per-edit time over random editor-like edits, beside a full
// re-tokenization of the same text. Wall-clock figures include preemption when the machine is shared (reported:
// the load average at the start); CPU-time figures do not. Last stdout line: one JSON object (scripts/bench.mjs).
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { getTokenizer } from '../src/core/tokenizer/registry';
import { randomEdit } from '../test/unit/tokenizer/randomEdits';
import { code, int, mixed, prose, seeded } from '../test/unit/tokenizer/sampleTexts';

const EDITS = 3000;
const q = (a: number[], p: number) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const r3 = (x: number) => Math.round(x * 1000) / 1000;

// Garbage-collection pauses, to tell the edits a GC landed in from the engine's own time: each edit makes a new
// 1 MB string (as VS Code's getText() does) and new token arrays, so V8 runs a full GC every few dozen edits.
const gcPauses: PerformanceEntry[] = [];
const gcObserver = new PerformanceObserver((list) => {
  gcPauses.push(...list.getEntries());
});
gcObserver.observe({ entryTypes: ['gc'] });
const flushGc = () => new Promise<void>((r) => setTimeout(r, 50));

async function main(): Promise<void> {
  const out: Record<string, unknown> = {};
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loadAtStart = (require('node:os') as typeof import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10);
  for (const enc of ['o200k_base', 'cl100k_base', 'o200k_harmony']) {
    const t = getTokenizer(enc)!;
    const rnd = seeded(42);
    // A 1 MB prompt: mostly prose and code, with mixed sections (CJK, emoji, JSON, white space).
    let text = '';
    while (text.length < 1 << 20) text += [prose, code, mixed][int(rnd, 3)](rnd, 20_000 + int(rnd, 40_000));
    let st = t.tokenize(text);
    let cursor = int(rnd, text.length);
    const inc: number[] = [],
      full: number[] = [],
      cpu: number[] = [],
      spans: [number, number][] = [];
    await flushGc();
    gcPauses.length = 0;
    let mismatches = 0;
    for (let n = 0; n < EDITS; n++) {
      const edit = randomEdit(rnd, st.text, cursor, [(1 << 20) - 50_000, (1 << 20) + 50_000]);
      cursor = edit.start + edit.text.length;
      const newText = st.text.slice(0, edit.start) + edit.text + st.text.slice(edit.end);
      /x/y.test(newText); // flatten the rope, as VS Code's getText() hands over a flat string
      const c0 = process.cpuUsage();
      const a = performance.now();
      const res = t.retokenize(st, edit, newText, { reusePrevious: true }); // the editor drops the old state
      const z = performance.now();
      inc.push(z - a);
      spans.push([a, z]);
      const c1 = process.cpuUsage(c0);
      cpu.push((c1.user + c1.system) / 1000);
      if (n % 50 === 0) {
        const b = performance.now();
        const ref = t.tokenize(newText);
        full.push(performance.now() - b);
        if (ref.ids.length !== res.state.ids.length || ref.ids.some((x, i) => x !== res.state.ids[i])) mismatches++;
      }
      st = res.state;
    }
    await flushGc();
    const pauses = gcPauses.map((g) => [g.startTime, g.startTime + g.duration]);
    const clean = inc.filter((_, i) => !pauses.some(([p0, p1]) => p0 < spans[i][1] && p1 > spans[i][0]));
    const medInc = q(inc, 0.5),
      medFull = q(full, 0.5);
    out[enc] = {
      chars: st.text.length,
      tokens: st.ids.length,
      edits: EDITS,
      mismatchesVsFull: mismatches,
      perEditMs: { median: r3(medInc), p90: r3(q(inc, 0.9)), p99: r3(q(inc, 0.99)), max: r3(q(inc, 1)) },
      // CPU time of the process per edit (excludes time the shared box spent running other processes; includes GC threads).
      perEditCpuMs: { median: r3(q(cpu, 0.5)), p90: r3(q(cpu, 0.9)), p99: r3(q(cpu, 0.99)), max: r3(q(cpu, 1)) },
      perEditMsWithoutGcPause: {
        edits: clean.length,
        median: r3(q(clean, 0.5)),
        p99: r3(q(clean, 0.99)),
        max: r3(q(clean, 1)),
      },
      fullRetokenizeMs: { samples: full.length, median: r3(medFull), p99: r3(q(full, 0.99)) },
      speedupAtMedian: Math.round(medFull / medInc),
    };
    process.stderr.write(`${enc}: ${JSON.stringify(out[enc])}\n`);
  }
  out.loadAverageAtStart = loadAtStart;
  gcObserver.disconnect();
  console.log(JSON.stringify(out));
}

void main();
