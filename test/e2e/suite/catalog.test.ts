import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, currentReport, kvlens, open, waitFor, workspaceFile, type KvLensApi } from './helpers';

const PROMPT = 'prompts/support-agent.prompt.md';

describe('KV Lens prices the prompt with the model catalog and a user catalog file', () => {
  let api: KvLensApi;
  const config = () => vscode.workspace.getConfiguration('kvlens');
  before(async () => { api = await kvlens(); });
  afterEach(async () => {
    await config().update('catalogFile', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('model', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAll();
  });

  it('analyzes with the model the file names and shows its cost in the tooltip', async () => {
    await open(PROMPT);
    const r = await currentReport();
    assert.equal(r.model, 'gpt-4.1');
    assert.ok(r.cost.withCache < r.cost.uncached);
    const tip = await waitFor(() => api.statusTooltip() ?? '', (t) => t.includes('Input cost per call'));
    assert.match(tip, /gpt-4\.1/);
    assert.match(tip, /named by the file/);
  });

  it('adds a model from kvlens.catalogFile and analyzes a file with it', async () => {
    const file = workspaceFile('my-models.json');
    const custom = {
      models: [{
        id: 'acme-llm-1', provider: 'openai', displayName: 'ACME LLM 1', encoding: 'o200k_base', exactTokenizer: false, contextWindow: 128000,
        prices: { input: '8', cachedInput: '0.8', output: '24', source: 'https://acme.example/pricing', asOf: '2026-11-30' },
        cache: { policy: 'openai', minTokens: 1024, granularity: 128, ttlSeconds: 600, source: 'https://acme.example/caching', asOf: '2026-11-30' },
      }],
    };
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(custom)));
    await config().update('catalogFile', 'my-models.json', vscode.ConfigurationTarget.Workspace);
    await config().update('model', 'acme-llm-1', vscode.ConfigurationTarget.Workspace);
    await open('requests/anthropic-messages.json'); // names its own model: the file wins
    assert.equal((await currentReport()).model, 'claude-sonnet-4-5');
    await open('docs/notes.md');
    await vscode.commands.executeCommand('kvlens.inspectFile'); // no model in the file → the setting's model
    const r = await waitFor(() => currentReport(), (x) => x.model === 'acme-llm-1');
    assert.equal(r.model, 'acme-llm-1');
    assert.deepEqual(api.catalogIssues(), []);
    await vscode.commands.executeCommand('kvlens.stopInspectingFile');
  });

  it('a VS Code prompt file naming "Claude Sonnet 4.5 (copilot)" is counted as Claude (≈) in the status bar', async () => {
    const file = workspaceFile('.github/prompts/review.prompt.md');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode("---\nmode: agent\nmodel: Claude Sonnet 4.5 (copilot)\n---\nReview the selected code for security problems and list each with a fix.\n"));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const r = await currentReport();
    assert.equal(r.model, 'claude-sonnet-4-5');
    assert.equal(r.tokenizer.encoding, 'claude_estimate');
    const text = await waitFor(() => api.statusText() ?? '', (t) => t.startsWith('$(zap)'));
    assert.match(text, /^\$\(zap\) ≈\d[\d,]*\/[\d,]+ cached/);
  });

  it('kvlens.calibrationFile: estimated counts use the factors a replay measured, and the tooltip says so', async () => {
    const file = workspaceFile('.github/prompts/review.prompt.md');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const before = await currentReport();
    await vscode.workspace.fs.writeFile(workspaceFile('kvlens-calibration.json'), new TextEncoder().encode(JSON.stringify({ source: 'logs/usage.jsonl', asOf: '2026-12-01', factors: { claude_estimate: { prose: 2.32 } } })));
    try {
      await config().update('calibrationFile', 'kvlens-calibration.json', vscode.ConfigurationTarget.Workspace);
      const after = await waitFor(() => currentReport(), (r) => r.tokens !== before.tokens);
      assert.ok(after.tokens > before.tokens * 1.5, `${before.tokens} → ${after.tokens}`);
      assert.match(await waitFor(() => api.statusTooltip() ?? '', (t) => t.includes('calibrated')), /calibrated from kvlens-calibration\.json/);
    } finally {
      await config().update('calibrationFile', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('reports a broken catalog file by name and field, and keeps the bundled models working', async () => {
    await vscode.workspace.fs.writeFile(workspaceFile('bad-models.json'),
      new TextEncoder().encode('{"models":[{"id":"x-1","provider":"openai","prices":{"input":"cheap"}}]}'));
    await config().update('catalogFile', 'bad-models.json', vscode.ConfigurationTarget.Workspace);
    const issues = await waitFor(() => api.catalogIssues(), (i) => i.length > 0);
    assert.ok(issues.some((i) => i.startsWith('bad-models.json')), issues.join('\n'));
    await open(PROMPT);
    assert.equal((await currentReport()).model, 'gpt-4.1');
  });
});
