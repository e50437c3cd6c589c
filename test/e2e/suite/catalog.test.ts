import assert from 'node:assert/strict';
import http from 'node:http';
import * as vscode from 'vscode';
import { closeAll, currentReport, kvlens, open, waitFor, workspaceFile, type KvLensApi } from './helpers';

const PROMPT = 'prompts/support-agent.prompt.md';

describe('KV Lens prices the prompt with the model catalog and a user catalog file', () => {
  let api: KvLensApi;
  const config = () => vscode.workspace.getConfiguration('kvlens');
  before(async () => {
    api = await kvlens();
  });
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
    const tip = await waitFor(
      () => api.statusTooltip() ?? '',
      (t) => t.includes('Input cost per call'),
    );
    assert.match(tip, /gpt-4\.1/);
    assert.match(tip, /named by the file/);
  });

  it('adds a model from kvlens.catalogFile and analyzes a file with it', async () => {
    const file = workspaceFile('my-models.json');
    const custom = {
      models: [
        {
          id: 'acme-llm-1',
          provider: 'openai',
          displayName: 'ACME LLM 1',
          encoding: 'o200k_base',
          exactTokenizer: false,
          contextWindow: 128000,
          prices: {
            input: '8',
            cachedInput: '0.8',
            output: '24',
            source: 'https://acme.example/pricing',
            asOf: '2026-11-30',
          },
          cache: {
            policy: 'openai',
            minTokens: 1024,
            granularity: 128,
            ttlSeconds: 600,
            source: 'https://acme.example/caching',
            asOf: '2026-11-30',
          },
        },
      ],
    };
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(custom)));
    await config().update('catalogFile', 'my-models.json', vscode.ConfigurationTarget.Workspace);
    await config().update('model', 'acme-llm-1', vscode.ConfigurationTarget.Workspace);
    await open('requests/anthropic-messages.json'); // names its own model: the file wins
    assert.equal((await currentReport()).model, 'claude-sonnet-4-5');
    await open('docs/notes.md');
    await vscode.commands.executeCommand('kvlens.inspectFile'); // no model in the file → the setting's model
    const r = await waitFor(
      () => currentReport(),
      (x) => x.model === 'acme-llm-1',
    );
    assert.equal(r.model, 'acme-llm-1');
    assert.deepEqual(api.catalogIssues(), []);
    await vscode.commands.executeCommand('kvlens.stopInspectingFile');
  });

  it('a VS Code prompt file naming "Claude Sonnet 4.5 (copilot)" is counted as Claude (≈) in the status bar', async () => {
    const file = workspaceFile('.github/prompts/review.prompt.md');
    await vscode.workspace.fs.writeFile(
      file,
      new TextEncoder().encode(
        '---\nmode: agent\nmodel: Claude Sonnet 4.5 (copilot)\n---\nReview the selected code for security problems and list each with a fix.\n',
      ),
    );
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const r = await currentReport();
    assert.equal(r.model, 'claude-sonnet-4-5');
    assert.equal(r.tokenizer.encoding, 'claude_estimate');
    const text = await waitFor(
      () => api.statusText() ?? '',
      (t) => t.startsWith('$(zap)'),
    );
    assert.match(text, /^\$\(zap\) ≈\d[\d,]*\/[\d,]+ cached/);
  });

  it('kvlens.calibrationFile: estimated counts use the factors a replay measured, and the tooltip says so', async () => {
    const file = workspaceFile('.github/prompts/review.prompt.md');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const before = await currentReport();
    await vscode.workspace.fs.writeFile(
      workspaceFile('kvlens-calibration.json'),
      new TextEncoder().encode(
        JSON.stringify({
          source: 'logs/usage.jsonl',
          asOf: '2026-12-01',
          factors: { claude_estimate: { prose: 2.32 } },
        }),
      ),
    );
    try {
      await config().update('calibrationFile', 'kvlens-calibration.json', vscode.ConfigurationTarget.Workspace);
      const after = await waitFor(
        () => currentReport(),
        (r) => r.tokens !== before.tokens,
      );
      assert.ok(after.tokens > before.tokens * 1.5, `${before.tokens} → ${after.tokens}`);
      assert.match(
        await waitFor(
          () => api.statusTooltip() ?? '',
          (t) => t.includes('calibrated'),
        ),
        /calibrated from kvlens-calibration\.json/,
      );
    } finally {
      await config().update('calibrationFile', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('reports a broken catalog file by name and field, and keeps the bundled models working', async () => {
    await vscode.workspace.fs.writeFile(
      workspaceFile('bad-models.json'),
      new TextEncoder().encode('{"models":[{"id":"x-1","provider":"openai","prices":{"input":"cheap"}}]}'),
    );
    await config().update('catalogFile', 'bad-models.json', vscode.ConfigurationTarget.Workspace);
    const issues = await waitFor(
      () => api.catalogIssues(),
      (i) => i.length > 0,
    );
    assert.ok(
      issues.some((i) => i.startsWith('bad-models.json')),
      issues.join('\n'),
    );
    await open(PROMPT);
    assert.equal((await currentReport()).model, 'gpt-4.1');
  });
});

describe('KV Lens: Update Prices (a price table served on 127.0.0.1)', () => {
  let server: http.Server, url: string;
  const hits: string[] = [];
  // LiteLLM's shape: USD per token. gpt-4.1 at $3 input instead of the catalog's $2, and one model the catalog lacks.
  const table = JSON.stringify({
    'gpt-4.1': {
      litellm_provider: 'openai',
      input_cost_per_token: 3e-6,
      cache_read_input_token_cost: 5e-7,
      output_cost_per_token: 8e-6,
    },
    'gpt-4o': {
      litellm_provider: 'openai',
      input_cost_per_token: 2.5e-6,
      cache_read_input_token_cost: 1.25e-6,
      output_cost_per_token: 1e-5,
    },
    'some-new-model': { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 },
  });
  before(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(table);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/model_prices_and_context_window.json`;
  });
  after(async () => {
    server.close();
    await vscode.commands.executeCommand('kvlens.revertPrices');
    await closeAll();
  });

  it('shows what differs, takes the accepted figures into use (kept in global storage), and reverts', async () => {
    await open(PROMPT);
    const before = await currentReport();
    assert.equal(before.model, 'gpt-4.1');
    const r = await vscode.commands.executeCommand<{ compared: number; changed: string[]; accepted: string[] }>(
      'kvlens.updatePrices',
      { url, accept: ['gpt-4.1'] },
    );
    assert.ok(r, 'the update ran');
    assert.ok(hits.length >= 1, 'the table was fetched');
    assert.deepEqual(r.changed, ['gpt-4.1'], 'only the model whose figures differ');
    assert.deepEqual(r.accepted, ['gpt-4.1']);
    // The report follows: input at $3 instead of $2 per 1M tokens (everything uncached costs 1.5x).
    const after = await waitFor(
      () => currentReport(),
      (x) => x.cost.uncached !== before.cost.uncached,
    );
    assert.ok(
      Math.abs(after.cost.uncached / before.cost.uncached - 1.5) < 0.01,
      `${after.cost.uncached} vs ${before.cost.uncached}`,
    );
    const tip = await waitFor(
      () => vscode.extensions.getExtension('kvlens.kvlens')!.exports.statusTooltip() ?? '',
      (t: string) => t.includes(url),
    );
    assert.match(tip, /third-party/, "the new figure is marked as a third party's, with the table as its source");
    await vscode.commands.executeCommand('kvlens.revertPrices');
    const back = await waitFor(
      () => currentReport(),
      (x) => x.cost.uncached === before.cost.uncached,
    );
    assert.equal(back.cost.uncached, before.cost.uncached);
  });
});

describe('KV Lens: Update Prices without a network: a price table on disk in the same flow', () => {
  after(async () => {
    await vscode.commands.executeCommand('kvlens.revertPrices');
    await closeAll();
  });

  it('the download fails (a host that never resolves), and a genai-prices data.json on disk is read instead: the accepted figure is in use, with the file as its source', async () => {
    // genai-prices' shape (pydantic/genai-prices prices/data.json): providers, their models, USD per million tokens.
    const file = workspaceFile('genai-prices-data.json');
    await vscode.workspace.fs.writeFile(
      file,
      new TextEncoder().encode(
        JSON.stringify([
          {
            id: 'openai',
            name: 'OpenAI',
            models: [{ id: 'gpt-4.1', prices: { input_mtok: 3, cache_read_mtok: 0.5, output_mtok: 8 } }],
          },
        ]),
      ),
    );
    await open(PROMPT);
    const before = await currentReport();
    const r = await vscode.commands.executeCommand<{ from: string; url: string; accepted: string[] } | undefined>(
      'kvlens.updatePrices',
      { url: 'https://prices.kvlens.invalid/model_prices_and_context_window.json', file: file.fsPath, accept: 'all' },
    );
    assert.ok(r, 'the update went on with the file after the download failed');
    assert.equal(r.from, 'file');
    assert.equal(r.url, file.fsPath);
    assert.deepEqual(r.accepted, ['gpt-4.1']);
    const after = await waitFor(
      () => currentReport(),
      (x) => x.cost.uncached !== before.cost.uncached,
    );
    assert.ok(Math.abs(after.cost.uncached / before.cost.uncached - 1.5) < 0.01);
    const tip = await waitFor(
      () => vscode.extensions.getExtension('kvlens.kvlens')!.exports.statusTooltip() ?? '',
      (t: string) => t.includes('genai-prices'),
    );
    assert.match(tip, /genai-prices-data\.json \\\(a copy of genai-prices' data\.json\\\)/);
    assert.match(tip, /third-party/);
    // "Update Prices from a File" starts from the file: the same table, nothing left to take.
    const again = await vscode.commands.executeCommand<{ from: string; changed: string[] } | undefined>(
      'kvlens.updatePricesFromFile',
      { file: file.fsPath, accept: 'all' },
    );
    assert.deepEqual(again && { from: again.from, changed: again.changed }, { from: 'file', changed: [] });
  });
});
