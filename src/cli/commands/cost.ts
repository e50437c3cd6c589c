import { errorBandFor } from '../../core/tokenizer/errorBand';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RenderedPrompt } from '../../core/cache/types';
import { ttlSeconds } from '../../core/pricing/cost';
import { formatUsd } from '../../core/pricing/money';
import { confidenceNote } from '../../core/pricing/freshness';
import { estimateCost, estimateJson, type CostEstimate, type CostInputs } from '../../core/pricing/costEstimate';
import { costOfRequests, type RequestsCost } from '../../core/pricing/requestsCost';
import type { ModelInfo } from '../../core/pricing/types';
import { formatDiagnostic } from '../../core/prompt/diagnostics';
import { parsePrompt } from '../../core/prompt/parse';
import { isPromptFile } from '../../core/prompt/promptFiles';
import { renderPrompt } from '../../core/prompt/render';
import { tokenizerForModel } from '../../core/pricing/modelTokenizer';
import type { Tokenizer } from '../../core/tokenizer/types';
import { FileRefusal, readRegularFile, realFolder } from '../../node/regularFile';
import { CliError, MAX_FILE_BYTES, readTextFile, visible, type Output } from '../io';
import { catalogFromOptions } from './catalogOption';
import { modelFor } from './analyze';

export const usage =
  'kvlens cost FILE|--workspace [DIR] [--model ID ...] [--calls N] [--rate N/h] [--output-tokens N] [--ttl 5m|1h] [--catalog FILE] [--json]';

/** "12/h", "12", "0.5/m", "3/min", "100/d" → calls per hour. */
export function parseRate(s: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|m|min|h|hr|hour|d|day))?\s*$/i.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'h').toLowerCase();
  const perHour = unit.startsWith('s') ? 3600 : unit.startsWith('m') ? 60 : unit.startsWith('d') ? 1 / 24 : 1;
  return n > 0 ? n * perHour : undefined;
}

function positiveInt(name: string, v: string | undefined, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n < min) throw new CliError(`--${name} must be a whole number ≥ ${min} (got "${v}")`);
  return n;
}

interface Rendered {
  readonly rendered: RenderedPrompt;
  readonly all: readonly { rendered: RenderedPrompt; label: string }[];
  readonly tokenizer: Tokenizer;
  readonly exact: boolean;
  readonly note?: string;
}

/** Renders the file's (first) prompt with the model's tokenizer, or an o200k_base estimate when that is not available. */
function render(file: string, text: string, model: ModelInfo, memo: Map<string, Rendered>): Rendered {
  const { tokenizer, own, exact } = tokenizerForModel(model);
  const key = tokenizer.encoding;
  const hit = memo.get(key);
  const fallbackNote = `encoding ${model.encoding} is not available; counted with ${tokenizer.encoding} as an estimate`;
  if (hit)
    return own ? { ...hit, exact } : { ...hit, exact, note: [hit.note, fallbackNote].filter(Boolean).join('; ') };
  const doc = parsePrompt(text, { fileName: file });
  const fatal = doc.diagnostics.find((d) => d.severity === 'error');
  if (!doc.prompts.length) throw new CliError(fatal ? formatDiagnostic(file, fatal) : `${file}: no prompt found`);
  const all = doc.prompts.map((p, i) => ({
    rendered: renderPrompt(p, tokenizer),
    label: p.label ?? `request ${i + 1}`,
  }));
  const r: Rendered = {
    rendered: all[0].rendered,
    all,
    tokenizer,
    exact,
    note:
      doc.prompts.length > 1
        ? `${doc.prompts.length} requests in the file: per call = the first; totals cover all of them, each sent after the ones before it`
        : undefined,
  };
  memo.set(key, r);
  return own ? r : { ...r, note: [r.note, fallbackNote].filter(Boolean).join('; ') };
}

interface Row extends CostEstimate {
  readonly requests?: RequestsCost;
}

function toJson(r: Row, inputs: CostInputs) {
  const j = estimateJson(r, inputs);
  const { notes, ...rest } = j;
  return {
    ...rest,
    ...(r.requests
      ? {
          requests: r.requests.requests,
          totals: {
            tokens: r.requests.tokens,
            sharedPrefixTokens: r.requests.sharedPrefixTokens,
            ...r.requests.totals,
          },
          lines: r.requests.lines,
        }
      : {}),
    notes,
  };
}

function table(
  file: string,
  rows: Row[],
  calls: number,
  ratePerHour: number | undefined,
  outputTokens: number,
): string {
  const head = [
    'model',
    'tokens',
    'cached',
    'uncached/call',
    'first call',
    'warm call',
    `${calls} calls no cache`,
    'with cache',
    'saving',
    'break-even',
  ];
  const body = rows.map((r) => [
    r.model.id,
    `${r.tokens}${r.exact ? '' : '~'}`,
    String(r.series.cacheableTokens),
    formatUsd(r.series.perCall.uncached.total),
    formatUsd(r.series.perCall.firstCall.total),
    formatUsd(r.series.perCall.warmCall.total),
    formatUsd(r.series.totalWithoutCache),
    formatUsd(r.series.totalWithCache),
    r.series.savingsPercent === undefined ? '–' : `${r.series.savingsPercent}%`,
    r.series.breakEvenCalls === null
      ? 'never'
      : `${r.series.breakEvenCalls} call${r.series.breakEvenCalls === 1 ? '' : 's'}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const rate = ratePerHour ? `${ratePerHour}/h` : 'back to back';
  const out = [
    `${visible(file)}: ${calls} calls, ${rate}, ${outputTokens} output tokens per call`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ];
  for (const r of rows) {
    if (!r.requests) continue;
    const q = r.requests;
    out.push(
      '',
      `${r.model.id}, all ${q.requests} requests in order: ${q.tokens} input tokens (${q.sharedPrefixTokens} shared by every request), input $${q.totals.withCache} with cache vs $${q.totals.uncached} without (${q.totals.savingsPercent}% saved)${q.totals.output ? `, output $${q.totals.output}` : ''}`,
    );
  }
  const notes = rows.flatMap((r) => r.notes.map((n) => `  ${r.model.id}: ${n}`));
  for (const r of rows) {
    const doubt = confidenceNote(r.model.prices.confidence);
    if (doubt) notes.push(`  ${r.model.id}: prices are ${doubt} (${r.model.prices.source}, ${r.model.prices.asOf})`);
  }
  if (rows.some((r) => !r.exact))
    notes.unshift("  ~ token count is an estimate (the provider's tokenizer is not public or not bundled)");
  if (notes.length) out.push('', 'Notes:', ...notes);
  return out.join('\n');
}

/** Prices a prompt file for one or more models: per call, over a series of calls, and the break-even point. */
export async function costCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: 'string', short: 'm', multiple: true },
      calls: { type: 'string', short: 'n' },
      rate: { type: 'string' },
      'output-tokens': { type: 'string' },
      ttl: { type: 'string' },
      catalog: { type: 'string', multiple: true },
      workspace: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.workspace) return workspaceCost(positionals, values, io);
  if (positionals.length !== 1) throw new CliError(`cost takes one FILE (usage: ${usage})`);
  const file = positionals[0];
  const calls = positiveInt('calls', values.calls, 10, 1);
  const outputTokens = positiveInt('output-tokens', values['output-tokens'], 0, 0);
  const ratePerHour = values.rate === undefined ? undefined : parseRate(values.rate);
  if (values.rate !== undefined && ratePerHour === undefined)
    throw new CliError(`--rate must be calls per time, like 12/h, 2/min or 100/d (got "${values.rate}")`);
  const ttl = values.ttl;
  if (ttl !== undefined && ttlSeconds(ttl) === undefined)
    throw new CliError(`--ttl must be a duration like 5m or 1h (got "${ttl}")`);

  const catalog = catalogFromOptions(values.catalog);
  const text = readTextFile(file);
  // Without --model: the model the file names, else the workspace setting, else the default (ARCHITECTURE.md).
  const models = values.model?.length
    ? values.model.map((id) => {
        const f = catalog.find(id);
        if (!f.ok) throw new CliError(f.message);
        return f.model;
      })
    : [modelFor(file, text, undefined, values.catalog)];
  const memo = new Map<string, Rendered>();
  const inputs: CostInputs = { calls, ratePerHour, outputTokens, ttl };
  const rows: Row[] = models.map((model) => {
    const r = render(file, text, model, memo);
    const e = estimateCost(
      model,
      r.rendered,
      { exact: r.exact, encoding: r.tokenizer.encoding, band: errorBandFor(r.tokenizer, r.rendered.blocks) },
      inputs,
    );
    const requests = r.all.length > 1 ? costOfRequests(r.all, model, outputTokens, Date.now()) : undefined;
    return { ...e, notes: [...(r.note ? [r.note] : []), ...e.notes], requests };
  });

  const requests = rows[0]?.requests?.requests;
  if (values.json)
    io.out(
      JSON.stringify(
        { file, currency: 'USD', ...(requests ? { requests } : {}), models: rows.map((r) => toJson(r, inputs)) },
        null,
        2,
      ),
    );
  else io.out(table(file, rows, calls, ratePerHour, outputTokens));
  return 0;
}

/**
 * Prompt files under `dir` by the editor's rules (skipping node_modules, .git and other dot folders), each with its
 * text, or the reason it was not read: links are followed only to regular files inside `dir` (a link out, to a device,
 * a FIFO or a loop is named and skipped), and links to folders are not walked.
 */
function promptFilesUnder(dir: string): { full: string; text?: string; problem?: string }[] {
  const out: { full: string; text?: string; problem?: string }[] = [];
  const real = realFolder(dir) ?? dir;
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (e) {
      out.push({ full: d, problem: `cannot list (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !(e.name.startsWith('.') && e.name !== '.github')) walk(full);
        continue;
      }
      const rel = path.relative(dir, full).split(path.sep).join('/');
      if (!/\.(md|prompty|prompt|txt|json|jsonl|ya?ml)$/i.test(rel)) continue;
      let text: string;
      try {
        text = readRegularFile(full, { maxBytes: MAX_FILE_BYTES, within: real, withinLabel: 'the folder' });
      } catch (err) {
        if (!(err instanceof FileRefusal)) throw err;
        if (isPromptFile(rel, '') || /\.jsonl?$/i.test(rel)) out.push({ full, problem: err.problem });
        continue;
      }
      if (isPromptFile(rel, text)) out.push({ full, text });
    }
  };
  walk(dir);
  return out;
}

/**
 * `kvlens cost --workspace [DIR]`: every prompt file under DIR (default: the current folder) × the chosen models (or
 * each file's own), per month at --rate (default 60/h) with and without the cache — the cost report's workspace table.
 */
async function workspaceCost(
  positionals: string[],
  values: {
    model?: string[];
    rate?: string;
    'output-tokens'?: string;
    ttl?: string;
    catalog?: string[];
    json?: boolean;
  },
  io: Output,
): Promise<number> {
  if (positionals.length > 1) throw new CliError(`cost --workspace takes at most one folder (usage: ${usage})`);
  const dir = path.resolve(positionals[0] ?? '.');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new CliError(`${visible(positionals[0] ?? dir)}: not a folder`);
  const ratePerHour = values.rate === undefined ? 60 : parseRate(values.rate);
  if (ratePerHour === undefined)
    throw new CliError(`--rate must be calls per time, like 12/h, 2/min or 100/d (got "${values.rate}")`);
  const outputTokens = positiveInt('output-tokens', values['output-tokens'], 0, 0);
  const catalog = catalogFromOptions(values.catalog);
  const chosen = (values.model ?? []).map((id) => {
    const f = catalog.find(id);
    if (!f.ok) throw new CliError(f.message);
    return f.model;
  });
  const rows: {
    file: string;
    model: string;
    tokens: number;
    exact: boolean;
    perMonth: { withoutCache: number; withCache: number };
    problem?: string;
  }[] = [];
  for (const { full, text, problem } of promptFilesUnder(dir)) {
    const file = path.relative(dir, full).split(path.sep).join('/') || full;
    if (text === undefined) {
      rows.push({
        file,
        model: '',
        tokens: 0,
        exact: false,
        perMonth: { withoutCache: 0, withCache: 0 },
        problem: `skipped: ${problem}`,
      });
      continue;
    }
    let models: ModelInfo[];
    try {
      models = chosen.length ? chosen : [modelFor(full, text, undefined, values.catalog)];
    } catch (e) {
      rows.push({
        file,
        model: '',
        tokens: 0,
        exact: false,
        perMonth: { withoutCache: 0, withCache: 0 },
        problem: (e as Error).message,
      });
      continue;
    }
    const memo = new Map<string, Rendered>();
    for (const model of models) {
      let r: Rendered;
      try {
        r = render(full, text, model, memo);
      } catch (e) {
        rows.push({
          file,
          model: model.id,
          tokens: 0,
          exact: false,
          perMonth: { withoutCache: 0, withCache: 0 },
          problem: (e as Error).message,
        });
        continue;
      }
      const exact = r.exact;
      const inputs: CostInputs = { calls: 10, ratePerHour, outputTokens, ttl: values.ttl };
      const j = estimateJson(
        estimateCost(
          model,
          r.rendered,
          { exact, encoding: r.tokenizer.encoding, band: errorBandFor(r.tokenizer, r.rendered.blocks) },
          inputs,
        ),
        inputs,
      );
      rows.push({ file, model: model.id, tokens: j.tokens, exact, perMonth: j.perMonth! });
    }
  }
  const total = (k: 'withoutCache' | 'withCache') =>
    Math.round(rows.reduce((a, r) => a + r.perMonth[k], 0) * 1e6) / 1e6;
  if (values.json) {
    io.out(
      JSON.stringify(
        {
          workspace: dir,
          currency: 'USD',
          ratePerHour,
          outputTokens,
          files: rows,
          totals: { perMonth: { withoutCache: total('withoutCache'), withCache: total('withCache') } },
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const head = ['prompt file', 'model', 'tokens', 'month, no cache', 'month, with cache'];
  const body = rows.map((r) =>
    r.problem
      ? [visible(r.file), r.model, '–', visible(r.problem), '']
      : [
          visible(r.file),
          r.model,
          `${r.tokens}${r.exact ? '' : '~'}`,
          `$${r.perMonth.withoutCache}`,
          `$${r.perMonth.withCache}`,
        ],
  );
  body.push(['workspace', '', '', `$${total('withoutCache')}`, `$${total('withCache')}`]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  io.out(
    [
      `${dir}: ${rows.length} prompt file × model rows at ${ratePerHour}/h, ${outputTokens} output tokens per call, 30-day month`,
      line(head),
      line(widths.map((w) => '-'.repeat(w))),
      ...body.map(line),
    ].join('\n'),
  );
  return 0;
}
