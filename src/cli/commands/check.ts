import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CacheReport } from '../../core/cache/types';
import { isPromptFile } from '../../core/prompt/promptFiles';
import { FileRefusal, readRegularFile, realFolder } from '../../node/regularFile';
import { changedFiles, gitRoot, verifyCommit } from '../git';
import { CliError, MAX_FILE_BYTES, readTextFile, visible, type Output } from '../io';
import { analyzeVersions, gitVersion, modelFor, renderVersion, tokenizerFor } from './analyze';
import { catalogFromOptions } from './catalogOption';
import { agentGate, gateConfig, gateLines, isInstructionFile, type AgentGateResult } from './checkAgents';
import { codeLanguageOf, mentionsLlmSdk } from '../../core/code/languages';
import { codeReportOf } from './code';

// Source files (.py, .ts, .js…) among PATHS or the changed files are checked with `kvlens code`'s rules (see checkCodeFile).
export const usage =
  'kvlens check [--base REV] [--min-cached PCT] [--model ID] [--catalog FILE] [--agents] [--agents-budget [HARNESS=]TOKENS ...] [--agents-truncation fail|warn] [--json] [PATHS...]';

/**
 * A CI gate. For each prompt file (PATHS, or every prompt file changed since REV), compare the version at REV sent
 * repeatedly (before) with the working-tree version sent right after it (after). Fails when:
 *  - --min-cached PCT is given and the new version would have less than PCT % of its tokens read from cache;
 *  - otherwise, when the change breaks the cache inside the part that was cached before (appending, or editing
 *    only the uncached tail, passes).
 * With --agents, or when an agent instruction file (AGENTS.md, CLAUDE.md, rules, skills…) is among the files checked,
 * the agent-instruction gate (checkAgents.ts) runs on the repository too: Codex's budget cut and token budgets.
 */
interface FileResult {
  readonly file: string;
  readonly model: string;
  readonly status: 'ok' | 'failed' | 'new' | 'unchanged' | 'skipped';
  readonly tokensBefore?: number;
  readonly tokensAfter?: number;
  readonly cachedBefore?: number;
  readonly cachedAfter?: number;
  readonly cachedShareBefore?: number;
  readonly cachedShareAfter?: number;
  readonly reason?: string;
  readonly firstDivergence?: CacheReport['firstDivergence'];
  /** For a source file: its LLM calls (`kvlens code`), and the ones that fail the gate. */
  readonly calls?: number;
  readonly failedCalls?: readonly {
    line: number;
    what: string;
    volatility: string;
    tokensAfter: number;
    lostPerCall: number | null;
  }[];
}

/**
 * A Python or TypeScript/JavaScript file: fails when a per-request value sits ahead of static prompt text in a call
 * whose static text would reach the model's cache minimum if the value came after it (`kvlens code` flags).
 */
async function checkCodeFile(
  file: string,
  text: string,
  modelId: string | undefined,
  catalog: string[] | undefined,
): Promise<FileResult> {
  const r = await codeReportOf(file, text, { model: modelId, catalog });
  const failing = r.calls.filter((c) => c.flag && c.breaks?.volatility === 'request' && c.wouldReachMinimum);
  const models = [...new Set(r.calls.map((c) => c.modelUsed.id))].join(', ');
  const failedCalls = failing.map((c) => ({
    line: c.breaks!.line,
    what: c.breaks!.what,
    volatility: c.breaks!.volatility,
    tokensAfter: c.tokensAfter,
    lostPerCall: c.lostPerCall,
  }));
  const reason = failing.length
    ? failing
        .map(
          (c) =>
            `line ${c.breaks!.line}: ${c.breaks!.what} (per request) sits ahead of ${c.tokensAfter} static tokens of the call at line ${c.line}; move it after them`,
        )
        .join('; ')
    : undefined;
  return {
    file,
    model: models,
    status: failing.length ? 'failed' : 'ok',
    calls: r.calls.length,
    failedCalls,
    ...(reason ? { reason } : {}),
  };
}

const share = (a: number, b: number) => (b ? Math.round((1000 * a) / b) / 10 : 0);

function checkFile(
  file: string,
  text: string,
  rev: string,
  minCached: number | undefined,
  modelId: string | undefined,
  catalog: string[] | undefined,
): FileResult {
  const old = gitVersion(file, rev);
  const model = modelFor(file, text, modelId, catalog);
  if (old === undefined)
    return { file, model: model.id, status: 'new', reason: `not in ${rev}: nothing cached to break` };
  const tokenizer = tokenizerFor(model);
  const before = renderVersion(`${file}@${rev}`, file, old, tokenizer);
  const after = renderVersion(file, file, text, tokenizer);
  const now = Date.now();
  const b = analyzeVersions(before, [], model, now);
  const a = analyzeVersions(after, [before], model, now);
  const base = {
    file,
    model: model.id,
    tokensBefore: b.tokens,
    tokensAfter: a.tokens,
    cachedBefore: b.cachedTokens,
    cachedAfter: a.cachedTokens,
    cachedShareBefore: share(b.cachedTokens, b.tokens),
    cachedShareAfter: share(a.cachedTokens, a.tokens),
    firstDivergence: a.firstDivergence,
  };
  if (old === text) return { ...base, status: 'unchanged' };
  let reason: string | undefined;
  if (minCached !== undefined) {
    if (base.cachedShareAfter < minCached)
      reason = `cached share ${base.cachedShareAfter} % is below --min-cached ${minCached} %`;
  } else if (a.cachedTokens < b.cachedTokens) {
    reason = `the change breaks the cache at token ${a.reusablePrefixTokens}, inside the ${b.cachedTokens} tokens that were cached`;
  }
  return { ...base, status: reason ? 'failed' : 'ok', ...(reason ? { reason } : {}) };
}

function human(r: FileResult): string {
  if (r.status === 'skipped') return `skip ${visible(r.file)}: ${visible(r.reason ?? '')}`;
  if (r.calls !== undefined)
    return [
      `${r.status === 'failed' ? 'FAIL' : 'ok  '} ${visible(r.file)} (${r.model || 'no calls'}): ${r.calls} LLM call${r.calls === 1 ? '' : 's'}`,
      ...(r.failedCalls ?? []).map(
        (c) =>
          `     ${visible(r.file)}:${c.line}: ${visible(c.what)} (per request) sits ahead of ${c.tokensAfter} static tokens${c.lostPerCall !== null ? ` ($${c.lostPerCall.toFixed(6)} per call)` : ''}`,
      ),
    ].join('\n');
  if (r.status === 'new' || r.status === 'unchanged')
    return `${r.status === 'new' ? 'new ' : 'same'} ${visible(r.file)} (${r.model})${r.reason ? ': ' + visible(r.reason) : ''}`;
  const head = `${r.status === 'failed' ? 'FAIL' : 'ok  '} ${visible(r.file)} (${r.model}): cached ${r.cachedShareBefore} % → ${r.cachedShareAfter} % (${r.cachedBefore}/${r.tokensBefore} → ${r.cachedAfter}/${r.tokensAfter} tokens)`;
  const lines = [head];
  if (r.reason) lines.push(`     ${r.reason}`);
  const d = r.firstDivergence;
  if (d && r.status === 'failed')
    lines.push(
      `     cache breaks at ${visible(r.file)}:${d.line}:${d.column}`,
      `       was: ${visible(d.before)}`,
      `       now: ${visible(d.after)}`,
    );
  return lines.join('\n');
}

export async function checkCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      base: { type: 'string', default: 'HEAD' },
      'min-cached': { type: 'string' },
      model: { type: 'string', short: 'm' },
      catalog: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      agents: { type: 'boolean', default: false },
      'agents-budget': { type: 'string', multiple: true },
      'agents-truncation': { type: 'string' },
    },
  });
  let minCached: number | undefined;
  if (values['min-cached'] !== undefined) {
    const v = values['min-cached'].replace(/%$/, '');
    minCached = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || minCached > 100)
      throw new CliError(`--min-cached must be a percentage 0–100 (got "${values['min-cached']}")`);
  }
  const rev = values.base!;
  const results: FileResult[] = [];
  let gateDir: string | undefined = values.agents || values['agents-budget'] ? process.cwd() : undefined;
  if (positionals.length) {
    // Files named on the command line: any problem with one is the command's error.
    // Source files are judged as they stand and instruction files by the agents gate; prompt files compare with REV.
    let verified = positionals.some((f) => !codeLanguageOf(f));
    if (verified) verifyCommit(rev, process.cwd());
    for (const f of positionals) {
      if (isInstructionFile(f)) {
        gateDir ??= process.cwd();
        continue;
      }
      const text = readTextFile(f);
      if (codeLanguageOf(f) && !isPromptFile(f, text))
        results.push(await checkCodeFile(f, text, values.model, values.catalog));
      else {
        if (!verified) verifyCommit(rev, process.cwd());
        verified = true;
        results.push(checkFile(f, text, rev, minCached, values.model, values.catalog));
      }
    }
  } else {
    const root = gitRoot(process.cwd());
    const realRoot = realFolder(root) ?? root;
    const commit = verifyCommit(rev, root);
    for (const f of changedFiles(commit, root)) {
      if (isInstructionFile(f)) gateDir = root;
      const abs = path.join(root, f);
      const shown = path.relative(process.cwd(), abs) || f;
      // A changed file the repository made a link out of it, a FIFO or a giant is named and skipped, never followed.
      let text: string;
      try {
        text = readRegularFile(abs, { maxBytes: MAX_FILE_BYTES, within: realRoot, withinLabel: 'the repository' });
      } catch (e) {
        if (!(e instanceof FileRefusal)) throw e;
        if (isPromptFile(f, '') || /\.jsonl?$/i.test(f))
          results.push({ file: shown, model: '', status: 'skipped', reason: e.problem });
        continue;
      }
      if (codeLanguageOf(f) && !isPromptFile(f, text)) {
        if (mentionsLlmSdk(text)) results.push(await checkCodeFile(shown, text, values.model, values.catalog));
        continue;
      }
      if (!isPromptFile(f, text)) continue;
      results.push(checkFile(shown, text, rev, minCached, values.model, values.catalog));
    }
  }
  let gate: AgentGateResult | undefined;
  if (gateDir !== undefined)
    gate = await agentGate(
      gateDir,
      gateConfig(gateDir, values['agents-budget'], values['agents-truncation']),
      catalogFromOptions(values.catalog),
    );
  const failed = results.filter((r) => r.status === 'failed').length + (gate?.failures.length ?? 0);
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const checked = results.length - skipped;
  if (values.json)
    io.out(
      JSON.stringify({
        base: rev,
        minCached: minCached ?? null,
        ok: failed === 0,
        files: results,
        ...(gate ? { agents: gate } : {}),
      }),
    );
  else
    io.out(
      [
        ...results.map(human),
        ...(gate ? gateLines(gate) : []),
        `${checked} prompt file${checked === 1 ? '' : 's'} checked against ${visible(rev)}${skipped ? ` (${skipped} skipped)` : ''}: ${failed ? `${failed} failed` : 'ok'}`,
      ].join('\n'),
    );
  return failed ? 1 : 0;
}
