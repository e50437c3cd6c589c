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

describe('kvlens tokenize', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-cli-'));
  const file = path.join(dir, 'p.prompt.md');
  fs.writeFileSync(file, 'You are a helpful assistant.\n');

  it('prints the ids as JSON', async () => {
    const c = capture();
    assert.equal(await main(['tokenize', file, '--encoding', 'o200k_base', '--json'], c.io), 0);
    const j = JSON.parse(c.out.join(''));
    assert.deepEqual(j.ids.length > 3, true);
    assert.equal(j.count, j.ids.length);
  });

  for (const [name, args, needle] of [
    ['a missing file', ['tokenize', path.join(dir, 'nope.md')], 'nope.md: no such file'],
    ['a directory', ['tokenize', dir], 'is a directory'],
    ['an unknown encoding', ['tokenize', file, '--encoding', 'p99k'], 'unknown encoding "p99k"'],
  ] as const) {
    it(`gives a one-line error and a non-zero exit for ${name}`, async () => {
      const c = capture();
      assert.notEqual(await main([...args], c.io), 0);
      assert.equal(c.err.length, 1);
      assert.match(c.err[0], new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.equal(c.err[0].includes('\n'), false);
    });
  }
});
