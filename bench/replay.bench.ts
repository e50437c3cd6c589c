// `kvlens replay` on a generated log: requests per second and peak memory for 20k and 100k requests (memory should
// stay flat in the log's size). Writes the logs to a temp folder, replays them through the CLI's own streaming path
// (the core Replayer fed line by line from a read stream). Prints one JSON object on its last line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { loadCatalog } from '../src/core/pricing/catalog';
import { tokenizerForModel } from '../src/core/pricing/modelTokenizer';
import { Replayer } from '../src/core/replay/replay';
import { MIN, SYSTEM, T0, anthropicLine, openAiLine } from '../test/unit/replay/logs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-bench-replay-'));
const QUESTIONS = [
  'Where is my invoice?',
  'How do I add a seat?',
  'Why did my export fail?',
  'Can I change my plan?',
  'Is there an outage?',
];

function writeLog(n: number): string {
  const file = path.join(dir, `log-${n}.jsonl`);
  const fd = fs.openSync(file, 'w');
  const systems = [SYSTEM, SYSTEM.replace('Rule 7:', 'Rule seven:'), SYSTEM.slice(0, SYSTEM.length / 2)];
  let batch: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = T0 + i * 20_000 + (i % 97 === 0 ? 30 * MIN : 0);
    const sys = systems[i % 23 === 0 ? 1 : i % 31 === 0 ? 2 : 0];
    const q = `${QUESTIONS[i % QUESTIONS.length]} (ticket ${i})`;
    batch.push(
      i % 5 === 4
        ? anthropicLine(at, sys, q, { input: 12, read: i % 2 ? 1500 : 0, write: i % 2 ? 0 : 1500 })
        : openAiLine(at, sys, q, { prompt: 1500, cached: i % 3 ? 1408 : 0 }),
    );
    if (batch.length === 1000) {
      fs.writeSync(fd, batch.join('\n') + '\n');
      batch = [];
    }
  }
  if (batch.length) fs.writeSync(fd, batch.join('\n') + '\n');
  fs.closeSync(fd);
  return file;
}

async function run(file: string) {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const r = new Replayer({
    catalog: loadCatalog(),
    fallbackModel: 'gpt-4.1',
    tokenizerFor: (m) => tokenizerForModel(m).tokenizer,
  });
  const rl = readline.createInterface({
    input: fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  const t0 = performance.now();
  let i = 0;
  for await (const line of rl) {
    r.feed(line, i++);
    if ((i & 1023) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const ms = performance.now() - t0;
  const s = r.summary();
  return {
    requests: s.requests,
    seconds: Number((ms / 1000).toFixed(2)),
    requestsPerSecond: Math.round(s.requests / (ms / 1000)),
    peakRssMB: Math.round(peak / 1048576),
    rssGrowthMB: Math.round((peak - base) / 1048576),
    logMB: Math.round(fs.statSync(file).size / 1048576),
    matched: s.matched,
  };
}

async function main(): Promise<void> {
  const small = await run(writeLog(20_000));
  const big = await run(writeLog(100_000));
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      log20k: small,
      log100k: big,
      budget: { requestsPerSecond: 2000, memory: 'flat in log size' },
      withinBudget: big.requestsPerSecond >= 2000 && big.peakRssMB <= small.peakRssMB * 1.5,
    }),
  );
}
void main();
