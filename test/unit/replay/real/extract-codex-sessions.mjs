#!/usr/bin/env node
// Copies real Codex CLI sessions (rollouts committed to public repositories with their CODEX_HOME) from fetched
// snapshots (/work/.mirror, read with git) into test/unit/replay/real/, trimmed to the records the replay and the
// session label read: session_meta, turn_context, compacted, the token_count events (the provider's usage, verbatim),
// the user_message events and the user messages (the injected AGENTS.md and environment context among them).
// Reasoning, assistant messages and tool calls (the owner's code and data) are left out. Never edited by hand: run it
// again to refresh, and it rewrites SOURCES.md.
//   node test/unit/replay/real/extract-codex-sessions.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const MIRRORS = process.env.KVLENS_MIRRORS || '/work/.mirror';

const CASES = [
  {
    name: 'codex-code-butler.jsonl',
    repo: 'EdofEngland/code_butler',
    rollout: '.codex/sessions/2025/11/24/rollout-2025-11-24T13-38-49-019ab760-3d78-7fd0-9ea1-4c39e889b87b.jsonl',
    why: 'Codex 0.63 with gpt-5.1-codex-max: 13 model calls, several reading far less than the call before a few seconds earlier; the first user message is the injected "# AGENTS.md instructions for …"',
  },
];

const git = (repo, args) =>
  execFileSync('git', ['--git-dir', repo, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });

function keep(r) {
  const p = r.payload ?? {};
  if (['session_meta', 'turn_context', 'compacted'].includes(r.type)) return true;
  if (r.type === 'event_msg') return p.type === 'token_count' || p.type === 'user_message';
  return r.type === 'response_item' && p.type === 'message' && p.role === 'user';
}

const rows = [];
for (const c of CASES) {
  const repo = path.join(MIRRORS, c.repo.replace('/', '+'), 'repo');
  const commit = git(repo, ['rev-parse', 'HEAD']).trim();
  const text = git(repo, ['show', `${commit}:${c.rollout}`]);
  const lines = text.split('\n').filter((l) => l.trim());
  const kept = lines.filter((l) => keep(JSON.parse(l)));
  fs.writeFileSync(path.join(HERE, c.name), kept.join('\n') + '\n');
  const licence = git(repo, ['show', `${commit}:LICENSE`])
    .split('\n')
    .find((l) => l.trim())
    .trim();
  rows.push(
    `| ${c.name} | ${c.repo} | \`${c.rollout}\` @ ${commit.slice(0, 10)} | ${licence} | ${kept.length} of ${lines.length} lines: ${c.why} |`,
  );
  console.log(`${c.name}: ${kept.length} of ${lines.length} lines`);
}
fs.writeFileSync(
  path.join(HERE, 'SOURCES.md'),
  `# Sources of test/unit/replay/real

Real Codex CLI sessions, committed to public repositories by their owners (CODEX_HOME inside the repository), copied
by \`extract-codex-sessions.mjs\` from fetched snapshots and trimmed to the records KV Lens reads (see the script): the
provider's usage figures (\`token_count\` events) are verbatim and are the oracle of the replay tests.

| file | repository | rollout (commit) | licence | what |
| --- | --- | --- | --- | --- |
${rows.join('\n')}
`,
);
