import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { discover, file, harness, workspace } from './kit';

// Codex's rules as its own source states them: openai/codex codex-rs/core/src/agents_md.rs (discovery from the
// project root down to the cwd, one file per folder with AGENTS.override.md first, the byte budget cut with
// from_utf8_lossy, blank files skipped, the project-doc separator after the user's global file) and
// context/user_instructions.rs (the message's frame).

const frame = (cwd: string, text: string) =>
  `# AGENTS.md instructions for ${cwd}\n\n<INSTRUCTIONS>\n${text}\n</INSTRUCTIONS>`;

describe('Codex rules (agents_md.rs)', () => {
  it('joins the files from the git root down to the working folder with a blank line; files below it are never loaded', async () => {
    const root = workspace({
      'AGENTS.md': 'root',
      'pkg/AGENTS.md': 'pkg',
      'pkg/app/AGENTS.md': 'app',
      'pkg/app/deep/AGENTS.md': 'deep',
    });
    const ctx = await discover(path.join(root, 'pkg/app'), { harnesses: ['codex'], cwd: '/w/pkg/app' }, root);
    const h = harness(ctx, 'codex');
    assert.equal(h.instructions?.text, frame('/w/pkg/app', 'root\n\npkg\n\napp'));
    assert.deepEqual(
      h.files.filter((f) => f.loaded === 'always').map((f) => [f.path, f.order]),
      [
        ['../../AGENTS.md', 0],
        ['../AGENTS.md', 1],
        ['AGENTS.md', 2],
      ],
    );
    assert.equal(file(h, 'deep/AGENTS.md').loaded, 'never');
    assert.deepEqual(file(h, 'deep/AGENTS.md').reason, { why: 'below-cwd', folder: path.join(root, 'pkg/app/deep') });
  });

  it('without a project root only the working folder is read', async () => {
    const root = workspace({ 'AGENTS.md': 'parent', 'sub/AGENTS.md': 'sub' }, false);
    const h = harness(await discover(path.join(root, 'sub'), { harnesses: ['codex'], cwd: '/x' }, root), 'codex');
    assert.equal(h.instructions?.text, frame('/x', 'sub'));
  });

  it('AGENTS.override.md wins over AGENTS.md in its folder; a fallback name is read where neither is', async () => {
    const root = workspace({ 'AGENTS.override.md': 'override', 'AGENTS.md': 'plain', 'lib/TEAM.md': 'team' });
    const h = harness(
      await discover(
        path.join(root, 'lib'),
        { harnesses: ['codex'], cwd: '/r/lib', codexFallbackNames: ['TEAM.md'] },
        root,
      ),
      'codex',
    );
    assert.equal(h.instructions?.text, frame('/r/lib', 'override\n\nteam'));
    assert.deepEqual(file(h, '../AGENTS.md').reason, { why: 'shadowed', by: 'AGENTS.override.md' });
  });

  it('a blank file is skipped and costs no budget', async () => {
    const root = workspace({ 'AGENTS.md': '  \n\n', 'a/AGENTS.md': 'a' });
    const h = harness(await discover(path.join(root, 'a'), { harnesses: ['codex'], cwd: '/c' }, root), 'codex');
    assert.equal(h.instructions?.text, frame('/c', 'a'));
    assert.equal(file(h, '../AGENTS.md').loaded, 'never');
    assert.deepEqual(file(h, '../AGENTS.md').reason, { why: 'empty' });
  });

  it('cuts the chain at project_doc_max_bytes: bytes past it are never sent, later files not read', async () => {
    const big = 'x'.repeat(30_000) + '\n' + 'y'.repeat(5_000) + '\n'; // 35,002 bytes, over the 32,768 budget
    const root = workspace({ 'AGENTS.md': big, 'b/AGENTS.md': 'second', 'b/c/AGENTS.md': 'third' });
    const h = harness(await discover(path.join(root, 'b/c'), { harnesses: ['codex'], cwd: '/p' }, root), 'codex');
    const first = file(h, '../../AGENTS.md');
    assert.equal(first.loaded, 'always');
    assert.equal(first.bytesSent, 32_768);
    assert.equal(first.bytesLost, 35_002 - 32_768);
    const w = h.warnings.find((x) => x.code === 'budget-truncated')!;
    assert.equal(w.path, '../../AGENTS.md');
    assert.equal(w.line, 2, 'the first byte not sent is on line 2');
    assert.deepEqual(w.facts, { budget: 32_768, bytesSent: 32_768, bytesLost: 2_234, fromByte: 32_768 });
    for (const p of ['../AGENTS.md', 'AGENTS.md']) {
      assert.equal(file(h, p).loaded, 'never');
      assert.deepEqual(file(h, p).reason, { why: 'over-budget' });
    }
    assert.equal(h.warnings.filter((x) => x.code === 'budget-skipped').length, 2);
    assert.equal(h.instructions?.text, frame('/p', big.slice(0, 32_768)));
  });

  it('a later file is cut to what the earlier ones left', async () => {
    const root = workspace({ 'AGENTS.md': 'a'.repeat(20), 'b/AGENTS.md': 'b'.repeat(20) });
    const h = harness(
      await discover(path.join(root, 'b'), { harnesses: ['codex'], cwd: '/p', codexMaxBytes: 30 }, root),
      'codex',
    );
    assert.equal(h.instructions?.text, frame('/p', `${'a'.repeat(20)}\n\n${'b'.repeat(10)}`));
    assert.equal(file(h, 'AGENTS.md').bytesSent, 10);
    assert.equal(file(h, 'AGENTS.md').bytesLost, 10);
  });

  it('a multi-byte character cut by the budget becomes U+FFFD, as from_utf8_lossy writes it', async () => {
    const text = 'a'.repeat(9) + 'é' + 'b'; // é is 2 bytes: bytes 10–11
    const root = workspace({ 'AGENTS.md': text });
    const h = harness(await discover(root, { harnesses: ['codex'], cwd: '/q', codexMaxBytes: 10 }), 'codex');
    assert.equal(h.instructions?.text, frame('/q', 'a'.repeat(9) + '\uFFFD'));
    assert.equal(file(h, 'AGENTS.md').bytesSent, 10);
    assert.equal(file(h, 'AGENTS.md').bytesLost, 2);
  });

  it('puts the global $CODEX_HOME/AGENTS.md first, then "--- project-doc ---"; the global file is not budgeted', async () => {
    const root = workspace({ 'AGENTS.md': 'project' });
    const home = workspace({ 'AGENTS.md': 'g'.repeat(40), 'AGENTS.override.md': '' }, false);
    const h = harness(
      await discover(root, { harnesses: ['codex'], cwd: '/g', codexMaxBytes: 7, globals: { codexHome: home } }),
      'codex',
    );
    assert.equal(h.instructions?.text, frame('/g', `${'g'.repeat(40)}\n\n--- project-doc ---\n\nproject`));
    assert.equal(file(h, '$CODEX_HOME/AGENTS.md').loaded, 'always');
    assert.equal(file(h, '$CODEX_HOME/AGENTS.override.md').loaded, 'never', 'a blank override does not win');
  });

  it('project_doc_max_bytes = 0 sends nothing', async () => {
    const root = workspace({ 'AGENTS.md': 'x' });
    const h = harness(await discover(root, { harnesses: ['codex'], codexMaxBytes: 0 }), 'codex');
    assert.equal(h.instructions, null);
    assert.equal(file(h, 'AGENTS.md').loaded, 'never');
  });

  it('takes effect at the next session, in the user role', async () => {
    const root = workspace({ 'AGENTS.md': 'x' });
    const h = harness(await discover(root, { harnesses: ['codex'] }), 'codex');
    assert.equal(h.takesEffect, 'next-session');
    assert.equal(file(h, 'AGENTS.md').takesEffect, 'next-session');
    assert.equal(file(h, 'AGENTS.md').role, 'user');
    assert.ok(fs.existsSync(root));
  });
});
