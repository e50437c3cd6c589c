// Workspaces on disk for the agent-context tests: a temporary folder with the given files (and a .git marker where a
// test wants a repository), discovered through the Node adapter the CLI uses, never above the temporary folder.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discoverAgentContext, type DiscoverOptions } from '../../../src/core/agents';
import type { AgentContext, HarnessId, HarnessReport } from '../../../src/core/agents/types';
import { nodeAgentFs, toAgentPath } from '../../../src/node/agentFsNode';

const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A temporary folder holding `files` (path → text or bytes); `git: true` adds a .git folder at its root. */
export function workspace(files: Record<string, string | Buffer>, git = true): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-agents-')));
  made.push(root);
  if (git) fs.mkdirSync(path.join(root, '.git'));
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), text);
  }
  return root;
}

export function discover(dir: string, opts: DiscoverOptions = {}, walkUpTo?: string): Promise<AgentContext> {
  return discoverAgentContext(
    toAgentPath(dir),
    { globals: {}, sessions: {}, walkUpTo: toAgentPath(walkUpTo ?? dir), ...opts },
    nodeAgentFs,
  );
}

export function harness(ctx: AgentContext, id: HarnessId): HarnessReport {
  const h = ctx.harnesses.find((x) => x.harness === id);
  if (!h) throw new Error(`${id} recognised no file (${ctx.harnesses.map((x) => x.harness).join(', ')})`);
  return h;
}

export function file(h: HarnessReport, p: string) {
  const f = h.files.find((x) => x.path === p);
  if (!f) throw new Error(`${h.harness} lists no ${p}: ${h.files.map((x) => x.path).join(', ')}`);
  return f;
}

export const codes = (h: { warnings: readonly { code: string }[] }) => h.warnings.map((w) => w.code);

const CLI = path.resolve(__dirname, '../../../../dist/cli/kvlens.js');

/** The built `kvlens` in its own process, with an empty HOME, CODEX_HOME and CLAUDE_CONFIG_DIR. */
export function runCli(cwd: string, ...args: string[]): { code: number | null; out: string; err: string } {
  const home = workspace({}, false);
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      HOME: home,
      CODEX_HOME: path.join(home, '.codex'),
      CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
    },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
