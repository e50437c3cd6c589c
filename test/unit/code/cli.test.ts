import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { RULES } from './helpers';

function capture() {
  const out: string[] = [],
    err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-code-'));
const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
  return f;
};

const BAD = `import anthropic
from datetime import datetime
client = anthropic.Anthropic()
RULES = """${RULES}"""
def answer(q):
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=100,
        system=f"Now: {datetime.now()}\\n" + RULES,
        messages=[{"role": "user", "content": q}],
    )
`;
const GOOD = BAD.replace('f"Now: {datetime.now()}\\n" + RULES', 'RULES').replace(
  '"content": q}',
  '"content": f"{q}\\nNow: {datetime.now()}"}',
);

describe('kvlens code', () => {
  it('prints the ARCHITECTURE.md JSON contract for each call', async () => {
    const f = write('bad.py', BAD);
    const c = capture();
    assert.equal(await main(['code', f, '--json'], c.io), 0, c.err.join('\n'));
    const j = JSON.parse(c.out.join(''));
    assert.equal(j.calls.length, 1);
    const call = j.calls[0];
    for (const k of [
      'line',
      'sdk',
      'provider',
      'model',
      'systemStatic',
      'firstDynamic',
      'staticPrefix',
      'cacheControl',
      'flag',
    ])
      assert.ok(k in call, `missing ${k}`);
    assert.deepEqual(
      [call.line, call.sdk, call.provider, call.model, call.systemStatic, call.cacheControl, call.flag],
      [4 + RULES.split('\n').length + 1, 'anthropic', 'anthropic', 'claude-sonnet-4-5', false, false, true],
    );
    const bodyLine = 4 + RULES.split('\n').length + 4;
    assert.deepEqual(call.firstDynamic, { line: bodyLine, what: 'datetime.now()', volatility: 'request' });
    assert.deepEqual(call.staticPrefix, { chars: 5, tokens: call.staticPrefix.tokens, unknown: null });
    assert.ok(call.staticPrefix.tokens >= 1 && call.staticPrefix.tokens <= 3);
  });

  it('a readable table without --json; --model measures every call with that model', async () => {
    const f = write('bad2.py', BAD);
    const c = capture();
    assert.equal(await main(['code', f, '--model', 'gpt-4o'], c.io), 0);
    const out = c.out.join('\n');
    assert.match(out, /1 LLM call, 1 flagged/);
    assert.match(out, /measured as gpt-4o/);
    assert.match(
      out,
      /FLAG datetime\.now\(\) \(line \d+, per request\) sits ahead of [\d,]+ static tokens: \$[\d.]+ per call/,
    );
  });

  it('bad input: a file that is not source code, a missing file, an unknown model — one line naming it', async () => {
    let c = capture();
    assert.equal(await main(['code', write('notes.md', '# hi'), '--json'], c.io), 2);
    assert.match(c.err.join(''), /notes\.md: not a Python, TypeScript or JavaScript file/);
    c = capture();
    assert.equal(await main(['code', path.join(dir, 'missing.py')], c.io), 2);
    assert.match(c.err.join(''), /missing\.py: no such file/);
    c = capture();
    assert.equal(await main(['code', write('x.py', BAD), '--model', 'no-such-model-9'], c.io), 2);
    assert.match(c.err.join(''), /unknown model "no-such-model-9"/);
  });

  it('a syntax error is not a crash: the parser recovers and the calls it can read are reported', async () => {
    const c = capture();
    assert.equal(await main(['code', write('broken.py', BAD + '\ndef (:\n'), '--json'], c.io), 0);
    assert.equal(JSON.parse(c.out.join('')).calls.length, 1);
  });
});

describe('kvlens check on source files', () => {
  it('fails on a per-request value ahead of static text that would reach the minimum, passes once it moves after', async () => {
    let c = capture();
    assert.equal(await main(['check', write('gate/bad.py', BAD)], c.io), 1);
    assert.match(c.out.join('\n'), /FAIL .*bad\.py .*\n.*datetime\.now\(\) \(per request\) sits ahead of/);
    c = capture();
    assert.equal(await main(['check', write('gate/good.py', GOOD), '--json'], c.io), 0);
    const j = JSON.parse(c.out.join(''));
    assert.equal(j.ok, true);
    assert.equal(j.files[0].calls, 1);
  });

  it('passes a per-request value ahead of static text too short to reach the minimum', async () => {
    const short = BAD.replace(`RULES = """${RULES}"""`, 'RULES = "Be brief and kind."');
    const c = capture();
    assert.equal(await main(['check', write('gate/short.py', short)], c.io), 0);
  });
});
