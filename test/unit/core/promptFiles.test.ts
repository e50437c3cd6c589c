import assert from 'node:assert/strict';
import { DEFAULT_RULES, isPromptFile, matchesPromptGlobs } from '../../../src/core/prompt/promptFiles';

describe('prompt files', () => {
  it('matches the default globs of DESIGN.md', () => {
    for (const p of ['a.prompt.md', 'x/y/z.prompty', 'p.prompt', 'deep/n.prompt.txt', 'prompts/system.md', 'src/prompts/a/b.txt']) {
      assert.equal(isPromptFile(p, undefined), true, p);
    }
    for (const p of ['README.md', 'src/index.ts', 'notes.txt', 'promptsx/a.md']) assert.equal(isPromptFile(p, 'hello'), false, p);
  });

  it('treats JSON as a prompt only when it is a request body', () => {
    assert.equal(isPromptFile('req.json', '{"model":"gpt-4o","messages":[]}'), true);
    assert.equal(isPromptFile('a/anthropic.json', '{ "system": "x", "messages": [] }'), true);
    assert.equal(isPromptFile('package.json', '{"name":"x"}'), false);
    assert.equal(isPromptFile('log.jsonl', '\n{"messages":[{"role":"user","content":"hi"}]}\n{"messages":[]}'), true);
    assert.equal(isPromptFile('req.json', '{"messages":[]}', { ...DEFAULT_RULES, detectRequestBodies: false }), false);
  });

  it('lets "!" globs exclude, and custom globs widen', () => {
    assert.equal(matchesPromptGlobs('prompts/draft/a.md', ['**/prompts/**', '!**/draft/**']), false);
    assert.equal(matchesPromptGlobs('docs/a.md', ['docs/*.md']), true);
    assert.equal(isPromptFile('prompts/req.json', '{"messages":[]}', { globs: ['!prompts/**'], detectRequestBodies: true }), false);
  });
});
