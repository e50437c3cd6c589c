import assert from 'node:assert/strict';
import { placementsOf } from '../../../src/core/agents';
import { dynamicContentIn, duplicatesAmong } from '../../../src/core/agents/contentChecks';
import { discover, file, harness, workspace } from './kit';

describe('instruction-file checks', () => {
  it('dynamic content: a date, a version and a commit hash in an always-loaded file', async () => {
    const root = workspace({
      'AGENTS.md':
        '# Rules\nLast updated: 2026-12-01\nCurrent version: 4.2.1\nDeployed commit a1b2c3d4e5\nNode 20 or later.\n',
    });
    const h = harness(await discover(root, { harnesses: ['codex'], now: Date.UTC(2026, 11, 7) }), 'codex');
    const w = h.warnings.filter((x) => x.code === 'dynamic-content');
    assert.deepEqual(
      w.map((x) => [x.line, x.facts.kind]),
      [
        [2, 'date'],
        [3, 'version'],
        [4, 'commit'],
      ],
    );
  });

  it('dynamic content ignores historic dates and plain requirements', () => {
    assert.deepEqual(dynamicContentIn('Founded 2007-06-29.\nRequires Node 20.19.\n', 2026), []);
  });

  it('the same text through two files: a whole copy, and a shared paragraph with its lines', async () => {
    const para =
      'All API handlers validate their input with zod schemas and return typed errors; never throw raw strings from a route handler, and log the request id with every error you return.';
    const root = workspace({ 'CLAUDE.md': `# A\n\n${para}\n`, '.claude/rules/api.md': `Intro.\n\n${para}\n` });
    const h = harness(await discover(root, { harnesses: ['claude-code'] }), 'claude-code');
    const d = h.warnings.find((x) => x.code === 'duplicate-text')!;
    assert.equal(d.path, '.claude/rules/api.md');
    assert.equal(d.line, 3);
    assert.equal(d.facts.other, 'CLAUDE.md');
    assert.equal(d.facts.otherLine, 3);
    assert.equal(
      duplicatesAmong([
        { abs: '/a', text: 'same\n' },
        { abs: '/b', text: 'same' },
      ])[0].whole,
      true,
    );
  });

  it('placement of one file: where it lands for each agent and what it costs per session', async () => {
    const root = workspace({ 'AGENTS.md': 'Use pnpm. '.repeat(200), 'CLAUDE.md': 'See the repo.' });
    const ctx = await discover(root, { sessions: { codex: { count: 4, medianRequests: 40 } } });
    const p = placementsOf(ctx, 'AGENTS.md');
    const codex = p.find((x) => x.harness === 'codex')!;
    assert.equal(codex.loaded, 'always');
    assert.equal(codex.layer, 'instructions');
    assert.equal(codex.role, 'user');
    assert.equal(codex.takesEffect, 'next-session');
    assert.deepEqual(codex.invalidates.layers, ['instructions', 'environment', 'conversation']);
    assert.equal(codex.cost!.requests, 40);
    assert.equal(codex.cost!.requestsFrom, 'sessions');
    assert.ok(codex.cost!.totalUsd > codex.cost!.writeUsd);
    assert.equal(codex.fixedBefore.minTokens, 4000);
    const copilot = p.find((x) => x.harness === 'copilot')!;
    assert.equal(copilot.takesEffect, 'next-turn');
    assert.equal(copilot.cost!.requestsFrom, 'default');
    const claude = p.find((x) => x.harness === 'claude-code')!;
    assert.equal(claude.loaded, 'never', 'a project with a CLAUDE.md does not load AGENTS.md');
    assert.equal(claude.cost, null);
    assert.equal(harness(ctx, 'codex').sessions?.medianRequests, 40);
    assert.equal(file(harness(ctx, 'codex'), 'AGENTS.md').tokens, codex.tokens);
  });
});
