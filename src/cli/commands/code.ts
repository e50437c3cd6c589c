import path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeCode, type CodeModelOptions, type CodeReport } from '../../core/code/analyzeCode';
import type { CodeCallReport } from '../../core/code/callReport';
import { codeLanguageOf } from '../../core/code/languages';
import type { WorkspaceFiles } from '../../core/code/workspaceModules';
import { chooseModel } from '../../core/analysis/modelChoice';
import { formatUsdNumber } from '../../core/pricing/money';
import { nodeCodeParsers } from '../../node/grammarFiles';
import { FileRefusal, isInside, readRegularFile, realFolder } from '../../node/regularFile';
import { CliError, MAX_FILE_BYTES, readTextFile, visible, type Output } from '../io';
import { stringSetting, workspaceSettings } from '../workspaceSettings';
import { catalogFromOptions } from './catalogOption';

export const usage = 'kvlens code FILE [--provider P] [--model ID] [--workspace DIR] [--catalog FILE] [--json]';

/** The models a code file's calls are measured with: --model, else each call's own, else the settings' or default. */
export function codeModelOptions(
  file: string,
  model: string | undefined,
  provider: string | undefined,
  catalogs?: string[],
): CodeModelOptions {
  const catalog = catalogFromOptions(catalogs);
  let chosen: CodeModelOptions['model'];
  if (model) {
    const c = chooseModel(catalog, [{ id: model, from: 'flag' }]);
    if (!c.ok) throw new CliError(`--model: ${c.message}`);
    chosen = c.model;
  }
  const settings = workspaceSettings(file);
  const id = stringSetting(settings, 'kvlens.model');
  const fb = chooseModel(catalog, [{ id, from: 'settings', where: `setting kvlens.model in ${settings.file}` }]);
  if (!fb.ok) throw new CliError(fb.message);
  return {
    catalog,
    model: chosen,
    provider,
    fallback: fb.model,
    fallbackFrom: fb.from === 'settings' ? 'settings' : 'default',
  };
}

/** The workspace whose files imports are followed into: --workspace DIR, read as regular files inside it only. */
export function workspaceFiles(file: string, dir: string | undefined): WorkspaceFiles | undefined {
  if (!dir) return undefined;
  const root = realFolder(dir);
  if (!root) throw new CliError(`--workspace ${visible(dir)}: not a folder`);
  const real = realFolder(path.dirname(path.resolve(file)));
  const abs = real ? path.join(real, path.basename(file)) : path.resolve(file);
  const self = isInside(root, abs) ? path.relative(root, abs).split(path.sep).join('/') : undefined;
  return {
    self,
    read: async (rel) => {
      try {
        return readRegularFile(path.join(root, ...rel.split('/')), {
          maxBytes: MAX_FILE_BYTES,
          within: root,
          withinLabel: 'the workspace',
        });
      } catch (e) {
        if (e instanceof FileRefusal) return undefined;
        throw e;
      }
    },
  };
}

export async function codeReportOf(
  file: string,
  text: string,
  opts: { model?: string; provider?: string; workspace?: string; catalog?: string[] },
): Promise<CodeReport> {
  if (!codeLanguageOf(file))
    throw new CliError(
      `${visible(file)}: not a Python, TypeScript or JavaScript file (.py, .ts, .tsx, .js, .jsx, .mjs, .cjs)`,
    );
  const models = codeModelOptions(file, opts.model, opts.provider, opts.catalog);
  try {
    return await analyzeCode({
      text,
      fileName: file,
      parsers: nodeCodeParsers(),
      models,
      workspace: workspaceFiles(file, opts.workspace),
      now: Date.now(),
    });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${visible(file)}: cannot analyze the code (${(e as Error).message})`);
  }
}

const n = new Intl.NumberFormat('en-US').format;
const VOL: Record<string, string> = {
  request: 'per request',
  session: 'per session',
  day: 'per day',
  process: 'per process',
  config: 'from config',
  unknown: 'unknown',
};

/** One call as lines of the readable report. */
export function humanCall(file: string, c: CodeCallReport): string[] {
  const assumed = c.modelUsed.from === 'call' || c.modelUsed.from === 'flag' ? '' : ` (assumed: ${c.modelUsed.from})`;
  const lines = [
    `${visible(file)}:${c.line}  ${c.sdk}${c.provider ? ` → ${c.provider}` : ''}  ${c.model ? visible(c.model) : '(no model in the call)'}  measured as ${c.modelUsed.id}${assumed}`,
  ];
  const sys =
    c.systemStatic === true ? 'static' : c.systemStatic === false ? 'has run-time values' : 'none or a parameter';
  const sp = c.staticPrefix;
  const prefix =
    sp.chars === null
      ? `unknown${sp.unknown ? ` (${sp.unknown})` : ''}`
      : `${n(sp.chars)} chars, ${n(sp.tokens ?? 0)} tokens`;
  lines.push(`    system: ${sys} · static prefix: ${prefix}${c.cacheControl ? ' · cache_control placed' : ''}`);
  if (c.firstDynamic)
    lines.push(
      `    first dynamic value: ${visible(c.firstDynamic.what)} at ${c.firstDynamic.file ? `${visible(c.firstDynamic.file)}:` : 'line '}${c.firstDynamic.line}, ${VOL[c.firstDynamic.volatility]}`,
    );
  const cp = c.cachedPrefix;
  lines.push(
    `    kept between requests: ${n(cp.tokens)} tokens${cp.reachesMinimum ? '' : ` (below the ${n(c.minTokens)}-token minimum: not cached)`}`,
  );
  if (c.flag && c.breaks)
    lines.push(
      `    FLAG ${visible(c.breaks.what)} (line ${c.breaks.line}, ${VOL[c.breaks.volatility]}) sits ahead of ${n(c.tokensAfter)} static tokens${c.lostPerCall !== null ? `: ${formatUsdNumber(c.lostPerCall)} per call` : ''}${c.wouldReachMinimum ? '' : ` (the prompt would stay below the ${n(c.minTokens)}-token minimum)`}`,
    );
  for (const w of c.warnings) lines.push(`    note: ${visible(w)}`);
  return lines;
}

export function humanCodeReport(r: CodeReport): string {
  if (!r.calls.length) return `${visible(r.file)}: no LLM calls found`;
  const flagged = r.calls.filter((c) => c.flag).length;
  return [
    `${visible(r.file)}: ${r.calls.length} LLM call${r.calls.length === 1 ? '' : 's'}${flagged ? `, ${flagged} flagged` : ''}`,
    ...r.calls.flatMap((c) => humanCall(r.file, c)),
  ].join('\n');
}

/** The LLM calls of a source file, each with its cached prefix and the first value that breaks it. */
export async function codeCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      provider: { type: 'string' },
      model: { type: 'string', short: 'm' },
      workspace: { type: 'string', short: 'w' },
      catalog: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new CliError(`code takes one FILE (usage: ${usage})`);
  const file = positionals[0];
  const text = readTextFile(file);
  const r = await codeReportOf(file, text, {
    model: values.model,
    provider: values.provider,
    workspace: values.workspace,
    catalog: values.catalog,
  });
  io.out(values.json ? JSON.stringify({ file, language: r.language, calls: r.calls }) : humanCodeReport(r));
  return 0;
}
