import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isInstructionFile } from '../../../src/cli/commands/checkAgents';
import { runCli, workspace } from './kit';

// `kvlens check` as CI runs it in a pull request: a change to AGENTS.md that pushes the chain past Codex's
// project_doc_max_bytes fails; a token budget per agent (flag or .vscode/settings.json) fails when exceeded.

function repo(files: Record<string, string>): { dir: string; g: (...a: string[]) => string } {
  const dir = workspace(files, false);
  const g = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  g('init', '-q');
  g('-c', 'user.email=t@e.st', '-c', 'user.name=t', 'add', '-A');
  g('-c', 'user.email=t@e.st', '-c', 'user.name=t', 'commit', '-q', '-m', 'v1');
  return { dir, g };
}

const check = (cwd: string, ...args: string[]) => runCli(cwd, 'check', ...args);

describe('kvlens check: the agent instruction-file gate', function () {
  this.timeout(120_000);

  it('fails a change that pushes AGENTS.md past Codex’s 32 KiB budget, naming the first line never sent', () => {
    const { dir } = repo({ 'AGENTS.md': 'Use pnpm.\n' });
    const text = 'Use pnpm.\n' + 'Rule: keep functions small.\n'.repeat(1300);
    fs.writeFileSync(path.join(dir, 'AGENTS.md'), text);
    const r = check(dir);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^FAIL agents codex AGENTS\.md:\d+: Codex sends only the first 32768 bytes/m);
    const j = JSON.parse(check(dir, '--json').out) as {
      ok: boolean;
      agents: { failures: { code: string; line: number }[] };
    };
    assert.equal(j.ok, false);
    assert.equal(j.agents.failures[0].code, 'budget-truncated');
    assert.equal(j.agents.failures[0].line, text.slice(0, 32_768).split('\n').length, 'the line of byte 32,768');
  });

  it('--agents-truncation warn lets it pass; a small change passes', () => {
    const { dir } = repo({ 'AGENTS.md': 'Use pnpm.\n' });
    fs.writeFileSync(path.join(dir, 'AGENTS.md'), 'x'.repeat(40_000));
    assert.equal(check(dir, '--agents-truncation', 'warn').code, 0);
    fs.writeFileSync(path.join(dir, 'AGENTS.md'), 'Use pnpm.\nRun tests.\n');
    const r = check(dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /agent instruction files in .*: .*codex \d+ tokens.*: ok/);
  });

  it('a token budget from .vscode/settings.json or --agents-budget fails when exceeded', () => {
    const { dir, g } = repo({
      'AGENTS.md': 'Use pnpm.\n',
      '.vscode/settings.json': '{ "kvlens.agents.budgets": { "codex": 20 } }',
    });
    fs.writeFileSync(path.join(dir, 'AGENTS.md'), 'Use pnpm. '.repeat(20));
    const r = check(dir);
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /FAIL agents codex: Codex CLI sends \d+ tokens of instruction files in every request, over the budget of 20/,
    );
    g('-c', 'user.email=t@e.st', '-c', 'user.name=t', 'commit', '-qam', 'v2');
    assert.equal(check(dir).code, 0, 'nothing changed since HEAD: the gate does not run');
    const r2 = check(dir, '--agents', '--agents-budget', 'claude-code=5');
    assert.equal(r2.code, 1, r2.out);
    assert.match(r2.out, /FAIL agents codex: .*over the budget of 20/);
    assert.equal(check(dir, '--agents-budget', 'vim=3').code, 2);
  });

  it('knows instruction files by name and place', () => {
    for (const p of [
      'AGENTS.md',
      'pkg/CLAUDE.md',
      '.claude/rules/a.md',
      '.github/copilot-instructions.md',
      '.cursor/rules/x.mdc',
    ])
      assert.ok(isInstructionFile(p), p);
    for (const p of ['README.md', 'src/agents.ts', 'prompts/a.prompt.md']) assert.ok(!isInstructionFile(p), p);
  });
});
