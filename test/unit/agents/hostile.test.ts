import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { codes, discover, file, harness, workspace } from './kit';

// Bad input never hangs, crashes or reads what it need not: a 50 MB AGENTS.md, a link out of the workspace, a FIFO,
// an @import loop, malformed front matter, a gitignored heavy folder, Restricted Mode.

describe('agent context on hostile workspaces', () => {
  it('a 50 MB AGENTS.md: Codex sends its first 32 KiB (and says the rest is cut); whole-file readers refuse it', async function () {
    this.timeout(20_000);
    const root = workspace({ 'CLAUDE.md': 'see @AGENTS.md' });
    const big = path.join(root, 'AGENTS.md');
    fs.writeFileSync(big, 'rule\n'.repeat(20));
    fs.truncateSync(big, 50 * 1024 * 1024); // sparse: 50 MB of NULs after the rules
    const ctx = await discover(root);
    const codex = harness(ctx, 'codex');
    assert.equal(file(codex, 'AGENTS.md').bytesSent, 32_768);
    assert.equal(file(codex, 'AGENTS.md').bytesLost, 50 * 1024 * 1024 - 32_768);
    const refused = ctx.warnings.filter((w) => w.code === 'file-too-big');
    assert.deepEqual(
      refused.map((w) => w.path),
      ['AGENTS.md'],
      'one warning naming the file',
    );
    assert.equal(refused[0].facts.bytes, 50 * 1024 * 1024);
    assert.ok(ctx.stats.bytesRead < 1024 * 1024, `read ${ctx.stats.bytesRead} bytes`);
    assert.equal(file(harness(ctx, 'copilot'), 'AGENTS.md').loaded, 'never');
  });

  it('a link to a file outside the workspace is not read; a FIFO is not opened', async function () {
    this.timeout(20_000);
    const outside = workspace({ 'secret.md': 'TOKEN=hunter2' }, false);
    const root = workspace({ 'GEMINI.md': 'ok' });
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(root, 'CLAUDE.md'));
    execFileSync('mkfifo', [path.join(root, 'AGENTS.md')]);
    const ctx = await discover(root);
    const byPath = new Map(ctx.warnings.map((w) => [w.path, w.code]));
    assert.equal(byPath.get('CLAUDE.md'), 'link-outside');
    assert.equal(byPath.get('AGENTS.md'), 'not-regular');
    for (const h of ctx.harnesses) assert.ok(!(h.instructions?.text ?? '').includes('hunter2'), h.harness);
    assert.equal(file(harness(ctx, 'codex'), 'AGENTS.md').loaded, 'never');
  });

  it('an @import loop and malformed front matter end as warnings', async () => {
    const root = workspace({
      'CLAUDE.md': '@a.md',
      'a.md': '@CLAUDE.md',
      '.claude/agents/x.md': '---\nmodel: [oops\n---\nbody',
    });
    const h = harness(await discover(root, { harnesses: ['claude-code'] }), 'claude-code');
    assert.ok(codes(h).includes('import-cycle'));
    const fm = h.warnings.find((w) => w.code === 'front-matter-malformed')!;
    assert.equal(fm.path, '.claude/agents/x.md');
  });

  it('a gitignored or excluded folder is neither listed nor read; only candidate files are read', async () => {
    const files: Record<string, string> = {
      '.gitignore': 'heavy/\n',
      'AGENTS.md': 'x',
      'src/app.ts': 'code',
      'out/AGENTS.md': 'built',
    };
    for (let i = 0; i < 50; i++) files[`heavy/d${i}/AGENTS.md`] = 'ignored';
    const root = workspace(files);
    const ctx = await discover(root, { harnesses: ['codex'], exclude: ['out'] });
    const h = harness(ctx, 'codex');
    assert.deepEqual(
      h.files.map((f) => f.path),
      ['AGENTS.md'],
    );
    assert.equal(ctx.stats.filesRead, 2, '.gitignore and AGENTS.md');
  });

  it('Restricted Mode reads nothing above DIR and no global file', async () => {
    const parent = workspace({ 'AGENTS.md': 'parent', 'CLAUDE.md': 'parent' });
    fs.mkdirSync(path.join(parent, 'child'));
    fs.writeFileSync(path.join(parent, 'child/AGENTS.md'), 'child');
    const home = workspace({ 'AGENTS.md': 'global' }, false);
    const ctx = await discover(path.join(parent, 'child'), { trusted: false, globals: { codexHome: home } }, parent);
    const codex = harness(ctx, 'codex');
    assert.deepEqual(
      codex.files.map((f) => f.path),
      ['AGENTS.md'],
    );
    assert.ok(codex.instructions!.text.includes('child') && !codex.instructions!.text.includes('parent'));
    assert.ok(ctx.warnings.some((w) => w.code === 'untrusted-skipped'));
  });
});
