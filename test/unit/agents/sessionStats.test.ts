import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { agentSessionStats } from '../../../src/node/agentSessionStats';
import { claudeSession, codexRollout } from '../replay/agentFixtures';
import { workspace } from './kit';

// The requests per session behind the cost of an instruction file: the user's own Claude Code transcripts and Codex
// rollouts for the folder (where the Agent Sessions view finds them), counted by the replay's readers.
describe('session counts for the cost per session', () => {
  const saved = { CLAUDE_CONFIG_DIR: process.env.CLAUDE_CONFIG_DIR, CODEX_HOME: process.env.CODEX_HOME };
  afterEach(() => Object.assign(process.env, saved));

  it('counts the model calls of each session whose folder is <cwd> and takes the median', async () => {
    const claude = workspace({}, false);
    const codex = workspace({}, false);
    process.env.CLAUDE_CONFIG_DIR = claude;
    process.env.CODEX_HOME = codex;
    const cwd = '/home/dev/shop';
    const project = path.join(claude, 'projects', cwd.replace(/[^a-zA-Z0-9]/g, '-'));
    fs.mkdirSync(project, { recursive: true });
    const calls = (n: number) => Array.from({ length: n }, (_, i) => ({ at: i * 1000, read: 100 * i, write: 50 }));
    fs.writeFileSync(path.join(project, 'a.jsonl'), claudeSession(calls(3), { sessionId: 'a', cwd }).text);
    fs.writeFileSync(path.join(project, 'b.jsonl'), claudeSession(calls(5), { sessionId: 'b', cwd }).text);
    fs.writeFileSync(path.join(project, 'c.jsonl'), claudeSession(calls(9), { sessionId: 'c', cwd }).text);
    const day = path.join(codex, 'sessions/2026/11/30');
    fs.mkdirSync(day, { recursive: true });
    fs.writeFileSync(
      path.join(day, 'rollout-2026-11-30T09-00-00-x.jsonl'),
      codexRollout(
        [
          { at: 0, input: 1000, cached: 0 },
          { at: 1000, input: 1200, cached: 1000 },
        ],
        { cwd, model: 'gpt-5.5' },
      ),
    );
    fs.writeFileSync(
      path.join(day, 'rollout-2026-11-30T10-00-00-y.jsonl'),
      codexRollout([{ at: 0, input: 10, cached: 0 }], { cwd: '/elsewhere' }),
    );
    const s = await agentSessionStats(cwd);
    assert.equal(s['claude-code']?.count, 3);
    assert.equal(s['claude-code']?.medianRequests, 5);
    assert.equal(s.codex?.count, 1);
    assert.equal(s.codex?.medianRequests, 2);
    assert.equal(s.codex?.model, 'gpt-5.5');
  });

  it('no session: nothing, so the report says sessions: null and uses the stated default', async () => {
    process.env.CLAUDE_CONFIG_DIR = workspace({}, false);
    process.env.CODEX_HOME = workspace({}, false);
    assert.deepEqual(await agentSessionStats('/nowhere'), {});
  });
});
