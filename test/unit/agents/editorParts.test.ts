import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  fileRanges,
  isInstructionFilePath,
  placementsOf,
  utf16OffsetOfByte,
  utf8LengthOf,
} from '../../../src/core/agents';
import type { AgentContext, FileView, HarnessId } from '../../../src/core/agents';
import {
  alwaysApplyBoolean,
  alwaysApplyInsteadOfGlobs,
  applyToEverything,
  cursorFrontMatter,
  descriptionInsteadOfGlobs,
  inheritModel,
  type AgentFix,
} from '../../../src/core/agents/fixes';
import { applyFix } from '../../../src/core/analysis/fixes';
import { pricesFor } from '../../../src/core/pricing/cost';
import { loadCatalog } from '../../../src/core/pricing/catalog';
import { codes, discover, file, harness, workspace } from './kit';

// The core parts the editor's instruction-file features stand on: which files are instruction files (the scan's own
// list), the sent and never-sent spans of an open file, and the mechanical fixes — each checked against discovery
// itself (a fixed file is discovered again and its warning is gone, its loading mode what the fix says).

/** One file's views for fileRanges, from a discovery. */
function viewsOf(ctx: AgentContext, rel: string): FileView[] {
  return ctx.harnesses.flatMap((h) =>
    h.files
      .filter((f) => f.path === rel)
      .map((f) => ({ harness: h.harness, file: f, warnings: h.warnings.filter((w) => w.path === rel) })),
  );
}

/** Writes the fixed text back and discovers again. */
async function refix(root: string, rel: string, fix: AgentFix | undefined, only?: HarnessId[]) {
  assert.ok(fix, `a fix for ${rel}`);
  const p = path.join(root, rel);
  fs.writeFileSync(p, applyFix(fs.readFileSync(p, 'utf8'), { title: '', edits: fix.edits }));
  return discover(root, only ? { harnesses: only } : {});
}

describe('instruction files in the editor: core parts', () => {
  it("isInstructionFilePath is the scan's own list: every file discovery lists passes it, other files do not", async () => {
    const root = workspace({
      'CLAUDE.md': 'c\n@docs/imp.md\n',
      'docs/imp.md': 'imported\n',
      'CLAUDE.local.md': 'l',
      'AGENTS.md': 'a',
      'pkg/AGENTS.override.md': 'o',
      'GEMINI.md': 'g',
      '.cursorrules': 'r',
      '.github/copilot-instructions.md': 'x',
      '.github/instructions/ts.instructions.md': '---\napplyTo: "**/*.ts"\n---\nts\n',
      '.github/agents/plan.md': '---\nname: plan\n---\nplan\n',
      '.cursor/rules/style.mdc': '---\nalwaysApply: true\n---\ns\n',
      '.claude/agents/rev.md': '---\nname: rev\ndescription: reviews\n---\nr\n',
      '.claude/rules/deep/a.md': 'rule',
      '.claude/skills/pdf/SKILL.md': '---\nname: pdf\ndescription: PDFs\n---\nbody\n',
      '.gemini/settings.json': '{}',
      'README.md': 'readme',
      'src/notes.md': 'notes',
    });
    const ctx = await discover(root);
    const listed = new Set(ctx.harnesses.flatMap((h) => h.files.filter((f) => f.kind !== 'import').map((f) => f.path)));
    assert.ok(listed.size >= 12, [...listed].join(', '));
    for (const p of listed) assert.ok(isInstructionFilePath(p), `${p} is listed by discovery`);
    for (const p of ['README.md', 'src/notes.md', 'docs/imp.md', '.gemini/settings.json', 'x/prompt.md'])
      assert.equal(isInstructionFilePath(p), false, p);
    assert.equal(isInstructionFilePath('deep\\nested\\CLAUDE.md'), true, 'Windows separators');
  });

  it("fileRanges: Codex's cut starts at the byte its budget ends, in UTF-16 offsets of a text with multi-byte characters", async () => {
    const line = '- Prüfe jede Änderung — “immer” 🙂 mit den Tests.\n';
    const text = `# Regeln\n${line.repeat(Math.ceil(40_000 / Buffer.byteLength(line)))}`;
    const root = workspace({ 'AGENTS.md': text });
    const ctx = await discover(root);
    const codex = file(harness(ctx, 'codex'), 'AGENTS.md');
    assert.equal(codex.bytesSent, 32_768);
    const r = fileRanges(text, viewsOf(ctx, 'AGENTS.md'));
    const cut = r.cut.find((c) => c.harness === 'codex');
    assert.ok(cut, JSON.stringify(r.cut));
    assert.equal(cut.why, 'budget');
    assert.equal(cut.limit, 32_768);
    assert.equal(cut.end, text.length);
    assert.equal(Buffer.byteLength(text.slice(0, cut.start)), 32_768, 'the cut starts at byte 32,768');
    assert.equal(utf8LengthOf(text), Buffer.byteLength(text));
    // Copilot and Cursor send the whole file: the sent tint covers it, the cut is Codex's alone.
    assert.deepEqual(r.sent, [[0, text.length]]);
    assert.equal(utf16OffsetOfByte('a🙂b', 5), 3, 'after the 4-byte emoji (2 UTF-16 units)');
  });

  it('fileRanges: front matter is not tinted; a listing sends its description, and what a listing cuts is marked', async () => {
    const long = 'x'.repeat(1_600);
    const rule = '---\ndescription: Style\nglobs: src/**/*.ts\n---\nUse tabs.\n';
    const skill = `---\nname: big\ndescription: ${long}\n---\nBody.\n`;
    const root = workspace({ '.cursor/rules/style.mdc': rule, '.claude/skills/big/SKILL.md': skill });
    const ctx = await discover(root);
    const r = fileRanges(rule, viewsOf(ctx, '.cursor/rules/style.mdc'));
    assert.deepEqual(r.frontMatter, [0, rule.indexOf('Use tabs')]);
    assert.deepEqual(r.sent, [[rule.indexOf('Use tabs'), rule.length]]);
    const s = fileRanges(skill, viewsOf(ctx, '.claude/skills/big/SKILL.md'));
    const start = skill.indexOf(long);
    const claudeCut = s.cut.find((c) => c.harness === 'claude-code');
    assert.ok(claudeCut && claudeCut.why === 'listing', JSON.stringify(s.cut));
    assert.equal(claudeCut.start, start + 1536, "Claude Code's listing keeps 1,536 characters");
    assert.equal(claudeCut.end, start + long.length);
    assert.ok(!s.sent.some(([a]) => a >= skill.indexOf('Body.')), 'the body is sent on invoke only: not tinted');
  });

  it('placementsOf: what an edit re-writes is priced at the write price of the harness model', async () => {
    const root = workspace({
      'AGENTS.md': 'Rule one.\n'.repeat(50),
      '.github/copilot-instructions.md': 'Repo.\n'.repeat(30),
    });
    const ctx = await discover(root, { harnesses: ['copilot'] });
    const catalog = loadCatalog();
    const [p] = placementsOf(ctx, 'AGENTS.md', catalog);
    assert.equal(p.invalidates.when, 'next-turn');
    const after = p.invalidates.instructionTokensAfter;
    assert.ok(after > p.tokens, 'the files after it are re-written too');
    const m = catalog.find(p.cost!.model);
    assert.ok(m.ok);
    const write = Number(pricesFor(m.model, p.tokens).cacheWrite);
    assert.ok(Math.abs(p.invalidates.writeUsd! - (after * write) / 1e6) < 1e-9, `${p.invalidates.writeUsd}`);
  });
});

describe('instruction-file fixes: the warning is gone when the fixed file is discovered again', () => {
  it('a Cursor rule without front matter: a description makes it a listed rule; alwaysApply sends it always', async () => {
    const text = '# Prefer named exports\n\nExport functions by name.\n';
    let root = workspace({ '.cursor/rules/exports.mdc': text });
    let h = harness(await discover(root, { harnesses: ['cursor'] }), 'cursor');
    assert.ok(codes(h).includes('cursor-rule-no-front-matter'));
    const desc = cursorFrontMatter(text, 'description');
    assert.equal(desc?.description, 'Prefer named exports');
    h = harness(await refix(root, '.cursor/rules/exports.mdc', desc, ['cursor']), 'cursor');
    assert.equal(file(h, '.cursor/rules/exports.mdc').loaded, 'listing');
    assert.deepEqual(codes(h), []);
    root = workspace({ '.cursor/rules/exports.mdc': text });
    h = harness(
      await refix(root, '.cursor/rules/exports.mdc', cursorFrontMatter(text, 'always'), ['cursor']),
      'cursor',
    );
    assert.equal(file(h, '.cursor/rules/exports.mdc').loaded, 'always');
    assert.equal(cursorFrontMatter(`---\nalwaysApply: true\n---\n${text}`, 'always'), undefined, 'it has one');
  });

  it('globs matching everything: a description instead (listed), or alwaysApply: true (the same rule)', async () => {
    const rule = '---\nglobs: "**/*"\nalwaysApply: false\n---\n# Tabs\nUse tabs.\n';
    let root = workspace({ '.cursor/rules/tabs.mdc': rule });
    let h = harness(await discover(root, { harnesses: ['cursor'] }), 'cursor');
    assert.ok(codes(h).includes('globs-match-everything'));
    h = harness(await refix(root, '.cursor/rules/tabs.mdc', descriptionInsteadOfGlobs(rule), ['cursor']), 'cursor');
    assert.equal(file(h, '.cursor/rules/tabs.mdc').loaded, 'listing');
    assert.deepEqual(codes(h), []);
    root = workspace({ '.cursor/rules/tabs.mdc': rule });
    h = harness(await refix(root, '.cursor/rules/tabs.mdc', alwaysApplyInsteadOfGlobs(rule), ['cursor']), 'cursor');
    assert.equal(file(h, '.cursor/rules/tabs.mdc').loaded, 'always');
    assert.deepEqual(codes(h), []);
    const listed = '---\nglobs:\n  - "**"\n  - src/**\n---\nx\n';
    assert.equal(
      applyFix(listed, { title: '', edits: alwaysApplyInsteadOfGlobs(listed)!.edits }),
      '---\nalwaysApply: true\n---\nx\n',
      'a YAML list goes with its key',
    );
  });

  it('Copilot applyTo "**/*" written as "**"; a sub-agent on model: inherit; alwaysApply "true" as a boolean', async () => {
    const ins = '---\napplyTo: "**/*"\n---\nAll.\n';
    const agent = '---\nname: rev\ndescription: Reviews code\nmodel: haiku\n---\nReview.\n';
    const rule = '---\nalwaysApply: "true"\n---\nRule.\n';
    const root = workspace({
      '.github/instructions/all.instructions.md': ins,
      '.claude/agents/rev.md': agent,
      '.cursor/rules/r.mdc': rule,
    });
    const ctx = await discover(root, { model: 'claude-sonnet-4-5' });
    assert.ok(codes(harness(ctx, 'copilot')).includes('globs-match-everything'));
    assert.ok(codes(harness(ctx, 'claude-code')).includes('sub-agent-model-differs'));
    assert.ok(codes(harness(ctx, 'cursor')).includes('front-matter-malformed'));
    await refix(root, '.github/instructions/all.instructions.md', applyToEverything(ins));
    await refix(root, '.claude/agents/rev.md', inheritModel(agent));
    const after = await refix(root, '.cursor/rules/r.mdc', alwaysApplyBoolean(rule));
    assert.ok(!codes(harness(after, 'copilot')).includes('globs-match-everything'));
    assert.equal(file(harness(after, 'copilot'), '.github/instructions/all.instructions.md').loaded, 'always');
    assert.ok(!codes(harness(after, 'claude-code')).includes('sub-agent-model-differs'));
    assert.match(fs.readFileSync(path.join(root, '.claude/agents/rev.md'), 'utf8'), /^model: inherit$/m);
    assert.ok(!codes(harness(after, 'cursor')).includes('front-matter-malformed'));
    assert.equal(file(harness(after, 'cursor'), '.cursor/rules/r.mdc').loaded, 'always');
    assert.equal(alwaysApplyBoolean('---\nalwaysApply: true\n---\n'), undefined, 'already a boolean');
  });
});
