import assert from 'node:assert/strict';
import { parsePrompt } from '../../../src/core/prompt/parse';
import { DEFAULT_RULES, isPromptFile, matchesPromptGlobs } from '../../../src/core/prompt/promptFiles';

describe('prompt files', () => {
  it('matches the default globs of ARCHITECTURE.md', () => {
    for (const p of [
      'a.prompt.md',
      'x/y/z.prompty',
      'p.prompt',
      'deep/n.prompt.txt',
      'prompts/system.md',
      'src/prompts/a/b.txt',
    ]) {
      assert.equal(isPromptFile(p, undefined), true, p);
    }
    for (const p of ['README.md', 'src/index.ts', 'notes.txt', 'promptsx/a.md'])
      assert.equal(isPromptFile(p, 'hello'), false, p);
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
    assert.equal(
      isPromptFile('prompts/req.json', '{"messages":[]}', { globs: ['!prompts/**'], detectRequestBodies: true }),
      false,
    );
  });

  it('a GitHub Models prompt is recognised by its content, whatever its name; other YAML is not', () => {
    const gh =
      'name: Summarizer\nmodel: openai/gpt-4o-mini\nmessages:\n  - role: system\n    content: You summarize text.\n  - role: user\n    content: "{{input}}"\n';
    assert.equal(isPromptFile('sample_prompt.yml', gh), true, 'gh models examples are named sample_prompt.yml');
    assert.equal(
      isPromptFile('evals/summarize.yaml', gh.replace('messages:\n', 'messages:\n  # the conversation\n')),
      true,
    );
    assert.equal(isPromptFile('docker-compose.yml', 'services:\n  web:\n    image: nginx\n'), false);
    assert.equal(
      isPromptFile('.github/workflows/ci.yml', 'on: push\njobs:\n  messages:\n    - role: admin\n'),
      false,
      'a nested or unknown role is not a prompt',
    );
    assert.equal(
      isPromptFile('sample_prompt.yml', gh, { globs: ['!**/sample_prompt.yml'], detectRequestBodies: true }),
      false,
      'an exclude wins',
    );
    assert.equal(
      isPromptFile('sample_prompt.yml', gh, { globs: DEFAULT_RULES.globs, detectRequestBodies: false }),
      false,
    );
    const doc = parsePrompt(gh, { fileName: 'sample_prompt.yml' });
    assert.equal(doc.prompts[0].format, 'github-models');
    assert.deepEqual(
      doc.prompts[0].blocks.map((b) => b.label),
      ['messages[0] system', 'messages[1] user'],
    );
  });
});
