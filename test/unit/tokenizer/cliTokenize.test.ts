import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { oracleIds } from './tiktokenOracle';
import { GAP_CASES, mixed, seeded } from './sampleTexts';

describe('kvlens tokenize --json matches tiktoken', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-tok-'));
  const files: [string, string][] = [
    ['gaps.prompt.md', GAP_CASES.join('\n')],
    ['bom-first.prompt.md', '\ufeffSystem: be brief.\n<|endoftext|> a \u0085b'],
    ['special.txt', 'Say <|endoftext|> and <|im_start|> and <|start|>assistant<|channel|>final<|message|> literally.'],
    ['mixed.prompt.md', mixed(seeded(11), 20_000)],
  ];
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);

  for (const encoding of ['o200k_base', 'cl100k_base', 'o200k_harmony']) {
    for (const [name] of files) {
      it(`${encoding}: ${name}`, async () => {
        const file = path.join(dir, name);
        const out: string[] = [],
          err: string[] = [];
        const code = await main(['tokenize', file, '--encoding', encoding, '--json'], {
          out: (t) => out.push(t),
          err: (t) => err.push(t),
        });
        assert.equal(code, 0, err.join('\n'));
        const j = JSON.parse(out.join(''));
        assert.equal(j.encoding, encoding);
        assert.equal(j.exact, true);
        assert.deepEqual(j.ids, oracleIds(encoding, fs.readFileSync(file, 'utf8')));
        assert.equal(j.count, j.ids.length);
      });
    }
  }
});
