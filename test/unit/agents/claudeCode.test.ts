import assert from 'node:assert/strict';
import path from 'node:path';
import { codes, discover, file, harness, workspace } from './kit';

// Claude Code's rules, each test naming its source:
//  [docs]  https://code.claude.com/docs/en/memory — files from the root down to the working folder, @imports up to
//          five hops and not inside code, .claude/rules with `paths`, nested CLAUDE.md when Claude reads there;
//  [capture] public transcripts — "Contents of <path> (project instructions, checked into the codebase):" after the
//          "Codebase and user instructions are shown below…" header, in the first user message;
//  [mod]   anthropics/claude-code v2.1.277 mods/agents-md — AGENTS.md in place of CLAUDE.md when the project has none;
//  [skills] claude-skills-doctor 0.8.1 — descriptions cut at 1,536 characters in the listing.

const HEADER =
  'Codebase and user instructions are shown below. Be sure to adhere to these instructions. IMPORTANT: These instructions OVERRIDE any default behavior and you MUST follow them exactly as written.';
const entry = (p: string, kind: string, text: string) => `Contents of ${p} (${kind}):\n\n${text}`;
const PROJECT = 'project instructions, checked into the codebase';

describe('Claude Code rules', () => {
  it('[capture][docs] sends every CLAUDE.md from the root down, then CLAUDE.local.md, as labelled entries', async () => {
    const root = workspace({
      'CLAUDE.md': 'root rules\n',
      'app/CLAUDE.md': 'app rules\n',
      'app/.claude/CLAUDE.md': 'dot-claude rules\n',
      'app/CLAUDE.local.md': 'mine\n',
    });
    const h = harness(
      await discover(path.join(root, 'app'), { harnesses: ['claude-code'], cwd: '/r/app' }, root),
      'claude-code',
    );
    assert.equal(
      h.instructions?.text,
      [
        HEADER,
        entry(path.join(root, 'CLAUDE.md'), PROJECT, 'root rules\n'),
        entry('/r/app/CLAUDE.md', PROJECT, 'app rules\n'),
        entry('/r/app/.claude/CLAUDE.md', PROJECT, 'dot-claude rules\n'),
        entry('/r/app/CLAUDE.local.md', "user's private project instructions, not checked in", 'mine\n'),
      ].join('\n\n'),
    );
    assert.equal(h.instructions?.role, 'user');
    assert.equal(h.takesEffect, 'next-session');
  });

  it('[docs][source] imports: each imported file an entry after its importer; not inside code; depth < 5', async () => {
    // The docs say "a maximum depth of five hops"; processMemoryFile() stops at depth >= 5 counting CLAUDE.md as 0,
    // so a file four imports down is the last one loaded.
    const root = workspace({
      'CLAUDE.md': 'See @docs/a.md and `@docs/skip.md`.\n```\n@docs/skip.md\n```\n',
      'docs/a.md': 'A @b.md\n',
      'docs/b.md': 'B @c.md\n',
      'docs/c.md': 'C @d.md\n',
      'docs/d.md': 'D @e.md\n',
      'docs/e.md': 'E @f.md\n',
      'docs/f.md': 'F\n',
      'docs/skip.md': 'never\n',
    });
    const h = harness(await discover(root, { harnesses: ['claude-code'], cwd: '/w' }), 'claude-code');
    const text = h.instructions!.text;
    for (const x of ['a', 'b', 'c', 'd']) assert.ok(text.includes(`Contents of /w/docs/${x}.md`), x);
    assert.ok(!text.includes('/w/docs/e.md'), 'depth 5 is not loaded');
    assert.ok(!text.includes('never'), 'imports in code are not read');
    assert.ok(text.indexOf('/w/CLAUDE.md') < text.indexOf('/w/docs/a.md'));
    assert.equal(file(h, 'docs/a.md').kind, 'import');
    assert.deepEqual(file(h, 'docs/a.md').reason, { why: 'imported', by: '/w/CLAUDE.md', depth: 1 });
    const deep = h.warnings.find((w) => w.code === 'import-too-deep')!;
    assert.equal(deep.path, 'docs/d.md');
    assert.equal(deep.line, 1);
  });

  it('[docs] a missing import and an import cycle are warnings naming the file and line', async () => {
    const root = workspace({ 'CLAUDE.md': 'one\n@gone.md\n@a.md\n', 'a.md': 'a @b.md\n', 'b.md': 'b @a.md\n' });
    const h = harness(await discover(root, { harnesses: ['claude-code'] }), 'claude-code');
    const missing = h.warnings.find((w) => w.code === 'import-missing')!;
    assert.deepEqual([missing.path, missing.line, missing.facts.import], ['CLAUDE.md', 2, 'gone.md']);
    const cycle = h.warnings.find((w) => w.code === 'import-cycle')!;
    assert.equal(cycle.path, 'b.md');
    assert.equal((h.instructions!.text.match(/Contents of .*\/a\.md/g) ?? []).length, 1, 'a.md is sent once');
  });

  it('[docs] .claude/rules: without paths always, with paths when a matching file is touched', async () => {
    const root = workspace({
      'CLAUDE.md': 'x',
      '.claude/rules/style.md': 'Use tabs.\n',
      '.claude/rules/api.md': '---\npaths:\n  - "src/api/**"\n---\nValidate input.\n',
    });
    const h = harness(await discover(root, { harnesses: ['claude-code'] }), 'claude-code');
    assert.equal(file(h, '.claude/rules/style.md').loaded, 'always');
    const api = file(h, '.claude/rules/api.md');
    assert.equal(api.loaded, 'on-match');
    assert.deepEqual(api.reason, { why: 'globs', globs: ['src/api/**'], matchesEverything: false });
    assert.ok(!h.instructions!.text.includes('Validate input'));
  });

  it('[docs] a CLAUDE.md below the working folder loads when Claude reads there', async () => {
    const root = workspace({ 'CLAUDE.md': 'top', 'pkg/web/CLAUDE.md': 'web' });
    const h = harness(await discover(root, { harnesses: ['claude-code'] }), 'claude-code');
    assert.equal(file(h, 'pkg/web/CLAUDE.md').loaded, 'on-match');
    assert.deepEqual(file(h, 'pkg/web/CLAUDE.md').reason, { why: 'below-cwd', folder: path.join(root, 'pkg/web') });
  });

  it('[mod] AGENTS.md stands in for CLAUDE.md only when the project has none', async () => {
    const a = workspace({ 'AGENTS.md': 'shared rules' });
    const ha = harness(await discover(a, { harnesses: ['claude-code'], cwd: '/a' }), 'claude-code');
    assert.equal(file(ha, 'AGENTS.md').loaded, 'always');
    assert.ok(ha.instructions!.text.endsWith(entry('/a/AGENTS.md', PROJECT, 'shared rules')));
    const b = workspace({ 'AGENTS.md': 'shared rules', 'CLAUDE.md': 'own' });
    const hb = harness(await discover(b, { harnesses: ['claude-code'] }), 'claude-code');
    assert.equal(file(hb, 'AGENTS.md').loaded, 'never');
    assert.deepEqual(file(hb, 'AGENTS.md').reason, { why: 'shadowed', by: 'CLAUDE.md' });
  });

  it('[skills] a skill is a listing line; a description past 1,536 characters is cut and warned', async () => {
    const long = 'Deploys. ' + 'd'.repeat(1600);
    const root = workspace({
      'CLAUDE.md': 'x',
      '.claude/skills/deploy/SKILL.md': `---\nname: deploy\ndescription: ${long}\n---\nStep 1.\n`,
      '.claude/skills/lint/SKILL.md': '---\nname: lint\ndescription: Lints.\n---\nRun it.\n',
    });
    const h = harness(await discover(root, { harnesses: ['claude-code'] }), 'claude-code');
    const lint = file(h, '.claude/skills/lint/SKILL.md');
    assert.equal(lint.loaded, 'listing');
    assert.deepEqual(lint.reason, { why: 'skill-listing', name: 'lint', description: 'Lints.' });
    assert.ok(lint.bodyTokens! > 0);
    const w = h.warnings.find((x) => x.code === 'skill-description-truncated')!;
    assert.equal(w.path, '.claude/skills/deploy/SKILL.md');
    assert.equal(w.line, 3);
    assert.equal(w.facts.maxChars, 1536);
    assert.equal(w.facts.chars, long.length);
  });

  it('[docs sub-agents] a sub-agent on another model than the main loop is warned; inherit and the same family are not', async () => {
    const root = workspace({
      'CLAUDE.md': 'x',
      '.claude/agents/fast.md': '---\nname: fast\ndescription: quick looks\nmodel: haiku\n---\nLook.\n',
      '.claude/agents/same.md': '---\nname: same\ndescription: same model\nmodel: inherit\n---\nWork.\n',
      '.claude/agents/sonnet.md': '---\nname: s\ndescription: d\nmodel: sonnet\n---\nWork.\n',
    });
    const h = harness(await discover(root, { harnesses: ['claude-code'], model: 'claude-sonnet-4-5' }), 'claude-code');
    assert.equal(file(h, '.claude/agents/fast.md').loaded, 'own-context');
    const w = h.warnings.filter((x) => x.code === 'sub-agent-model-differs');
    assert.deepEqual(
      w.map((x) => [x.path, x.line, x.facts.model]),
      [['.claude/agents/fast.md', 4, 'haiku']],
    );
    assert.ok(!codes(h).includes('front-matter-malformed'));
  });

  it('front matter and block HTML comments are not sent', async () => {
    const root = workspace({ 'CLAUDE.md': '---\ntitle: x\n---\n<!-- note to self -->\nKeep this.\n' });
    const h = harness(await discover(root, { harnesses: ['claude-code'], cwd: '/c' }), 'claude-code');
    assert.equal(h.instructions?.text, [HEADER, entry('/c/CLAUDE.md', PROJECT, 'Keep this.\n')].join('\n\n'));
  });

  it('the user file comes first, from $CLAUDE_CONFIG_DIR', async () => {
    const root = workspace({ 'CLAUDE.md': 'project' });
    const home = workspace({ 'CLAUDE.md': 'me', 'rules/r.md': 'my rule' }, false);
    const h = harness(
      await discover(root, { harnesses: ['claude-code'], cwd: '/p', globals: { claudeConfigDir: home } }),
      'claude-code',
    );
    const t = h.instructions!.text;
    assert.ok(
      t.indexOf(
        'Contents of ' + path.join(home, 'CLAUDE.md') + " (user's private global instructions for all projects)",
      ) > 0,
    );
    assert.ok(t.indexOf(path.join(home, 'CLAUDE.md')) < t.indexOf('/p/CLAUDE.md'));
    assert.equal(file(h, '$CLAUDE_CONFIG_DIR/CLAUDE.md').loaded, 'always');
    assert.equal(file(h, '$CLAUDE_CONFIG_DIR/rules/r.md').loaded, 'always');
  });
});
