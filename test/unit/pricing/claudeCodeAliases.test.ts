import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileModelCandidate } from '../../../src/core/analysis/fileModel';
import { chooseModel, failedChoiceResult } from '../../../src/core/analysis/modelChoice';
import { familyRuleFor, findModel, loadCatalog } from '../../../src/core/pricing/catalog';
import { compareVersions, versionOf } from '../../../src/core/pricing/modelVersion';
import { parsePrompt } from '../../../src/core/prompt/parse';
import { main } from '../../../src/cli/main';

// Claude Code's sub-agents and slash commands name models as `sonnet`, `opus`, `haiku` or `inherit` (issue 25, item 3).
const agent = (model: string) =>
  [
    '---',
    'name: reviewer',
    'description: Reviews a diff for bugs',
    `model: ${model}`,
    '---',
    'You review code.',
    '',
  ].join('\n');

function capture() {
  const out: string[] = [],
    err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe("Claude Code's model aliases and the unknown-model message", () => {
  it('sonnet, opus and haiku are the newest model of their family, as Claude Code resolves them; [1m] and opusplan too', () => {
    for (const [alias, family] of [
      ['sonnet', 'claude-sonnet-5'],
      ['opus', 'claude-opus-5'],
      ['haiku', 'claude-haiku-5'],
      ['sonnet[1m]', 'claude-sonnet-5'],
      ['opusplan', 'claude-opus-5'],
      ['Sonnet', 'claude-sonnet-5'],
    ]) {
      const found = findModel(alias);
      assert.ok(found.ok, alias);
      assert.equal(found.model.id, familyRuleFor(family)!.template, alias);
      assert.notEqual(found.model.origin, 'family', `${alias} is a listed model, not a family guess`);
    }
    assert.equal((findModel('sonnet') as { model: { id: string } }).model.id, 'claude-sonnet-5-5');
  });

  it("inherit is the main loop's model: the file names none, so the setting or the default decides", () => {
    const text = agent('inherit');
    const doc = parsePrompt(text, { fileName: '.claude/agents/reviewer.md' });
    const candidate = fileModelCandidate(doc, text, 'reviewer.md');
    assert.equal(candidate.id, undefined);
    const choice = chooseModel(loadCatalog(), [candidate, { id: 'claude-opus-4-8', from: 'settings' }]);
    assert.ok(choice.ok);
    assert.equal(choice.model.id, 'claude-opus-4-8');
    assert.equal(choice.from, 'settings');
  });

  it('an unknown model suggests each model once (a clear typo fix first, then newest first), placed on the line that names it', () => {
    const found = findModel('claude-sonet-3-7');
    assert.equal(found.ok, false);
    const suggestions = (found as { suggestions: readonly string[] }).suggestions;
    assert.ok(suggestions.length >= 2, suggestions.join(', '));
    const ids = suggestions.map((s) => (findModel(s) as { model: { id: string } }).model.id);
    assert.deepEqual(ids, [...new Set(ids)], `each model once: ${suggestions.join(', ')}`);
    // The clear typo fix first (Claude Sonnet 3.7, named claude-3-7-sonnet and claude-sonnet-3-7), then newest first.
    assert.equal(ids[0], 'claude-3-7-sonnet');
    for (let i = 2; i < ids.length; i++)
      assert.ok(compareVersions(versionOf(ids[i - 1]), versionOf(ids[i])) >= 0, `newest first: ${ids.join(', ')}`);

    const text = agent('sonet');
    const doc = parsePrompt(text, { fileName: '.claude/agents/reviewer.md' });
    const choice = chooseModel(loadCatalog(), [fileModelCandidate(doc, text, '.claude/agents/reviewer.md')]);
    assert.equal(choice.ok, false);
    const result = failedChoiceResult(choice as Extract<typeof choice, { ok: false }>, text);
    assert.equal(result.diagnostic?.line, 4);
    assert.equal(result.diagnostic?.code, 'unknown-model');
    assert.equal(text.slice(result.diagnostic!.range.start, result.diagnostic!.range.end), 'sonet');
    assert.match(result.message, /reviewer\.md:4 names unknown model "sonet"/);
  });

  it('kvlens tokens and analyze take model: sonnet as Claude Sonnet 5.5, and name line 4 for an unknown one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-agent-'));
    const known = path.join(dir, 'reviewer.prompt.md');
    fs.writeFileSync(known, agent('sonnet'));
    const t = capture();
    assert.equal(await main(['tokens', known, '--json'], t.io), 0, t.err.join(''));
    assert.equal(JSON.parse(t.out.join('')).model, 'claude-sonnet-5-5');
    const a = capture();
    assert.equal(await main(['analyze', known, '--json'], a.io), 0, a.err.join(''));
    assert.equal(JSON.parse(a.out.join('')).model, 'claude-sonnet-5-5');

    const unknown = path.join(dir, 'typo.prompt.md');
    fs.writeFileSync(unknown, agent('sonet'));
    const u = capture();
    assert.notEqual(await main(['analyze', unknown, '--json'], u.io), 0);
    assert.match(u.err.join(''), /typo\.prompt\.md:4 names unknown model "sonet"/);
  });
});
