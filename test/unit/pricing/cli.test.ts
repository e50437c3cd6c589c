import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';

function capture() {
  const out: string[] = [],
    err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('kvlens cost / kvlens models', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-cost-'));
  const file = path.join(dir, 'long.prompt.md');
  fs.writeFileSync(file, 'You are a careful assistant. Follow the house style guide below.\n'.repeat(300));

  it('prints the JSON contract for several models', async () => {
    const c = capture();
    assert.equal(
      await main(
        [
          'cost',
          file,
          '--model',
          'gpt-5',
          '--model',
          'claude-sonnet-4-5',
          '--output-tokens',
          '200',
          '--calls',
          '20',
          '--json',
        ],
        c.io,
      ),
      0,
    );
    const j = JSON.parse(c.out.join(''));
    assert.equal(j.models.length, 2);
    for (const m of j.models) {
      assert.equal(typeof m.model, 'string');
      assert.ok(Number.isInteger(m.tokens) && m.tokens > 3000);
      for (const k of ['input', 'cachedInput', 'cacheWrite', 'output']) assert.equal(typeof m.prices[k], 'number', k);
      for (const k of ['uncached', 'firstCall', 'warmCall']) assert.equal(typeof m.perCall[k], 'number', k);
      assert.ok(m.perCall.warmCall < m.perCall.uncached);
      assert.ok(m.breakEvenCalls === null || Number.isInteger(m.breakEvenCalls));
    }
    const [gpt, claude] = j.models;
    assert.deepEqual(gpt.prices, { ...gpt.prices, input: 1.25, cachedInput: 0.125, cacheWrite: 1.25, output: 10 });
    assert.equal(gpt.breakEvenCalls, 1);
    assert.equal(claude.prices.cacheWrite, 3.75);
    assert.equal(claude.breakEvenCalls, 2);
    assert.ok(claude.perCall.firstCall > claude.perCall.uncached);
    assert.equal(gpt.series.calls, 20);
  });

  it('prints a table by default', async () => {
    const c = capture();
    assert.equal(await main(['cost', file, '--model', 'deepseek-v4-flash', '--rate', '30/h'], c.io), 0);
    const text = c.out.join('\n');
    assert.match(text, /deepseek-flash/, 'the retired V4 Flash name is priced as deepseek-flash');
    assert.match(text, /break-even/);
    assert.match(text, /\$\d/);
  });

  for (const [name, args, needle] of [
    ['an unknown model', ['--model', 'gpt-5-mni'], 'unknown model "gpt-5-mni"; did you mean gpt-5-mini'],
    ['a bad rate', ['--model', 'gpt-5', '--rate', 'fast'], '--rate must be'],
    ['a bad ttl', ['--model', 'gpt-5', '--ttl', 'forever'], '--ttl must be'],
  ] as const) {
    it(`fails in one line for ${name}`, async () => {
      const c = capture();
      assert.notEqual(await main(['cost', file, ...args], c.io), 0);
      assert.equal(c.err.length, 1);
      assert.ok(c.err[0].includes(needle), c.err[0]);
      assert.equal(c.err[0].trim().includes('\n'), false);
    });
  }

  it('names the file and the field of a bad --catalog', async () => {
    const bad = path.join(dir, 'prices.json');
    fs.writeFileSync(bad, JSON.stringify({ models: [{ id: 'gpt-5', prices: { output: 'ten' } }] }));
    const c = capture();
    assert.notEqual(await main(['cost', file, '--model', 'gpt-5', '--catalog', bad], c.io), 0);
    assert.match(c.err[0], /prices\.json: models\[0\]\.prices\.output: must be a decimal string/);
  });

  it('applies a --catalog override', async () => {
    const mine = path.join(dir, 'mine.json');
    fs.writeFileSync(
      mine,
      JSON.stringify({ models: [{ id: 'vllm', prices: { input: '0.05', cachedInput: '0.005', output: '0.2' } }] }),
    );
    const c = capture();
    assert.equal(await main(['cost', file, '--model', 'vllm', '--catalog', mine, '--json'], c.io), 0);
    const m = JSON.parse(c.out.join('')).models[0];
    assert.equal(m.prices.input, 0.05);
    assert.ok(m.perCall.uncached > 0);
  });

  it('lists models with sources and dates', async () => {
    const c = capture();
    assert.equal(await main(['models', '--provider', 'anthropic', '--json'], c.io), 0);
    const j = JSON.parse(c.out.join(''));
    assert.ok(j.models.length > 3);
    for (const m of j.models) {
      assert.equal(m.provider, 'anthropic');
      assert.ok(m.prices.source.length > 8, m.id);
      assert.match(m.prices.asOf, /^\d{4}(-\d\d(-\d\d)?)?$/);
      assert.ok(['official', 'third-party', 'assumed'].includes(m.prices.confidence), m.id);
    }
    const t = capture();
    assert.equal(await main(['models'], t.io), 0);
    assert.match(t.out.join(''), /grok-4-1-fast-reasoning .*docs\.x\.ai/);
    const bad = capture();
    assert.notEqual(await main(['models', '--provider', 'acme'], bad.io), 0);
    assert.match(bad.err[0], /no models of provider "acme"/);
  });
});
