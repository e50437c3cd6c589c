import path from 'node:path';
import { HARNESS_IDS, warningMessage, type HarnessId } from '../../core/agents';
import type { Catalog } from '../../core/pricing/catalog';
import { CliError, visible } from '../io';
import { workspaceSettings } from '../workspaceSettings';
import { runAgents } from './agents';

// `kvlens check`'s gate on agent instruction files: a pull request that pushes AGENTS.md past Codex's
// project_doc_max_bytes (bytes never sent), or a harness's always-loaded instructions past a token budget, fails.
// Configured by flags, else by the workspace's .vscode/settings.json as the editor reads it:
//   "kvlens.agents.budgets": { "codex": 8000, "claude-code": 12000 }   (tokens sent every request, per harness)
//   "kvlens.agents.failOnTruncation": true                             (default: a cut or skipped file fails)

/** File names and paths that are agent instruction files (a change to one turns the gate on). */
export function isInstructionFile(rel: string): boolean {
  const p = rel.replace(/\\/g, '/');
  const name = p.slice(p.lastIndexOf('/') + 1);
  return (
    ['AGENTS.md', 'AGENTS.override.md', 'CLAUDE.md', 'CLAUDE.local.md', 'GEMINI.md', '.cursorrules'].includes(name) ||
    /(^|\/)\.claude\/(rules|agents|skills|commands)\//.test(p) ||
    /(^|\/)\.github\/(copilot-instructions\.md$|instructions\/|agents\/|chatmodes\/)/.test(p) ||
    /(^|\/)\.cursor\/rules\//.test(p) ||
    /(^|\/)\.(codex|agents|gemini)\/skills\//.test(p)
  );
}

export interface AgentGateConfig {
  readonly budgets: Partial<Record<HarnessId, number>>;
  readonly failOnTruncation: boolean;
}

export interface AgentGateFailure {
  readonly harness: HarnessId;
  readonly code: 'token-budget' | 'budget-truncated' | 'budget-skipped';
  readonly path: string | null;
  readonly line: number | null;
  readonly message: string;
  readonly tokens?: number;
  readonly budget?: number;
}

export interface AgentGateResult {
  readonly dir: string;
  readonly ok: boolean;
  readonly harnesses: { readonly harness: HarnessId; readonly tokens: number; readonly budget: number | null }[];
  readonly failures: readonly AgentGateFailure[];
}

/** `--agents-budget codex=8000` (repeatable) or `--agents-budget 8000` (every harness), over the settings' budgets. */
export function gateConfig(
  dir: string,
  flags: readonly string[] | undefined,
  truncation: string | undefined,
): AgentGateConfig {
  const s = workspaceSettings(path.join(dir, 'AGENTS.md'));
  const budgets: Partial<Record<HarnessId, number>> = {};
  const fromSettings = s.values['kvlens.agents.budgets'];
  if (typeof fromSettings === 'object' && fromSettings !== null && !Array.isArray(fromSettings))
    for (const [k, v] of Object.entries(fromSettings))
      if (HARNESS_IDS.includes(k as HarnessId) && typeof v === 'number' && v >= 0) budgets[k as HarnessId] = v;
  for (const f of flags ?? []) {
    const m = /^(?:([a-z-]+)=)?(\d+)$/.exec(f.trim());
    if (!m || (m[1] && !HARNESS_IDS.includes(m[1] as HarnessId)))
      throw new CliError(
        `--agents-budget ${visible(f)}: expected TOKENS or HARNESS=TOKENS (${HARNESS_IDS.join(', ')})`,
      );
    for (const h of m[1] ? [m[1] as HarnessId] : HARNESS_IDS) budgets[h] = Number(m[2]);
  }
  let failOnTruncation = s.values['kvlens.agents.failOnTruncation'] !== false;
  if (truncation !== undefined) {
    if (truncation !== 'fail' && truncation !== 'warn')
      throw new CliError(`--agents-truncation must be fail or warn (got "${visible(truncation)}")`);
    failOnTruncation = truncation === 'fail';
  }
  return { budgets, failOnTruncation };
}

export async function agentGate(dir: string, cfg: AgentGateConfig, catalog: Catalog): Promise<AgentGateResult> {
  const ctx = await runAgents({ dir, catalog, sessions: false });
  const failures: AgentGateFailure[] = [];
  const harnesses: AgentGateResult['harnesses'][number][] = [];
  for (const h of ctx.harnesses) {
    const tokens = h.instructions?.tokens ?? 0;
    const budget = cfg.budgets[h.harness] ?? null;
    harnesses.push({ harness: h.harness, tokens, budget });
    if (budget !== null && tokens > budget)
      failures.push({
        harness: h.harness,
        code: 'token-budget',
        path: null,
        line: null,
        tokens,
        budget,
        message: `${h.displayName} sends ${tokens} tokens of instruction files in every request, over the budget of ${budget}`,
      });
    if (cfg.failOnTruncation)
      for (const w of h.warnings)
        if (w.code === 'budget-truncated' || w.code === 'budget-skipped')
          failures.push({ harness: h.harness, code: w.code, path: w.path, line: w.line, message: warningMessage(w) });
  }
  return { dir: ctx.dir, ok: failures.length === 0, harnesses, failures };
}

export function gateLines(g: AgentGateResult): string[] {
  const lines = g.failures.map(
    (f) =>
      `FAIL agents ${f.harness}${f.path ? ` ${visible(f.path)}${f.line ? `:${f.line}` : ''}` : ''}: ${visible(f.message)}`,
  );
  const summary = g.harnesses
    .map((h) => `${h.harness} ${h.tokens}${h.budget !== null ? `/${h.budget}` : ''} tokens`)
    .join(', ');
  lines.push(
    `agent instruction files in ${visible(g.dir)}: ${summary || 'none'}: ${g.ok ? 'ok' : `${g.failures.length} failed`}`,
  );
  return lines;
}
