import { parseArgs } from 'node:util';
import { fileModelCandidate } from '../../core/analysis/fileModel';
import { chooseModel } from '../../core/analysis/modelChoice';
import { analyzeVersions, renderVersion as renderCoreVersion, type PromptVersion } from '../../core/analysis/versions';
import type { CacheReport } from '../../core/cache/types';
import type { ModelInfo } from '../../core/pricing/types';
import { formatDiagnostic } from '../../core/prompt/diagnostics';
import { parsePrompt } from '../../core/prompt/parse';
import { tokenizerForModel } from '../../core/pricing/modelTokenizer';
import type { Tokenizer } from '../../core/tokenizer/types';
import { fileAtRevision } from '../git';
import { CliError, readTextFile, visible, type Output } from '../io';
import { stringSetting, workspaceSettings } from '../workspaceSettings';
import { catalogFromOptions } from './catalogOption';

export { analyzeVersions, type PromptVersion };

export const usage =
  'kvlens analyze FILE [--model ID] [--baseline FILE|git:REV ...] [--catalog FILE] [--sample-inputs] [--json]';

export function tokenizerFor(model: ModelInfo): Tokenizer {
  return tokenizerForModel(model).tokenizer;
}

/** Parses and renders one version of a prompt file; any error diagnostic is a one-line CliError naming it. */
export function renderVersion(
  label: string,
  fileName: string,
  text: string,
  tokenizer: Tokenizer,
  sampleInputs = false,
): PromptVersion {
  const r = renderCoreVersion(
    label,
    fileName,
    text,
    tokenizer,
    undefined,
    sampleInputs ? parsePrompt(text, { fileName, sampleInputs }) : undefined,
  );
  if (r.ok) return r.version;
  throw new CliError(r.diagnostic ? formatDiagnostic(label, r.diagnostic) : `${label}: ${r.message}`);
}

/** The file's text at a git revision (undefined when the file is not in it); the revision must name a commit. */
export function gitVersion(file: string, rev: string): string | undefined {
  return fileAtRevision(file, rev);
}

/**
 * The model for FILE as the editor would pick it (ARCHITECTURE.md): --model, else the model the file names, else
 * `kvlens.model` of the nearest .vscode/settings.json, else the extension's default.
 */
export function modelFor(
  file: string,
  text: string,
  id: string | undefined,
  catalogFiles: string[] | undefined,
): ModelInfo {
  const named = id
    ? { id: undefined, from: 'file' as const }
    : fileModelCandidate(parsePrompt(text, { fileName: file }), text, file);
  const settings = id || named.id ? undefined : workspaceSettings(file);
  const choice = chooseModel(catalogFromOptions(catalogFiles), [
    { id, from: 'flag' },
    named,
    {
      id: settings && stringSetting(settings, 'kvlens.model'),
      from: 'settings',
      where: `setting kvlens.model in ${settings?.file}`,
    },
  ]);
  if (!choice.ok) throw new CliError(choice.message);
  return choice.model;
}

const pct = (a: number, b: number) => (b ? Math.round((1000 * a) / b) / 10 : 0);

export function humanReport(file: string, r: CacheReport): string {
  const lines = [
    `${visible(file)}: ${r.model} (${r.provider}), ${r.tokens} tokens (${r.tokenizer.encoding}${r.tokenizer.exact ? '' : ', estimate'})`,
    `  baseline: ${r.baseline ? visible(r.baseline) : 'none (cold cache)'}`,
    `  reusable prefix ${r.reusablePrefixTokens}, cached ${r.cachedTokens} (${pct(r.cachedTokens, r.tokens)} %), cache write ${r.cacheWriteTokens}, uncached ${r.uncachedTokens}`,
  ];
  const d = r.firstDivergence;
  if (d)
    lines.push(
      `  cache breaks at ${visible(file)}:${d.line}:${d.column} (token ${d.token})`,
      `    was: ${visible(d.before)}`,
      `    now: ${visible(d.after)}`,
    );
  if (r.cost)
    lines.push(
      `  input cost $${r.cost.withCache} with cache vs $${r.cost.uncached} uncached (${r.cost.savingsPercent} % saved)`,
    );
  for (const b of r.blocks)
    lines.push(
      `  ${b.status.padEnd(8)} ${visible(b.label)}: ${b.cachedTokens}/${b.tokens} cached${b.cacheWriteTokens ? `, ${b.cacheWriteTokens} written` : ''}`,
    );
  for (const w of r.warnings) lines.push(`  warning (${w.code}): ${visible(w.message)}`);
  return lines.join('\n');
}

/** Which part of FILE a provider serves from its prompt cache, given what was sent before (the baselines). */
export async function analyzeCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: 'string', short: 'm' },
      baseline: { type: 'string', short: 'b', multiple: true },
      catalog: { type: 'string', multiple: true },
      'sample-inputs': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new CliError(`analyze takes one FILE (usage: ${usage})`);
  const file = positionals[0];
  const text = readTextFile(file);
  const model = modelFor(file, text, values.model, values.catalog);
  const tokenizer = tokenizerFor(model);
  const samples = values['sample-inputs'];
  const current = renderVersion(file, file, text, tokenizer, samples);
  const baselines = (values.baseline ?? []).map((b) => {
    if (b.startsWith('git:')) {
      const rev = b.slice(4);
      if (!rev) throw new CliError(`--baseline git: needs a revision (git:HEAD, git:main~1)`);
      const old = gitVersion(file, rev);
      if (old === undefined) throw new CliError(`${file}: not in git revision ${rev}`);
      return renderVersion(`${file}@${rev}`, file, old, tokenizer, samples);
    }
    return renderVersion(b, b, readTextFile(b), tokenizer, samples);
  });
  const report = analyzeVersions(current, baselines, model, Date.now());
  io.out(values.json ? JSON.stringify({ file, ...report }) : humanReport(file, report));
  return 0;
}
