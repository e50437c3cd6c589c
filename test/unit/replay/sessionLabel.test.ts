import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requestLabel } from '../../../src/core/replay/modelCall';
import { shortFileName, shortLabel } from '../../../src/core/text/shortLabel';
import { firstPrompt } from '../../../src/node/agentSessionFiles';
import { claudeSession, codexRollout } from './agentFixtures';

// Issue 25: a session is labelled with the user's first request (not the instructions an agent injects before it),
// short enough that the view's figures show beside it.

const REAL = path.resolve(__dirname, '../../../../test/unit/replay/real/codex-code-butler.jsonl');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-label-'));

describe("session labels: the user's first request", () => {
  it('a real Codex session (EdofEngland/code_butler): not the AGENTS.md text Codex injects before the request', () => {
    const first = fs
      .readFileSync(REAL, 'utf8')
      .split('\n')
      .find((l) => l.includes('"role":"user"'))!;
    assert.match(first, /# AGENTS\.md instructions for \/Users\//, 'the first user message is the injected one');
    assert.equal(firstPrompt(REAL, 'codex'), '/butler-exec — Execute a ButlerSpec');
  });
  it('a Codex rollout without user_message events: the first user message that is not injected context', () => {
    const file = path.join(dir, 'rollout-old.jsonl');
    const injected = (text: string) =>
      JSON.stringify({
        timestamp: '2026-11-30T09:00:00Z',
        type: 'response_item',
        payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
      });
    fs.writeFileSync(
      file,
      [
        injected('# AGENTS.md instructions for /home/dev/shop\n\n<INSTRUCTIONS>\nUse npm.\n</INSTRUCTIONS>'),
        injected('<environment_context>\n  <cwd>/home/dev/shop</cwd>\n</environment_context>'),
        codexRollout([{ at: 0, input: 12000, cached: 0 }]),
      ].join('\n'),
    );
    assert.equal(firstPrompt(file, 'codex'), 'Fix the failing test.');
  });
  it('a Claude Code transcript: the first user message that is not a command or meta', () => {
    const file = path.join(dir, 's.jsonl');
    fs.writeFileSync(file, claudeSession([{ at: 0, read: 0, write: 2000 }]).text);
    assert.equal(firstPrompt(file, 'claude-code'), 'Add a discount field to the checkout form.');
  });
  it("a request's first line with words, without Markdown heading marks or fences", () => {
    assert.equal(requestLabel('\n## User Input\n\n```text\nAdd a field\n```'), 'User Input');
    assert.equal(requestLabel('```\n\n  Fix   the test.\n'), 'Fix the test.');
    assert.equal(requestLabel('x'.repeat(100))!.length, 80);
  });
  it('cut at a word to fit beside the figures', () => {
    assert.equal(shortLabel('Add a discount field to the checkout form.', 24), 'Add a discount field to…');
    assert.equal(shortLabel('Fix the failing test.', 24), 'Fix the failing test.');
    assert.equal(shortLabel('Supercalifragilisticexpialidocious', 12), 'Supercalifr…');
  });
  it('a file name cut in its stem, its extension kept', () => {
    assert.equal(shortFileName('support-agent.prompt.md', 26), 'support-agent.prompt.md');
    assert.equal(shortFileName('a-very-long-customer-support-agent.prompt.md', 26), 'a-very-long-cus….prompt.md');
  });
});
