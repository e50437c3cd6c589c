import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The test bundle runs from <out>/test/unit/pricing; the script lives in the repository's scripts/.
const root = path.resolve(__dirname, '../../../..');
const script = path.join(root, 'scripts/import-litellm.mjs');

describe('scripts/import-litellm.mjs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-litellm-'));
  // LiteLLM's real field layout: USD per token as floats, keyed by model name (some with a provider prefix).
  const fixture = {
    sample_spec: { max_tokens: 'LEGACY parameter', input_cost_per_token: 0.0, litellm_provider: 'one of https://docs.litellm.ai/docs/providers', mode: 'chat' },
    'gpt-5': { max_input_tokens: 272000, max_output_tokens: 128000, input_cost_per_token: 1.25e-6, output_cost_per_token: 1e-5, cache_read_input_token_cost: 1.25e-7, litellm_provider: 'openai', mode: 'chat', supports_prompt_caching: true },
    'claude-sonnet-4-5-20250929': { max_input_tokens: 200000, input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5, cache_creation_input_token_cost: 3.75e-6, cache_read_input_token_cost: 3e-7, input_cost_per_token_above_200k_tokens: 6e-6, output_cost_per_token_above_200k_tokens: 2.25e-5, litellm_provider: 'anthropic', mode: 'chat' },
    'gemini/gemini-2.5-flash': { max_input_tokens: 1048576, input_cost_per_token: 3e-7, output_cost_per_token: 2.5e-6, cache_read_input_token_cost: 7.5e-8, litellm_provider: 'gemini', mode: 'chat' },
    'bedrock/anthropic.claude-sonnet-4-5': { input_cost_per_token: 3.3e-6, output_cost_per_token: 1.65e-5, litellm_provider: 'bedrock', mode: 'chat' },
    'mistral/some-new-model': { input_cost_per_token: 1e-7, output_cost_per_token: 3e-7, litellm_provider: 'mistral', mode: 'chat' },
    'text-embedding-3-small': { input_cost_per_token: 2e-8, output_cost_per_token: 0, litellm_provider: 'openai', mode: 'embedding' },
  };
  const file = path.join(dir, 'model_prices_and_context_window.json');
  fs.writeFileSync(file, JSON.stringify(fixture));

  it('reports differing figures, not equal ones, and missing models both ways', () => {
    const reportFile = path.join(dir, 'report.json');
    execFileSync(process.execPath, [script, file, '--json', '--write-report', reportFile], { encoding: 'utf8' });
    const r = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    const diff = r.differences.map((d: { model: string; field: string; ours: number; theirs: number }) => `${d.model} ${d.field} ${d.ours} ${d.theirs}`);
    // gpt-5: prices agree; context window differs (LiteLLM counts input only)
    assert.ok(diff.includes('gpt-5 contextWindow 400000 272000'), diff.join('\n'));
    assert.ok(!diff.some((d: string) => d.startsWith('gpt-5 input') || d.startsWith('gpt-5 output') || d.startsWith('gpt-5 cachedInput')));
    // gemini-2.5-flash cached read: ours 0.03, theirs 0.075
    assert.ok(diff.includes('gemini-2.5-flash cachedInput 0.03 0.075'), diff.join('\n'));
    // claude-sonnet-4-5 matches through its dated alias, including the long-context tier
    assert.ok(!diff.some((d: string) => d.startsWith('claude-sonnet-4-5 input') || d.startsWith('claude-sonnet-4-5 longContext')), diff.join('\n'));
    assert.equal(r.compared, 3);
    assert.deepEqual(r.notInOurs, ['mistral/some-new-model']); // bedrock resale and embeddings are skipped
    assert.ok(r.notInLitellm.includes('gpt-4o'));
    assert.ok(!r.notInLitellm.includes('vllm'));
  });

  it('prints a readable report and fails cleanly on a missing file', () => {
    const text = execFileSync(process.execPath, [script, file], { encoding: 'utf8' });
    assert.match(text, /3 of our models found; \d+ figure\(s\) differ/);
    assert.match(text, /gemini-2\.5-flash \[gemini\/gemini-2\.5-flash\] cachedInput: ours 0\.03, LiteLLM 0\.075/);
    const bad = spawnSync(process.execPath, [script, path.join(dir, 'nope.json')], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /nope\.json: no such file/);
  });
});
