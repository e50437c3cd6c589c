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

const RULES = Array.from({ length: 150 }, (_, i) => `Rule ${i + 1}: answer politely.`).join('\n');

describe('the CLI picks the model as the editor does (file, then .vscode/settings.json, then the default)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-settings-'));
  const sub = path.join(root, 'prompts', 'deep');
  fs.mkdirSync(sub, { recursive: true });
  const plain = path.join(sub, 'plain.prompt.md');
  fs.writeFileSync(plain, RULES);

  it('without a settings file: the default model, for analyze, cost and check alike', async () => {
    const c = capture();
    assert.equal(await main(['analyze', plain, '--json'], c.io), 0, c.err.join(''));
    assert.equal(JSON.parse(c.out.join('')).model, 'gpt-4.1');
    const k = capture();
    assert.equal(await main(['cost', plain, '--json'], k.io), 0, k.err.join(''));
    assert.equal(JSON.parse(k.out.join('')).models[0].model, 'gpt-4.1');
  });

  it('reads kvlens.model from the nearest .vscode/settings.json above the file (JSON with comments)', async () => {
    fs.mkdirSync(path.join(root, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(root, '.vscode', 'settings.json'),
      '{\n  // the team default\n  "kvlens.model": "claude-sonnet-4-5",\n}\n',
    );
    const c = capture();
    assert.equal(await main(['analyze', plain, '--json'], c.io), 0, c.err.join(''));
    assert.equal(JSON.parse(c.out.join('')).model, 'claude-sonnet-4-5');
    const flag = capture();
    assert.equal(await main(['analyze', plain, '--model', 'gpt-4o', '--json'], flag.io), 0);
    assert.equal(JSON.parse(flag.out.join('')).model, 'gpt-4o', '--model wins');
  });

  it('the model the file names wins over the settings; an unknown one says where it came from', async () => {
    const named = path.join(sub, 'named.prompt.md');
    fs.writeFileSync(named, `---\nmodel: gpt-4o\n---\n${RULES}`);
    const c = capture();
    assert.equal(await main(['analyze', named, '--json'], c.io), 0);
    assert.equal(JSON.parse(c.out.join('')).model, 'gpt-4o');
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), '{ "kvlens.model": "gpt-4.2" }');
    const bad = capture();
    assert.notEqual(await main(['analyze', plain, '--json'], bad.io), 0);
    assert.match(bad.err.join(''), /setting kvlens\.model in .*settings\.json names unknown model "gpt-4\.2"/);
  });
});
