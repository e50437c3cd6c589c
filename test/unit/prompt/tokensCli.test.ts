import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { getTokenizer } from '../../../src/core/tokenizer/registry';
import { fixture } from './fixture';

function capture() {
  const out: string[] = [],
    err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('kvlens tokens', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-tokens-'));
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };
  const chat = write('chat.json', fixture('openai-chat.json'));
  const o200k = getTokenizer('o200k_base')!;

  it('prints the blocks in cache order with cumulative counts as JSON', async () => {
    const c = capture();
    assert.equal(await main(['tokens', chat, '--encoding', 'o200k_base', '--json'], c.io), 0);
    const j = JSON.parse(c.out.join(''));
    assert.equal(j.encoding, 'o200k_base');
    const p = j.prompts[0];
    assert.deepEqual(
      p.blocks.map((b: { kind: string }) => b.kind),
      ['tools', 'response_format', 'system', 'message', 'message', 'tool_result'],
    );
    let sum = 0;
    for (const b of p.blocks) {
      sum += b.tokens;
      assert.equal(b.cumulative, sum);
    }
    assert.equal(p.tokens, sum);
    assert.equal(p.promptCacheKey, 'support-bot-v2');
    assert.deepEqual(p.blocks[2].line, 6);
    // The image placeholder note goes to stderr in compiler form.
    assert.ok(
      c.err.some((l) => l.startsWith(`${chat}:9:`) && l.includes('info: messages[1].content[1]')),
      c.err.join('\n'),
    );
  });

  it('prints a table with breakpoints for a plain file split by markers', async () => {
    const f = write('p.prompt.md', 'Long manual.\n<!-- cache-breakpoint ttl=1h -->\nQuestion?\n');
    const c = capture();
    assert.equal(await main(['tokens', f], c.io), 0);
    const table = c.out.join('\n');
    assert.match(table, /text\[0\]\s+text\/user\s+\d+\s+\d+\s+breakpoint \(1h\)/);
    const total = o200k.count('Long manual.\n') + o200k.count('Question?\n');
    assert.match(table, new RegExp(`total ${total} tokens`));
    assert.deepEqual(c.err, []);
  });

  it('uses the model catalog for --model and rejects an unknown model', async () => {
    const c = capture();
    assert.equal(await main(['tokens', chat, '--model', 'gpt-4o', '--json'], c.io), 0);
    assert.equal(JSON.parse(c.out.join('')).encoding, 'o200k_base');
    const bad = capture();
    assert.notEqual(await main(['tokens', chat, '--model', 'no-such-model-xyz'], bad.io), 0);
    assert.equal(bad.err.length, 1);
  });

  it('reports JSONL line errors as FILE:LINE:COL and still prints the good lines', async () => {
    const f = write(
      'log.jsonl',
      '{"messages":[{"role":"user","content":"a"}]}\n{"messages": [}\n{"messages":[{"role":"user","content":"b"}]}\n',
    );
    const c = capture();
    assert.equal(await main(['tokens', f, '--json'], c.io), 0);
    assert.deepEqual(
      JSON.parse(c.out.join('')).prompts.map((p: { label: string }) => p.label),
      ['line 1', 'line 3'],
    );
    assert.match(c.err[0], new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:15: error: JSON syntax error`));
  });

  it('exits non-zero when nothing could be parsed', async () => {
    for (const [name, text] of [
      ['bin.prompt', 'abc\u0000def'],
      ['broken.json', '{"messages": '],
    ]) {
      const c = capture();
      assert.equal(await main(['tokens', write(name, text)], c.io), 1);
      assert.match(c.err[0], /:1:\d+: error: /);
    }
  });

  it('rejects --model together with --encoding', async () => {
    const c = capture();
    assert.equal(await main(['tokens', chat, '--model', 'gpt-4o', '--encoding', 'o200k_base'], c.io), 2);
    assert.match(c.err[0], /not both/);
  });
});
