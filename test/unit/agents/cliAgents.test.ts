import assert from 'node:assert/strict';
import { runCli, workspace } from './kit';

// `kvlens agents` as ARCHITECTURE.md specifies it, through the built CLI (its own process, HOME and CODEX_HOME empty).

const kvlens = (cwd: string, ...args: string[]) => runCli(cwd, 'agents', ...args);

describe('kvlens agents', function () {
  this.timeout(120_000);
  it('--json follows the contract', () => {
    const root = workspace({ 'AGENTS.md': 'Use pnpm.\r\nRun tests.\r\n', 'sub/AGENTS.md': 'sub', 'CLAUDE.md': 'c' });
    const r = kvlens(root, '.', '--json', '--harness', 'codex', '--harness', 'claude-code');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as {
      harnesses: {
        harness: string;
        version: string;
        model: string;
        files: Record<string, unknown>[];
        instructions: { role: string; text: string; tokens: number; exact: boolean } | null;
        sessions: unknown;
        warnings: { code: string; message: string; path: string; line: number | null }[];
      }[];
    };
    assert.deepEqual(
      j.harnesses.map((h) => h.harness),
      ['claude-code', 'codex'],
    );
    const codex = j.harnesses[1];
    assert.equal(
      codex.instructions!.text,
      `# AGENTS.md instructions for ${root}\n\n<INSTRUCTIONS>\nUse pnpm.\r\nRun tests.\r\n\n</INSTRUCTIONS>`,
    );
    assert.equal(codex.sessions, null);
    assert.ok(codex.version && codex.model);
    for (const f of codex.files)
      for (const k of ['path', 'kind', 'loaded', 'role', 'tokens', 'bytesSent', 'bytesLost', 'takesEffect'])
        assert.ok(k in f, k);
    assert.deepEqual(
      codex.files.map((f) => [f.path, f.kind, f.loaded]),
      [
        ['AGENTS.md', 'agents-md', 'always'],
        ['sub/AGENTS.md', 'agents-md', 'never'],
      ],
    );
  });

  it('prints a table without --json', () => {
    const root = workspace({ 'AGENTS.md': 'Last updated: 2026-12-05\n' });
    const r = kvlens(root, '.', '--harness', 'codex');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Codex CLI .* takes effect at the next session/);
    assert.match(r.out, /always\s+user\s+\d+\s+\d+\s+AGENTS\.md/);
    assert.match(r.out, /! AGENTS\.md:1: date "2026-12-05"/);
  });

  it('bad input: one line on stderr naming it, non-zero exit', () => {
    const root = workspace({});
    for (const [args, want] of [
      [['nope'], /^kvlens: nope: no such folder\n$/],
      [['.', '--harness', 'vim'], /^kvlens: --harness vim: not a harness/],
      [['.', '--model', 'no-such-model-x'], /no-such-model-x/],
    ] as const) {
      const r = kvlens(root, ...args);
      assert.notEqual(r.code, 0);
      assert.match(r.err, want);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
  });
});
