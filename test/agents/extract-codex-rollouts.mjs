#!/usr/bin/env node
// Copies real Codex CLI rollouts and the AGENTS.md files they were made with from public repositories (fetched
// snapshots under /work/.mirror, read with git) into test/agents/codex/local/<case>/ (or $KVLENS_AGENT_ROLLOUTS):
// the rollout trimmed to its
// session_meta facts and the verbatim "# AGENTS.md instructions for …" line, and each instruction file at the last
// commit before the session started, byte for byte. Never edited by hand: run it again to refresh. The copies stay out
// of the repository (the workplace keeps what a fetched snapshot holds out of commits, and three of the four
// repositories carry no licence): the test reads them from $KVLENS_AGENT_ROLLOUTS, ../shared/agent-rollouts or
// test/agents/codex/local (gitignored).
//   node test/agents/extract-codex-rollouts.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const OUT = process.env.KVLENS_AGENT_ROLLOUTS || path.join(HERE, 'codex', 'local');
const MIRRORS = process.env.KVLENS_MIRRORS || '/work/.mirror';

// Each case: a repository that committed its CODEX_HOME (.codex/sessions/…) with the AGENTS.md files of the folder
// Codex ran in. `files` are the repository paths copied into the case's tree (loaded ones and ones Codex must skip).
const CASES = [
  {
    name: 'code-butler',
    repo: 'EdofEngland/code_butler',
    rollout: '.codex/sessions/2025/11/24/rollout-2025-11-24T12-46-26-019ab730-4906-7b12-8569-c53c5dde1150.jsonl',
    files: ['AGENTS.md', 'openspec/AGENTS.md'],
    why: 'one root AGENTS.md; a nested openspec/AGENTS.md that a session at the root does not load',
  },
  {
    name: 'lotto645',
    repo: 'Kooksun/Lotto645',
    rollout: '.codex/sessions/2025/11/06/rollout-2025-11-06T16-45-42-019a5820-e5d7-7692-aae6-926261b8b5c9.jsonl',
    files: ['AGENTS.md'],
    why: 'Codex 0.55, a root AGENTS.md',
  },
  {
    name: 'health-report-ocr-crlf',
    repo: 'akinori-seri-sdcj/health_report_ocr',
    rollout: '.codex/sessions/2025/11/28/rollout-2025-11-28T15-12-21-019ac917-558c-79e1-b0c5-846e0a4850da.jsonl',
    files: ['AGENTS.md'],
    checkout: 'crlf',
    why: 'Windows: an AGENTS.md checked out with CRLF line ends and a C:\\ working folder',
  },
  {
    name: 'health-report-ocr-crlf-2',
    repo: 'akinori-seri-sdcj/health_report_ocr',
    rollout: '.codex/sessions/2025/12/03/rollout-2025-12-03T11-42-42-019ae217-3106-77b2-aa44-7dd1fe3196b0.jsonl',
    files: ['AGENTS.md'],
    checkout: 'crlf',
    why: 'the same repository a week later, Codex 0.64, after AGENTS.md was rewritten',
  },
  {
    name: 'xentri',
    repo: 'carlo-spada/xentri',
    rollout:
      '.agents/.codex/sessions/2025/11/25/rollout-2025-11-25T18-10-16-019abd7f-1fec-7312-ad00-0acbed078041.jsonl',
    files: ['AGENTS.md'],
    why: 'a longer AGENTS.md (2.8 KB), CODEX_HOME under .agents/',
  },
];

const git = (repo, args, enc = 'utf8') =>
  execFileSync('git', ['--git-dir', repo, ...args], {
    encoding: enc,
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/**
 * The version of an instruction file Codex read: the last commit before the session started; when the repository's
 * first commit of the file came after the session (work committed at its end), that first commit.
 */
function versionAt(repo, file, started, head) {
  // The history the rollout was committed on (other branches had other versions of the file).
  const before = git(repo, ['log', '-1', `--before=${started}`, '--format=%H', head, '--', file]).trim();
  if (before) return { commit: before, when: 'before the session' };
  const first = git(repo, ['log', '--reverse', '--diff-filter=A', '--format=%H', head, '--', file])
    .split('\n')[0]
    .trim();
  return first ? { commit: first, when: 'first commit of the file, after the session' } : undefined;
}

function licence(repo) {
  for (const f of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'COPYING']) {
    try {
      const head = git(repo, ['show', `HEAD:${f}`])
        .split('\n')
        .find((l) => l.trim());
      return `${f}: ${head.trim().slice(0, 60)}`;
    } catch {
      /* next name */
    }
  }
  return 'no licence file in the repository';
}

const sources = [];
for (const c of CASES) {
  const repo = path.join(MIRRORS, c.repo.replace('/', '+'), 'repo');
  if (!fs.existsSync(repo)) {
    console.error(`${c.name}: ${repo} missing — fetch github:${c.repo} first; skipped`);
    continue;
  }
  const rollout = c.rollout;
  const rolloutCommit = git(repo, ['log', '--all', '-1', '--diff-filter=AM', '--format=%H', '--', rollout]).trim();
  if (!rolloutCommit) throw new Error(`${c.name}: no ${rollout} in ${c.repo}`);
  const lines = git(repo, ['show', `${rolloutCommit}:${rollout}`]).split('\n');
  let meta;
  let agentsLine;
  for (const line of lines) {
    let o;
    try {
      o = JSON.parse(line);
    } catch {
      continue;
    }
    if (o.type === 'session_meta' && !meta) meta = o;
    const p = o.payload ?? {};
    if (!agentsLine && o.type === 'response_item' && p.type === 'message' && p.role === 'user')
      if (
        (p.content ?? []).some((b) => typeof b.text === 'string' && b.text.startsWith('# AGENTS.md instructions for '))
      )
        agentsLine = line;
  }
  if (!meta || !agentsLine) throw new Error(`${c.name}: ${rollout} has no session_meta or AGENTS.md message`);
  const started = meta.payload.timestamp ?? meta.timestamp;
  const dir = path.join(OUT, c.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'tree'), { recursive: true });
  const trimmedMeta = {
    timestamp: meta.timestamp,
    type: 'session_meta',
    payload: {
      id: meta.payload.id,
      timestamp: meta.payload.timestamp,
      cwd: meta.payload.cwd,
      originator: meta.payload.originator,
      cli_version: meta.payload.cli_version,
    },
  };
  fs.writeFileSync(path.join(dir, 'rollout.jsonl'), `${JSON.stringify(trimmedMeta)}\n${agentsLine}\n`);
  const copied = [];
  for (const f of c.files) {
    const v = versionAt(repo, f, started, rolloutCommit);
    if (!v) continue;
    const { commit, when } = v;
    let bytes;
    try {
      bytes = git(repo, ['show', `${commit}:${f}`], 'buffer');
    } catch {
      continue; // deleted in that commit
    }
    // On Windows git checks text out with CRLF line ends (core.autocrlf=true, its installer's default): the working
    // tree Codex read there, as the rollout's own CRLF shows, is the stored text with every LF as CRLF.
    if (c.checkout === 'crlf') bytes = Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
    fs.mkdirSync(path.dirname(path.join(dir, 'tree', f)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'tree', f), bytes);
    copied.push({ path: f, commit, when });
  }
  const info = {
    repo: c.repo,
    rollout,
    rolloutCommit,
    cwd: meta.payload.cwd,
    cliVersion: meta.payload.cli_version,
    started,
    why: c.why,
    ...(c.checkout ? { checkout: c.checkout } : {}),
    files: copied,
  };
  fs.writeFileSync(path.join(dir, 'case.json'), `${JSON.stringify(info, null, 2)}\n`);
  sources.push({ ...info, licence: licence(repo), name: c.name });
  console.log(`${c.name}: ${rollout} @ ${rolloutCommit.slice(0, 8)}, ${copied.length} file(s)`);
}

const md = [
  '# Sources of test/agents/codex',
  '',
  'Real Codex CLI rollouts committed to public repositories together with the AGENTS.md files of the folder Codex ran',
  'in (their owners keep CODEX_HOME inside the repository). Copied by `test/agents/extract-codex-rollouts.mjs` from',
  'fetched snapshots: `rollout.jsonl` keeps the session_meta facts (id, times, cwd, originator, cli_version) and the',
  'verbatim line of the "# AGENTS.md instructions for …" message; `tree/` holds each instruction file as of the last',
  'commit before the session started (or, where the repository first committed it after the session, that first',
  'commit; case.json says which). Nothing else of the repositories (auth.json, history, code) is copied.',
  '',
  '| case | repository | rollout (commit) | files (commit) | licence |',
  '| --- | --- | --- | --- | --- |',
  ...sources.map(
    (s) =>
      `| ${s.name} | ${s.repo} | \`${s.rollout}\` @ ${s.rolloutCommit.slice(0, 10)} (Codex ${s.cliVersion}) | ${s.files.map((f) => `\`${f.path}\` @ ${f.commit.slice(0, 10)}`).join(', ')} | ${s.licence} |`,
  ),
  '',
].join('\n');
fs.writeFileSync(path.join(OUT, 'SOURCES.md'), md);
