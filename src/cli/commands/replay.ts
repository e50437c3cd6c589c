import fs from 'node:fs';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL } from '../../core/analysis/modelChoice';
import { tokenizerForModel } from '../../core/pricing/modelTokenizer';
import { Replayer, type RequestVerdict } from '../../core/replay/replay';
import { currentFactors } from '../../core/tokenizer/estimate/calibration';
import { checkRegularFile, FileRefusal } from '../../node/regularFile';
import { detectLogFormat } from '../../core/replay/sessionFormat';
import { CliError, visible, writeFileOrFail, type Output } from '../io';
import { replaySession } from './sessionReplay';
import { stringSetting, workspaceSettings } from '../workspaceSettings';
import { catalogFromOptions } from './catalogOption';
import { moneyLines, n } from './replayText';

export const usage =
  'kvlens replay LOG [--requests BATCH_INPUT.jsonl] [--model ID] [--show-text] [--calibrate FILE] [--catalog FILE] [--json]';

/**
 * Replays a JSONL usage log through the cache simulator and puts prediction and truth side by side: per request the
 * predicted and actual cached tokens, a verdict and the reason for every token not read from cache; then hit rates
 * (one accounting for every provider), money, and for estimated tokenizers how far the estimate was off. Streams the
 * log (bounded memory); with --json the requests are written as they are judged.
 */
export async function replayCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: 'string', short: 'm' },
      requests: { type: 'string' },
      'show-text': { type: 'boolean', default: false },
      calibrate: { type: 'string' },
      catalog: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new CliError(`replay takes one LOG (usage: ${usage})`);
  const file = positionals[0];
  // A log is streamed, so it has no size cap; it must still be a regular file (a FIFO would hang the replay).
  const log = regularFile(file);
  const catalog = catalogFromOptions(values.catalog);
  if (values.model && !catalog.find(values.model).ok)
    throw new CliError((catalog.find(values.model) as { message: string }).message);
  const fallbackModel = stringSetting(workspaceSettings(file), 'kvlens.model') ?? DEFAULT_MODEL;
  // An agent's transcript (Claude Code, Codex) is a session of model calls, not a log of request bodies.
  const format = detectLogFormat(firstLines(log));
  if (format !== 'log') {
    if (values.requests || values.calibrate)
      throw new CliError(
        `${visible(file)}: --requests and --calibrate are for logs of requests; this is a ${format === 'codex' ? 'Codex' : 'Claude Code'} session`,
      );
    return replaySession(file, log, format, catalog, values.model ?? fallbackModel, values.json, io);
  }
  const replayer = new Replayer({
    catalog,
    model: values.model,
    fallbackModel,
    tokenizerFor: (m) => tokenizerForModel(m).tokenizer,
    showText: values['show-text'],
  });

  const inputs = values.requests ? await batchInputs(values.requests) : undefined;
  const rl = readline.createInterface({
    input: fs.createReadStream(log, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  let index = 0,
    first = true;
  const shown: RequestVerdict[] = [];
  if (values.json) io.out(`{"log":${JSON.stringify(file)},"requests":[`);
  let chunk: string[] = [];
  try {
    for await (const raw of rl) {
      const line = inputs ? withRequest(raw, inputs) : raw;
      const v = replayer.feed(line, index++);
      if (!v) continue;
      if (values.json) {
        chunk.push((first ? '' : ',') + JSON.stringify(v));
        first = false;
        if (chunk.length >= 512) {
          io.out(chunk.join(''));
          chunk = [];
        }
      } else if (v.reason !== 'cached' || v.verdict === 'mismatch') {
        if (shown.length < 200) shown.push(v);
      }
    }
  } catch (e) {
    // The log could not be read to its end (a disk error, a file removed under us): what was written stays valid JSON.
    const message = `${file}: reading stopped at line ${index + 1} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    if (values.json) {
      io.out(`${chunk.join('')}],"error":${JSON.stringify({ message, exitCode: 2 })}}`);
      io.err(`kvlens: ${message}`);
      return 2;
    }
    throw new CliError(message);
  }
  if (chunk.length) io.out(chunk.join(''));
  const summary = replayer.summary();
  if (values.calibrate) writeCalibration(values.calibrate, file, summary.calibration, io);
  if (values.json) {
    io.out(`],"summary":${JSON.stringify(summary)}}`);
    return 0;
  }

  const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);
  const out = [
    `${visible(file)}: ${n(summary.requests)} requests replayed (${n(summary.skipped)} lines skipped): ${n(summary.matched)} match, ${n(summary.mismatched)} mismatch, ${n(summary.unverified)} without usage`,
    `  hit rate (cached / all input tokens): predicted ${pct(summary.hitRate.predicted)}, actual ${pct(summary.hitRate.actual)}`,
    ...moneyLines(summary, 'log', 'request'),
  ];
  if (shown.length) out.push('', 'Requests not read from cache (or predicted wrong):');
  for (const v of shown) {
    const where = v.divergence
      ? ` at ${visible(file)}:${v.divergence.line}:${v.divergence.column} (${v.divergence.block})`
      : '';
    const gap = v.gapSeconds !== undefined ? ` ${n(Math.round(v.gapSeconds))} s past the TTL` : '';
    out.push(
      `  line ${n(v.index + 1)} ${v.model}: ${v.verdict}, ${v.reason}${gap}${where}; predicted ${n(v.predictedCachedTokens)}, actual ${v.actualCachedTokens === null ? '–' : n(v.actualCachedTokens)} of ${n(v.actualInputTokens ?? v.tokens)}${v.note ? ` — ${visible(v.note)}` : ''}`,
    );
  }
  for (const c of summary.calibration)
    out.push(
      `  estimate ${c.encoding}, ${c.kind}: actual / estimated tokens = ${c.ratio} over ${c.requests} request${c.requests === 1 ? '' : 's'}`,
    );
  for (const p of summary.problems.slice(0, 20))
    out.push(`  ${p.line ? `${visible(file)}:${p.line}: ` : ''}${visible(p.message)}`);
  io.out(out.join('\n'));
  return 0;
}

function writeCalibration(
  target: string,
  log: string,
  rows: readonly { encoding: string; kind: string; ratio: number }[],
  io: Output,
): void {
  const factors: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    const base = currentFactors(r.encoding);
    if (!base) continue;
    (factors[r.encoding] ??= {})[r.kind] = Math.round(base[r.kind as keyof typeof base] * r.ratio * 1000) / 1000;
  }
  if (!Object.keys(factors).length) {
    io.err(`kvlens: ${log}: no request with an estimated tokenizer and usage figures; nothing to calibrate`);
    return;
  }
  const data = {
    $comment:
      'KV Lens estimate calibration: tokens per o200k_base token, by content kind, measured from a usage log. Use with --calibration FILE (CLI) or the setting kvlens.calibrationFile (editor).',
    source: log,
    asOf: new Date().toISOString().slice(0, 10),
    factors,
  };
  writeFileOrFail(target, JSON.stringify(data, null, 2) + '\n');
  io.err(`kvlens: wrote calibration for ${Object.keys(factors).join(', ')} to ${target}`);
}

/** The first lines of a file (at most 64 KB read): enough to tell its format. */
function firstLines(file: string): string[] {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const lines = buf.subarray(0, n).toString('utf8').split('\n');
    if (n === buf.length) lines.pop();
    return lines.filter((l) => l.trim()).slice(0, 30);
  } finally {
    fs.closeSync(fd);
  }
}

/** The real path of a regular file to stream, or a one-line CliError naming it. */
function regularFile(file: string, what = ''): string {
  try {
    return checkRegularFile(file).real;
  } catch (e) {
    if (e instanceof FileRefusal) throw new CliError(`${visible(file)}: ${e.problem}${what}`);
    throw e;
  }
}

/**
 * OpenAI batch output holds responses only; the requests are in the batch input file. Reads the input's bodies by
 * custom_id (the whole file: a batch input is at most 200 MB by OpenAI's limits).
 */
async function batchInputs(file: string): Promise<Map<string, string>> {
  const real = regularFile(file, ' (--requests: the batch input JSONL)');
  const out = new Map<string, string>();
  const rl = readline.createInterface({ input: fs.createReadStream(real, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of rl) {
    try {
      const j = JSON.parse(line) as { custom_id?: string; body?: unknown };
      if (typeof j.custom_id === 'string' && j.body) out.set(j.custom_id, JSON.stringify(j.body));
    } catch {
      /* a bad input line just has no pair */
    }
  }
  return out;
}

/** A batch output line paired with its request: the generic log shape the replayer reads. */
function withRequest(line: string, inputs: Map<string, string>): string {
  let j: { custom_id?: string; request?: unknown; response?: { body?: { created?: number } } };
  try {
    j = JSON.parse(line);
  } catch {
    return line;
  }
  if (j.request || typeof j.custom_id !== 'string') return line;
  const body = inputs.get(j.custom_id);
  if (!body) return line;
  const created = j.response?.body?.created;
  return `{"timestamp":${JSON.stringify(created ?? null)},"request":${body},"response":${JSON.stringify(j.response ?? null)}}`;
}
