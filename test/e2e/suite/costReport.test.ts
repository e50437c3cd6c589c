import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CostReportState } from '../../../src/protocol';
import { cli } from './cli';
import { closeAll, currentReport, kvlens, open, workspaceFile, type KvLensApi } from './helpers';

const PROMPT = 'prompts/support-agent.prompt.md';
const FIGURES = [
  'tokens',
  'cacheableTokens',
  'perCall',
  'breakEvenCalls',
  'perDay',
  'perMonth',
  'savingPerWarmCall',
] as const;
const figures = (m: Record<string, unknown>) => Object.fromEntries(FIGURES.map((k) => [k, m[k]]));

describe('KV Lens: Estimate Cost (the cost report)', () => {
  let api: KvLensApi;
  before(async () => {
    api = await kvlens();
  });
  after(closeAll);

  it('shows the models side by side with the same figures as `kvlens cost`, and recomputes when the rate changes', async () => {
    const editor = await open(PROMPT);
    const file = editor.document.uri.fsPath;
    const st = await vscode.commands.executeCommand<CostReportState>('kvlens.estimateCost', {
      models: ['gpt-4.1', 'claude-sonnet-4-5'],
    });
    assert.deepEqual(
      st.models.map((m) => m.model),
      ['gpt-4.1', 'claude-sonnet-4-5'],
    );
    assert.equal(st.models[1].exact, false);
    // The measured band of Claude ≤ 4.6 on text prompts (this one has no tools); the CLI gives the same.
    assert.equal(st.models[1].errorBand, 0.1);
    const args = ['cost', file, '--model', 'gpt-4.1', '--model', 'claude-sonnet-4-5', '--output-tokens', '500'];
    const c = (await cli([...args, '--rate', '60/h', '--json'])) as { models: Record<string, unknown>[] };
    st.models.forEach((m, i) => assert.deepEqual(figures(m as never), figures(c.models[i]), m.model));
    const slower = await api.setCostInputs({ ...st.inputs, callsPerHour: 6 });
    assert.ok(slower);
    assert.notEqual(slower.models[0].perMonth?.withCache, st.models[0].perMonth?.withCache);
    const c6 = (await cli([...args, '--rate', '6/h', '--json'])) as { models: Record<string, unknown>[] };
    slower.models.forEach((m, i) => assert.deepEqual(figures(m as never), figures(c6.models[i]), m.model));
    // Anthropic prices two write TTLs: the report offers both.
    assert.deepEqual(
      st.models[1].ttlChoices.map((t) => t.ttl),
      ['', '5m', '1h'],
    );
    const hour = await api.setCostInputs({ ...slower.inputs, ttl: { 'claude-sonnet-4-5': '1h' } });
    assert.ok(
      hour && hour.models[1].perCall.firstCall > slower.models[1].perCall.firstCall,
      'a 1-hour write costs more',
    );
  });

  it('for the workspace: prompt files × models per month with and without the cache, and the top cache killers', async () => {
    const rules = Array.from(
      { length: 150 },
      (_, i) => `Rule ${i + 1}: answer politely and cite the handbook section that applies.`,
    ).join('\n');
    await vscode.workspace.fs.writeFile(
      workspaceFile('prompts/dated-cost.prompt.md'),
      new TextEncoder().encode(`Today is 2026-12-01.\n${rules}\n`),
    );
    const st = await vscode.commands.executeCommand<CostReportState>('kvlens.estimateWorkspaceCost', {
      models: ['gpt-4.1'],
    });
    assert.equal(st.scope, 'workspace');
    const rows = st.workspace!.rows;
    assert.ok(
      rows.some((r) => r.file === PROMPT && r.monthWithCache < r.monthWithoutCache),
      JSON.stringify(rows),
    );
    assert.ok(rows.some((r) => r.file === 'requests/anthropic-messages.json'));
    const killer = st.workspace!.killers.find((k) => k.file === 'prompts/dated-cost.prompt.md');
    assert.ok(killer && killer.line === 1 && killer.monthlyCost > 0, JSON.stringify(st.workspace!.killers));
    assert.ok(st.workspace!.killers.length <= 3);
    await vscode.workspace.fs.delete(workspaceFile('prompts/dated-cost.prompt.md'));
    assert.equal(st.baseline?.kind, 'steady', 'the monthly bills assume the steady state, and say so');
  });

  it("one baseline everywhere: a file's report prices the next call against the status bar's baseline, and names it", async () => {
    const editor = await open(PROMPT);
    // An edit near the top: against git HEAD the cache breaks there (the workspace is a committed repository).
    const typed = 'Reply in the language the customer uses. ';
    await editor.edit((e) => e.insert(new vscode.Position(9, 0), typed));
    const r = await currentReport();
    assert.equal(r.baseline.kind, 'git');
    const st = await vscode.commands.executeCommand<CostReportState>('kvlens.estimateCost', { models: ['gpt-4.1'] });
    assert.deepEqual(st.baseline, { kind: 'git', label: 'git HEAD' });
    const next = st.models[0].nextCall!;
    assert.equal(next.cachedTokens, r.cachedTokens, "the status bar's cached count");
    assert.equal(next.tokens, r.tokens);
    assert.equal(next.withCache, r.cost.withCache);
    assert.notEqual(next.cachedTokens, st.models[0].cacheableTokens, 'a warm call reads more than the next one');
    // Back as committed (auto-save may have written the edit): the tests after this one read the file.
    await editor.edit((e) => e.delete(new vscode.Range(9, 0, 9, typed.length)));
    await editor.document.save();
  });
});
