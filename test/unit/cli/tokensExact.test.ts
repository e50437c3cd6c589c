import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';

async function tokensJson(body: object): Promise<{ json: Record<string, unknown>; err: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-tokens-'));
  const file = path.join(dir, 'r.json');
  fs.writeFileSync(file, JSON.stringify(body));
  const out: string[] = [],
    err: string[] = [];
  assert.equal(await main(['tokens', file, '--json'], { out: (t) => out.push(t), err: (t) => err.push(t) }), 0);
  return { json: JSON.parse(out.join('')) as Record<string, unknown>, err };
}

describe('kvlens tokens: honest labels', () => {
  const messages = [{ role: 'user', content: 'Hello' }];

  it('a known OpenAI model with a text-only request is exact, and counts what OpenAI bills (8 tokens for "Hello")', async () => {
    const { json } = await tokensJson({ model: 'gpt-4o-2024-08-06', messages });
    assert.deepEqual([json.exact, json.counted, (json.prompts as { tokens: number }[])[0].tokens], [true, 'exact', 8]);
  });

  it('an unknown model is never exact, and says which tokenizer counted it', async () => {
    const { json, err } = await tokensJson({ model: 'gpt-9-imaginary', messages });
    assert.deepEqual([json.exact, json.counted, json.encoding], [false, 'estimate', 'o200k_base']);
    assert.match(err.join('\n'), /unknown model "gpt-9-imaginary".*counted with o200k_base/);
  });

  it("a retired model's alias is counted with its successor's tokenizer, as an estimate", async () => {
    const { json, err } = await tokensJson({ model: 'claude-3-opus-latest', max_tokens: 10, messages });
    assert.deepEqual([json.exact, json.encoding], [false, 'claude_estimate']);
    assert.match(err.join('\n'), /counted with claude-opus-4-5's tokenizer \(claude_estimate\), an estimate/);
    assert.match(String((json.estimate as { method: string }).method), /fitted on recorded Claude calls/);
  });

  it('dated ids and moving aliases resolve to their model; tools make an OpenAI count an estimate', async () => {
    const a = await tokensJson({ model: 'claude-3-7-sonnet-latest', max_tokens: 10, messages });
    assert.equal(a.json.model, 'claude-3-7-sonnet');
    const g = await tokensJson({
      model: 'gemini-2.5-flash-001',
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
    });
    assert.equal(g.json.model, 'gemini-2.5-flash');
    assert.equal(g.json.exact, false);
    const t = await tokensJson({
      model: 'gpt-4o',
      messages,
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
    });
    assert.equal(t.json.exact, false);
  });
});
