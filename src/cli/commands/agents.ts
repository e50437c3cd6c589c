import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  discoverAgentContext,
  HARNESS_IDS,
  warningMessage,
  type AgentContext,
  type HarnessId,
} from '../../core/agents';
import type { AgentWarning, HarnessReport } from '../../core/agents/types';
import type { Catalog } from '../../core/pricing/catalog';
import { agentGlobalDirs, nodeAgentFs, toAgentPath } from '../../node/agentFsNode';
import { agentSessionStats } from '../../node/agentSessionStats';
import { CliError, visible, type Output } from '../io';
import { workspaceSettings } from '../workspaceSettings';
import { catalogFromOptions } from './catalogOption';

export const usage =
  'kvlens agents [DIR] [--harness claude-code|codex|copilot|cursor|gemini-cli ...] [--cwd PATH] [--model ID] [--catalog FILE] [--json]';

/** `files.exclude` of DIR's .vscode/settings.json as globs (the patterns set to true). */
function filesExclude(dir: string): string[] {
  const s = workspaceSettings(path.join(dir, 'AGENTS.md'));
  const v = s.values['files.exclude'];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [];
  return Object.entries(v as Record<string, unknown>)
    .filter(([, on]) => on === true)
    .map(([g]) => g.replace(/^\*\*\//, '**/'));
}

export interface AgentsRun {
  readonly dir: string;
  readonly harnesses?: readonly HarnessId[];
  readonly cwd?: string;
  readonly model?: string;
  readonly catalog: Catalog;
  /** Count the user's own sessions (the CLI does; tests of the rules pass false). */
  readonly sessions?: boolean;
}

/** DIR checked and discovered as the CLI does it: shared by `kvlens agents` and `kvlens check --agents`. */
export async function runAgents(run: AgentsRun): Promise<AgentContext> {
  const dir = path.resolve(run.dir);
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new CliError(`${visible(run.dir)}: no such folder`);
  }
  if (!st.isDirectory())
    throw new CliError(`${visible(run.dir)}: not a folder (kvlens agents takes the folder an agent starts in)`);
  const cwd =
    run.cwd === undefined ? toAgentPath(dir) : /^(?:\/|[A-Za-z]:[\\/])/.test(run.cwd) ? run.cwd : toAgentPath(run.cwd);
  if (run.model) {
    const m = run.catalog.find(run.model);
    if (!m.ok) throw new CliError(m.message);
  }
  const sessions = run.sessions === false ? {} : await agentSessionStats(cwd);
  return discoverAgentContext(
    toAgentPath(dir),
    {
      cwd,
      harnesses: run.harnesses,
      model: run.model,
      catalog: run.catalog,
      globals: agentGlobalDirs(),
      exclude: filesExclude(dir),
      sessions,
    },
    nodeAgentFs,
  );
}

/** The JSON of ARCHITECTURE.md's contract (and its typed extras). */
export function agentsJson(ctx: AgentContext) {
  const w = (x: AgentWarning) => ({
    code: x.code,
    message: warningMessage(x),
    path: x.path,
    line: x.line,
    ...(x.harness ? { harness: x.harness } : {}),
    facts: x.facts,
  });
  return {
    dir: ctx.dir,
    cwd: ctx.cwd,
    harnesses: ctx.harnesses.map((h) => ({
      harness: h.harness,
      displayName: h.displayName,
      version: h.version,
      model: h.model,
      files: h.files.map((f) => ({
        path: f.path,
        kind: f.kind,
        loaded: f.loaded,
        role: f.role,
        tokens: f.tokens,
        bytesSent: f.bytesSent,
        bytesLost: f.bytesLost,
        takesEffect: f.takesEffect,
        bytes: f.bytes,
        order: f.order,
        reason: f.reason,
        ...(f.bodyTokens !== undefined ? { bodyTokens: f.bodyTokens } : {}),
      })),
      instructions: h.instructions,
      sessions: h.sessions ? { count: h.sessions.count, medianRequests: h.sessions.medianRequests } : null,
      warnings: h.warnings.map(w),
      layers: h.layers,
      fixedLayers: h.fixedLayers,
      takesEffect: h.takesEffect,
      cost: h.cost,
    })),
    warnings: ctx.warnings.map(w),
  };
}

const n = (x: number) => x.toLocaleString('en-US');
const usd = (x: number) => (x < 0.01 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`);

function table(h: HarnessReport): string[] {
  const lines = [
    `${h.displayName} (${h.version}) · ${h.model} · ${n(h.fixedLayers.minTokens)}–${n(h.fixedLayers.maxTokens)} tokens of system prompt and tools in front (${h.fixedLayers.confidence}) · an edit takes effect ${h.takesEffect === 'next-turn' ? 'at the next turn' : 'at the next session'}`,
  ];
  const rows = h.files.map((f) => [
    f.loaded,
    f.role ?? '–',
    n(f.tokens),
    f.bytesLost ? `${n(f.bytesSent)} (+${n(f.bytesLost)} cut)` : n(f.bytesSent),
    visible(f.path),
  ]);
  const head = ['loaded', 'role', 'tokens', 'bytes sent', 'file'];
  const width = head.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) =>
    `  ${r.map((c, i) => (i === 2 || i === 3 ? c.padStart(width[i]) : i === 4 ? c : c.padEnd(width[i]))).join('  ')}`;
  lines.push(fmt(head), ...rows.map(fmt));
  if (h.instructions)
    lines.push(
      `  sent every request: ${n(h.instructions.tokens)} tokens as ${h.instructions.role ?? 'an undocumented role'}${h.instructions.exact ? '' : ' (estimate)'}`,
    );
  if (h.cost)
    lines.push(
      `  per session: ${usd(h.cost.totalUsd)} (one ${h.cost.ttl} write ${usd(h.cost.writeUsd)}, ${h.cost.requests - 1} reads ${usd(h.cost.readsUsd)}; ${h.cost.requests} requests ${h.cost.requestsFrom === 'sessions' ? `— the median of your ${h.sessions?.count} sessions here` : '— a default: no session of yours here'})`,
    );
  for (const x of h.warnings)
    lines.push(`  ! ${visible(x.path)}${x.line ? `:${x.line}` : ''}: ${visible(warningMessage(x))}`);
  return lines;
}

export async function agentsCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      harness: { type: 'string', multiple: true },
      cwd: { type: 'string' },
      model: { type: 'string', short: 'm' },
      catalog: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1) throw new CliError(`one DIR at most (got ${positionals.length}): ${usage}`);
  const harnesses = values.harness?.flatMap((h) => h.split(',')).map((h) => h.trim());
  for (const h of harnesses ?? [])
    if (!HARNESS_IDS.includes(h as HarnessId))
      throw new CliError(`--harness ${visible(h)}: not a harness (one of ${HARNESS_IDS.join(', ')})`);
  const ctx = await runAgents({
    dir: positionals[0] ?? '.',
    harnesses: harnesses as HarnessId[] | undefined,
    cwd: values.cwd,
    model: values.model,
    catalog: catalogFromOptions(values.catalog),
  });
  if (values.json) {
    io.out(JSON.stringify(agentsJson(ctx)));
    return 0;
  }
  const out: string[] = [];
  if (!ctx.harnesses.length) out.push(`${visible(ctx.dir)}: no agent instruction file found`);
  for (const h of ctx.harnesses) out.push(...table(h), '');
  for (const x of ctx.warnings) out.push(`! ${visible(x.path)}: ${visible(warningMessage(x))}`);
  io.out(out.join('\n').trimEnd());
  return 0;
}
