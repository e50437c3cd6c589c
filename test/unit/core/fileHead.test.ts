import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isPromptFile, REQUEST_BODY_SNIFF_CHARS } from '../../../src/core/prompt/promptFiles';
import { FileRefusal, readRegularFileHead } from '../../../src/node/regularFile';

// The Prompt Cache view and the workspace cost report sniff JSON and YAML candidates by their head on the Node host:
// a large file that is no request body is never read whole, and what a repository puts there (a FIFO, a link) is
// refused as every scan refuses it.

describe('reading the head of a workspace file (content sniffing)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-head-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads only the head of a large file, and the head decides as the editor's sniffing does", () => {
    const big = path.join(dir, 'data.json');
    fs.writeFileSync(
      big,
      JSON.stringify({ rows: Array.from({ length: 200_000 }, (_, i) => ({ i, name: `row ${i}` })) }),
    );
    assert.ok(fs.statSync(big).size > 4 * 1024 * 1024);
    const head = readRegularFileHead(big, REQUEST_BODY_SNIFF_CHARS);
    assert.equal(Buffer.byteLength(head), REQUEST_BODY_SNIFF_CHARS);
    assert.equal(isPromptFile('data.json', head), false);
    const body = path.join(dir, 'req.json');
    fs.writeFileSync(
      body,
      JSON.stringify({
        model: 'gpt-4.1',
        messages: [
          { role: 'system', content: 'x'.repeat(3_000_000) },
          { role: 'user', content: 'hi' },
        ],
      }),
    );
    assert.equal(
      isPromptFile('req.json', readRegularFileHead(body, REQUEST_BODY_SNIFF_CHARS)),
      true,
      'a request body is known by its head',
    );
  });

  it('drops a character cut in half at the end of the head', () => {
    const f = path.join(dir, 'cjk.json');
    fs.writeFileSync(f, '"' + '你'.repeat(100) + '"');
    const head = readRegularFileHead(f, 8); // '"' + 2 whole characters (3 bytes each) + 1 byte of the third
    assert.equal(head, '"你你');
  });

  it('refuses a FIFO and a symbolic link, without hanging', () => {
    const fifo = path.join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    assert.throws(
      () => readRegularFileHead(fifo, 1024),
      (e: unknown) => e instanceof FileRefusal && /FIFO|not a regular file/.test((e as Error).message),
    );
    const link = path.join(dir, 'link.json');
    fs.symlinkSync('/dev/zero', link);
    assert.throws(
      () => readRegularFileHead(link, 1024),
      (e: unknown) => e instanceof FileRefusal && /symbolic link/.test((e as Error).message),
    );
  });
});
