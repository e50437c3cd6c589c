import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { writeAgentHome } from './agentHome';
import { closeAll, kvlens } from './helpers';

interface Info {
  tool: string;
  file: string;
  label: string;
  requests: number;
  hitRate: number | null;
  cost: number;
  avoidable: number;
  providerSide: number;
  problem?: string;
}

describe('Agent Sessions: the Claude Code and Codex sessions of the workspace (a fake home)', () => {
  before(async () => {
    await kvlens();
  });
  after(closeAll);

  it('lists both, newest first, with the hit rates the files imply; a session opens in the replay report with its reasons', async () => {
    const claudeDir = process.env.CLAUDE_CONFIG_DIR,
      codexHome = process.env.CODEX_HOME;
    assert.ok(claudeDir && codexHome, 'the e2e runner starts code-server with a fake CLAUDE_CONFIG_DIR and CODEX_HOME');
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const home = writeAgentHome(folder, claudeDir, codexHome);
    await vscode.commands.executeCommand('kvlens.refreshAgentSessions');
    const list = await vscode.commands.executeCommand<Info[]>('kvlens.agentSessions');
    assert.deepEqual(
      list.map((s) => [s.tool, path.basename(s.file)]),
      [
        ['claude-code', path.basename(home.claudeFile)],
        ['codex', path.basename(home.codexFile)],
      ],
      "the other folder's Codex session is not listed",
    );
    assert.deepEqual(
      list.map((s) => s.requests),
      [home.calls.claude, home.calls.codex],
    );
    assert.deepEqual(
      list.map((s) => s.hitRate),
      [home.hitRates.claude, home.hitRates.codex],
    );
    assert.equal(list[0].label, 'Add a discount field to the checkout form.');
    assert.equal(
      list[1].label,
      'Fix the failing test.',
      "the user's first request, not the AGENTS.md instructions Codex injects before it (issue 25)",
    );
    assert.ok(list.every((s) => !s.problem && s.cost > 0));
    const state = await vscode.commands.executeCommand<{
      summary: { requests: number; format: string; hitRate: { actual: number } };
      requests: {
        reason: string;
        divergence: { block: string; line: number } | null;
        providerReason?: string;
        providerAgrees?: boolean;
      }[];
    }>('kvlens.openAgentSession', home.claudeFile);
    assert.equal(state.summary.format, 'claude-code');
    assert.equal(state.summary.requests, home.calls.claude);
    assert.equal(state.summary.hitRate.actual, home.hitRates.claude);
    const miss = state.requests.find((r) => r.reason === 'instructions-changed');
    assert.deepEqual(miss?.divergence && { block: miss.divergence.block, line: miss.divergence.line }, {
      block: path.join(folder, 'CLAUDE.md'),
      line: 2,
    });
    assert.equal(miss?.providerAgrees, true);
  });

  it("a Codex call that read 9.1 % ten seconds after one read 93 %: the provider's miss, apart from the avoidable ones", async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const home = writeAgentHome(folder, process.env.CLAUDE_CONFIG_DIR!, process.env.CODEX_HOME!);
    const state = await vscode.commands.executeCommand<{
      summary: { money: { avoidable: number; providerSide: number; byReason: { reason: string; class: string }[] } };
      requests: { reason: string; gapSeconds?: number; missCost: number }[];
    }>('kvlens.openAgentSession', home.codexFile);
    assert.deepEqual(
      state.requests.map((r) => r.reason),
      ['cold', 'cached', 'rerouted'],
    );
    assert.equal(state.requests[2].gapSeconds, 10);
    assert.equal(state.summary.money.avoidable, 0, 'not a cause the user controls');
    assert.ok(state.summary.money.providerSide > 0);
    assert.deepEqual(state.summary.money.byReason.find((r) => r.reason === 'rerouted')?.class, 'provider');
    const list = await vscode.commands.executeCommand<Info[]>('kvlens.agentSessions');
    const codex = list.find((s) => s.tool === 'codex')!;
    assert.equal(codex.avoidable, 0);
    assert.equal(codex.providerSide, state.summary.money.providerSide);
  });
});
