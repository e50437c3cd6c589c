import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CacheReport } from '../../core/cache/types';
import { isPromptFile } from '../../core/prompt/promptFiles';
import { CliError, readTextFile, type Output } from '../io';
import { analyzeVersions, gitVersion, modelFor, renderVersion, tokenizerFor } from './analyze';

export const usage = 'kvlens check [--base REV] [--min-cached PCT] [--model ID] [--catalog FILE] [--json] [PATHS...]';

/**
 * A CI gate. For each prompt file (PATHS, or every prompt file changed since REV), compare the version at REV sent
 * repeatedly (before) with the working-tree version sent right after it (after). Fails when:
 *  - --min-cached PCT is given and the new version would have less than PCT % of its tokens read from cache;
 *  - otherwise, when the change breaks the cache inside the part that was cached before (appending, or editing
 *    only the uncached tail, passes).
 */
interface FileResult {
  readonly file: string;
  readonly model: string;
  readonly status: 'ok' | 'failed' | 'new' | 'unchanged';
  readonly tokensBefore?: number;
  readonly tokensAfter?: number;
  readonly cachedBefore?: number;
  readonly cachedAfter?: number;
  readonly cachedShareBefore?: number;
  readonly cachedShareAfter?: number;
  readonly reason?: string;
  readonly firstDivergence?: CacheReport['firstDivergence'];
}

function git(args: string[], cwd: string): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    const msg = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split('\n')[0];
    throw new CliError(/not a git repository/i.test(msg) ? `${cwd}: not in a git repository` : `git ${args[0]}: ${msg}`);
  }
}

const share = (a: number, b: number) => (b ? Math.round((1000 * a) / b) / 10 : 0);

function checkFile(file: string, rev: string, minCached: number | undefined, modelId: string | undefined, catalog: string[] | undefined): FileResult {
  const text = readTextFile(file);
  const old = gitVersion(file, rev);
  const model = modelFor(file, text, modelId, catalog);
  if (old === undefined) return { file, model: model.id, status: 'new', reason: `not in ${rev}: nothing cached to break` };
  const tokenizer = tokenizerFor(model);
  const before = renderVersion(`${file}@${rev}`, file, old, tokenizer);
  const after = renderVersion(file, file, text, tokenizer);
  const now = Date.now();
  const b = analyzeVersions(before, [], model, now);
  const a = analyzeVersions(after, [before], model, now);
  const base = {
    file, model: model.id, tokensBefore: b.tokens, tokensAfter: a.tokens, cachedBefore: b.cachedTokens, cachedAfter: a.cachedTokens,
    cachedShareBefore: share(b.cachedTokens, b.tokens), cachedShareAfter: share(a.cachedTokens, a.tokens), firstDivergence: a.firstDivergence,
  };
  if (old === text) return { ...base, status: 'unchanged' };
  let reason: string | undefined;
  if (minCached !== undefined) {
    if (base.cachedShareAfter < minCached) reason = `cached share ${base.cachedShareAfter} % is below --min-cached ${minCached} %`;
  } else if (a.cachedTokens < b.cachedTokens) {
    reason = `the change breaks the cache at token ${a.reusablePrefixTokens}, inside the ${b.cachedTokens} tokens that were cached`;
  }
  return { ...base, status: reason ? 'failed' : 'ok', ...(reason ? { reason } : {}) };
}

function human(r: FileResult): string {
  if (r.status === 'new' || r.status === 'unchanged') return `${r.status === 'new' ? 'new ' : 'same'} ${r.file} (${r.model})${r.reason ? ': ' + r.reason : ''}`;
  const head = `${r.status === 'failed' ? 'FAIL' : 'ok  '} ${r.file} (${r.model}): cached ${r.cachedShareBefore} % → ${r.cachedShareAfter} % (${r.cachedBefore}/${r.tokensBefore} → ${r.cachedAfter}/${r.tokensAfter} tokens)`;
  const lines = [head];
  if (r.reason) lines.push(`     ${r.reason}`);
  const d = r.firstDivergence;
  if (d && r.status === 'failed') lines.push(`     cache breaks at ${r.file}:${d.line}:${d.column}`, `       was: ${d.before}`, `       now: ${d.after}`);
  return lines.join('\n');
}

export async function checkCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      base: { type: 'string', default: 'HEAD' }, 'min-cached': { type: 'string' }, model: { type: 'string', short: 'm' },
      catalog: { type: 'string', multiple: true }, json: { type: 'boolean', default: false },
    },
  });
  let minCached: number | undefined;
  if (values['min-cached'] !== undefined) {
    const v = values['min-cached'].replace(/%$/, '');
    minCached = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || minCached > 100) throw new CliError(`--min-cached must be a percentage 0–100 (got "${values['min-cached']}")`);
  }
  const rev = values.base!;
  let files = positionals;
  if (!files.length) {
    const root = git(['rev-parse', '--show-toplevel'], process.cwd()).trim();
    const changed = git(['diff', '--name-only', '--diff-filter=AM', rev, '--'], root).split('\n').filter(Boolean);
    files = changed.filter((f) => {
      const abs = path.join(root, f);
      return fs.existsSync(abs) && isPromptFile(f, fs.readFileSync(abs, 'utf8'));
    }).map((f) => path.relative(process.cwd(), path.join(root, f)) || f);
  }
  const results = files.map((f) => checkFile(f, rev, minCached, values.model, values.catalog));
  const failed = results.filter((r) => r.status === 'failed').length;
  if (values.json) io.out(JSON.stringify({ base: rev, minCached: minCached ?? null, ok: failed === 0, files: results }));
  else io.out([...results.map(human), `${results.length} prompt file${results.length === 1 ? '' : 's'} checked against ${rev}: ${failed ? `${failed} failed` : 'ok'}`].join('\n'));
  return failed ? 1 : 0;
}
