import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { oracle } from '../tokenizer/tiktokenOracle';
import { discover, file, harness, workspace } from './kit';

// The oracle: real Codex rollouts (test/agents/codex/SOURCES.md says which; the copies live outside the repository) hold the "# AGENTS.md instructions for <cwd>"
// message Codex sent. Rebuilt from the AGENTS.md files the session was made with, instructions.text must be that
// message byte for byte (CRLF included), and its token count tiktoken's o200k_base count (the Codex models' encoding).

const ROOT = path.resolve(__dirname, '../../../..');
/** Where the copies are: fetched data stays out of commits (SOURCES.md), so the lead's machine or CI provides them. */
const CASES = [
  process.env.KVLENS_AGENT_ROLLOUTS,
  path.join(ROOT, '..', 'shared', 'agent-rollouts'),
  path.join(ROOT, 'test/agents/codex/local'),
].find((d): d is string => !!d && fs.existsSync(path.join(d, 'SOURCES.md')));

function copyTree(from: string, to: string) {
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, e.name),
      b = path.join(to, e.name);
    if (e.isDirectory()) {
      fs.mkdirSync(b, { recursive: true });
      copyTree(a, b);
    } else fs.copyFileSync(a, b);
  }
}

describe('Codex rollouts: instructions.text equals what Codex sent', () => {
  if (!CASES)
    console.log(
      '      (no real Codex rollouts here: run test/agents/extract-codex-rollouts.mjs on fetched snapshots, or set KVLENS_AGENT_ROLLOUTS)',
    );
  const names = CASES ? fs.readdirSync(CASES).filter((n) => fs.statSync(path.join(CASES, n)).isDirectory()) : [];
  if (CASES) it('has the real cases', () => assert.ok(names.length >= 5, names.join(', ')));
  for (const name of names) {
    it(`${name}`, async function () {
      this.timeout(20_000);
      const info = JSON.parse(fs.readFileSync(path.join(CASES!, name, 'case.json'), 'utf8')) as {
        cwd: string;
        files: { path: string }[];
      };
      const [, line] = fs.readFileSync(path.join(CASES!, name, 'rollout.jsonl'), 'utf8').split('\n');
      const sent = (JSON.parse(line) as { payload: { content: { text: string }[] } }).payload.content[0].text;
      const dir = workspace({});
      copyTree(path.join(CASES!, name, 'tree'), dir);
      const ctx = await discover(dir, { cwd: info.cwd, harnesses: ['codex'], model: 'gpt-5.5' });
      const h = harness(ctx, 'codex');
      assert.ok(h.instructions);
      assert.equal(Buffer.compare(Buffer.from(h.instructions.text), Buffer.from(sent)), 0, `${name}: text differs`);
      assert.equal(h.instructions.tokens, oracle('o200k_base').encode(sent, [], []).length);
      assert.equal(h.instructions.exact, true);
      assert.equal(h.instructions.role, 'user');
      assert.equal(file(h, 'AGENTS.md').loaded, 'always');
      assert.equal(file(h, 'AGENTS.md').bytesLost, 0);
      if (sent.includes('\r\n')) assert.ok(h.instructions.text.includes('\r\n'), 'CRLF kept');
      for (const f of info.files.filter((x) => x.path !== 'AGENTS.md'))
        assert.equal(file(h, f.path).loaded, 'never', `${f.path} is below the working folder`);
    });
  }
});
