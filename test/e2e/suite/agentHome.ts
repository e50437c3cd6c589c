// A Claude Code and a Codex session of a workspace folder, written where the agents keep them (CLAUDE_CONFIG_DIR,
// CODEX_HOME): the e2e tests' fake home. Also a Codex session of another folder, which must not be listed. Used by the
// extension host tests and, through the built bundle, by the UI checks of scripts/test-e2e.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { claudeMd, claudeSession, codexRollout, MIN } from '../../unit/replay/agentFixtures';

export interface AgentHome {
  readonly claudeFile: string;
  readonly codexFile: string;
  readonly hitRates: { readonly claude: number; readonly codex: number };
  readonly calls: { readonly claude: number; readonly codex: number };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function writeAgentHome(folder: string, claudeDir: string, codexHome: string): AgentHome {
  const md = path.join(folder, 'CLAUDE.md');
  fs.writeFileSync(md, '# Shop\nUse npm, never pnpm.\n');
  const { text, usages } = claudeSession(
    [
      { at: 0, read: 18000, write: 2000, before: [claudeMd('# Shop\nUse pnpm.\n', md)] },
      { at: 1 * MIN, read: 20004, write: 300 },
      {
        at: 2 * MIN,
        read: 18000,
        write: 2616,
        before: [claudeMd('# Shop\nUse npm, never pnpm.\n', md)],
        diagnostics: 'system_changed',
      },
      { at: 3 * MIN, read: 20620, write: 400 },
    ],
    { cwd: folder },
  );
  const project = path.join(claudeDir, 'projects', folder.replace(/[^a-zA-Z0-9]/g, '-'));
  fs.mkdirSync(project, { recursive: true });
  const claudeFile = path.join(project, '5c21b0c5-8113-4f55-9493-fa156c3fa369.jsonl');
  fs.writeFileSync(claudeFile, text);
  const day = path.join(codexHome, 'sessions', '2026', '11', '30');
  fs.mkdirSync(day, { recursive: true });
  // The third call reads 9.1 % ten seconds after the second read 93 %: nothing changed, the provider's miss.
  const codex = [
    { at: 0, input: 12000, cached: 0 },
    { at: 30_000, input: 12800, cached: 11904 },
    { at: 40_000, input: 13200, cached: 1201 },
  ];
  const codexFile = path.join(day, 'rollout-2026-11-30T09-00-00-019a9776-0a34-7842-8627-112b63d66e90.jsonl');
  fs.writeFileSync(codexFile, codexRollout(codex, { cwd: folder }));
  fs.writeFileSync(
    path.join(day, 'rollout-2026-11-30T10-00-00-019a9777-0000-0000-0000-000000000000.jsonl'),
    codexRollout(codex, { cwd: path.join(path.dirname(folder), 'another-project') }),
  );
  // The newest first: the Claude Code session was written after the Codex one.
  fs.utimesSync(codexFile, new Date(Date.UTC(2026, 10, 30, 9)), new Date(Date.UTC(2026, 10, 30, 9)));
  const read = usages.reduce((s, u) => s + u.cache_read_input_tokens, 0);
  const all = usages.reduce(
    (s, u) => s + u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens,
    0,
  );
  return {
    claudeFile,
    codexFile,
    hitRates: {
      claude: r3(read / all),
      codex: r3(codex.reduce((a, c) => a + c.cached, 0) / codex.reduce((a, c) => a + c.input, 0)),
    },
    calls: { claude: usages.length, codex: codex.length },
  };
}
