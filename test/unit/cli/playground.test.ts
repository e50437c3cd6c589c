import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// `npm start` opens a throw-away copy of samples/ with a git history (scripts/playground.mjs), never samples/ itself:
// what a first look at KV Lens should show against git HEAD must be there, and the source tree must stay untouched.

const ROOT = path.resolve(__dirname, '../../../..');
const CLI = path.join(ROOT, 'dist/cli/kvlens.js');

describe("npm start's playground: a git copy of the samples", () => {
  it('has three commits, one uncommitted edit that breaks the cache after a cached part, and leaves samples/ as it was', async () => {
    const before = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'samples'], { encoding: 'utf8' });
    const { makePlayground } = (await import(path.join(ROOT, 'scripts/playground.mjs'))) as {
      makePlayground: (root: string, parent: string) => string;
    };
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-playground-'));
    const dir = makePlayground(ROOT, parent);
    assert.ok(dir.startsWith(parent));
    const git = (...a: string[]) => execFileSync('git', ['-C', dir, ...a], { encoding: 'utf8' });
    assert.equal(git('rev-list', '--count', 'HEAD').trim(), '3');
    assert.equal(git('status', '--porcelain').trim(), 'M prompts/support-agent.prompt.md');
    // The line the history changes in every commit: what KV Lens learns as volatile.
    assert.equal(
      git('log', '--format=%h', '-G', 'Knowledge base release', '--', 'prompts/support-agent.prompt.md')
        .trim()
        .split('\n').length,
      3,
    );
    const r = JSON.parse(
      execFileSync(
        process.execPath,
        [CLI, 'analyze', 'prompts/support-agent.prompt.md', '--baseline', 'git:HEAD', '--json'],
        { cwd: dir, encoding: 'utf8' },
      ),
    );
    assert.ok(r.cachedTokens >= 1024, `cached ${r.cachedTokens}`);
    assert.match(r.firstDivergence.after, /Always confirm the customer's workspace name/);
    // A second start replaces the playground; samples/ never changes.
    assert.equal(makePlayground(ROOT, parent), dir);
    assert.equal(
      execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'samples'], { encoding: 'utf8' }),
      before,
    );
    fs.rmSync(parent, { recursive: true, force: true });
  });
});
