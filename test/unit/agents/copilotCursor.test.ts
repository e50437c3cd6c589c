import assert from 'node:assert/strict';
import { codes, discover, file, harness, workspace } from './kit';

// GitHub Copilot in VS Code: microsoft/vscode-copilot-chat 0.42.0 (agentPrompt.tsx: custom instructions in a system
// message when chat.customInstructionsInSystemMessage is on — its default — rendered for every request;
// customInstructions.tsx: <instructions><attachment filePath=…>, text trimmed, a text seen once; the repository's
// copilot-instructions.md after the files VS Code attached) and VS Code's custom-instructions docs (applyTo).
// Cursor: https://cursor.com/docs/context/rules activation modes (alwaysApply, globs, description, none = manual).

describe('Copilot rules (vscode-copilot-chat 0.42.0, VS Code docs)', () => {
  it('[agentPrompt.tsx] the always-on files go in a system message as attachments, next turn', async () => {
    const root = workspace({ 'AGENTS.md': ' agents \n', '.github/copilot-instructions.md': 'repo rules\n' });
    const h = harness(await discover(root, { harnesses: ['copilot'], cwd: '/v' }), 'copilot');
    assert.equal(
      h.instructions?.text,
      '<instructions>\n<attachment filePath="/v/AGENTS.md">\nagents\n</attachment>\n<attachment filePath="/v/.github/copilot-instructions.md">\nrepo rules\n</attachment>\n</instructions>',
    );
    assert.equal(h.instructions?.role, 'system');
    assert.equal(h.instructions?.exact, false);
    assert.equal(h.takesEffect, 'next-turn');
    assert.equal(file(h, '.github/copilot-instructions.md').takesEffect, 'next-turn');
    assert.deepEqual(h.layers, ['tools', 'system', 'instructions', 'environment', 'conversation']);
  });

  it('[docs] applyTo: a glob attaches on a match, "**" always, a description alone lists it, nothing is manual', async () => {
    const root = workspace({
      '.github/instructions/ts.instructions.md': '---\napplyTo: "src/**/*.ts"\n---\nTS\n',
      '.github/instructions/all.instructions.md': '---\napplyTo: "**"\n---\nAll\n',
      '.github/instructions/all2.instructions.md': '---\napplyTo: "**/*"\n---\nAll too\n',
      '.github/instructions/desc.instructions.md': '---\ndescription: Release steps\n---\nRelease\n',
      '.github/instructions/none.instructions.md': 'No front matter\n',
    });
    const h = harness(await discover(root, { harnesses: ['copilot'] }), 'copilot');
    assert.equal(file(h, '.github/instructions/ts.instructions.md').loaded, 'on-match');
    assert.equal(file(h, '.github/instructions/all.instructions.md').loaded, 'always');
    assert.equal(file(h, '.github/instructions/all2.instructions.md').loaded, 'always');
    assert.equal(file(h, '.github/instructions/desc.instructions.md').loaded, 'listing');
    assert.equal(file(h, '.github/instructions/none.instructions.md').loaded, 'manual');
    const w = h.warnings.filter((x) => x.code === 'globs-match-everything');
    assert.deepEqual(
      w.map((x) => [x.path, x.line]),
      [['.github/instructions/all2.instructions.md', 2]],
      '"**" is the documented always-on form; "**/*" says the same in a roundabout way',
    );
  });

  it('[customInstructions.tsx] a text attached twice is sent once', async () => {
    const root = workspace({ 'AGENTS.md': 'same\n', 'CLAUDE.md': 'same' });
    const h = harness(await discover(root, { harnesses: ['copilot'] }), 'copilot');
    assert.equal(file(h, 'AGENTS.md').loaded, 'always');
    assert.equal(file(h, 'CLAUDE.md').loaded, 'never');
    assert.ok(codes(h).includes('duplicate-text'));
  });

  it('[docs] a nested AGENTS.md needs chat.useNestedAgentsMdFiles (off by default); agents are on invoke', async () => {
    const root = workspace({
      'AGENTS.md': 'x',
      'web/AGENTS.md': 'y',
      '.github/agents/plan.agent.md': '---\nname: plan\n---\nPlan.\n',
    });
    const h = harness(await discover(root, { harnesses: ['copilot'] }), 'copilot');
    assert.deepEqual(file(h, 'web/AGENTS.md').reason, {
      why: 'setting',
      setting: 'chat.useNestedAgentsMdFiles',
      defaultValue: false,
    });
    assert.equal(file(h, '.github/agents/plan.agent.md').loaded, 'on-invoke');
  });
});

describe('Cursor rules (cursor.com/docs/context/rules)', () => {
  it('activation follows the front matter; a rule without one is manual and warned', async () => {
    const root = workspace({
      '.cursor/rules/always.mdc': '---\nalwaysApply: true\n---\nAlways.\n',
      '.cursor/rules/ts.mdc': '---\nglobs: src/**/*.ts, test/**/*.ts\nalwaysApply: false\n---\nTS.\n',
      '.cursor/rules/ask.mdc': '---\ndescription: Database migrations\n---\nMigrate.\n',
      '.cursor/rules/manual.mdc': '---\nalwaysApply: false\n---\nManual.\n',
      '.cursor/rules/bare.mdc': 'No front matter.\n',
      '.cursor/rules/everything.mdc': '---\nglobs: "**/*"\n---\nEverything.\n',
      '.cursor/rules/string.mdc': '---\nalwaysApply: "true"\n---\nString.\n',
      'AGENTS.md': 'Root agents.\n',
      'web/AGENTS.md': 'Web agents.\n',
    });
    const h = harness(await discover(root, { harnesses: ['cursor'] }), 'cursor');
    const loaded = (p: string) => file(h, p).loaded;
    assert.equal(loaded('.cursor/rules/always.mdc'), 'always');
    assert.equal(loaded('.cursor/rules/ts.mdc'), 'on-match');
    assert.deepEqual(file(h, '.cursor/rules/ts.mdc').reason, {
      why: 'globs',
      globs: ['src/**/*.ts', 'test/**/*.ts'],
      matchesEverything: false,
    });
    assert.equal(loaded('.cursor/rules/ask.mdc'), 'listing');
    assert.equal(loaded('.cursor/rules/manual.mdc'), 'manual');
    assert.equal(loaded('.cursor/rules/bare.mdc'), 'manual');
    assert.equal(loaded('.cursor/rules/everything.mdc'), 'always');
    assert.equal(loaded('.cursor/rules/string.mdc'), 'manual');
    assert.equal(loaded('AGENTS.md'), 'always');
    assert.equal(loaded('web/AGENTS.md'), 'on-match');
    const w = (code: string) => h.warnings.filter((x) => x.code === code).map((x) => [x.path, x.line]);
    assert.deepEqual(w('cursor-rule-no-front-matter'), [['.cursor/rules/bare.mdc', 1]]);
    assert.deepEqual(w('globs-match-everything'), [['.cursor/rules/everything.mdc', 2]]);
    assert.deepEqual(w('front-matter-malformed'), [['.cursor/rules/string.mdc', 2]]);
    assert.equal(h.instructions?.role, null, 'where Cursor puts its rules is not documented');
    assert.equal(h.instructions?.exact, false);
  });

  it('malformed front matter is a warning with its line, the rule manual', async () => {
    const root = workspace({ '.cursor/rules/bad.mdc': '---\nglobs: [unclosed\n---\nBody\n' });
    const h = harness(await discover(root, { harnesses: ['cursor'] }), 'cursor');
    assert.equal(file(h, '.cursor/rules/bad.mdc').loaded, 'manual');
    const w = h.warnings.find((x) => x.code === 'front-matter-malformed')!;
    assert.equal(w.path, '.cursor/rules/bad.mdc');
    assert.ok(w.line !== null && w.line >= 2);
  });
});
