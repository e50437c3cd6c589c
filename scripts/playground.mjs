// The workspace `npm start` opens: a throw-away copy of samples/ that is a git repository with a little history, so
// that what KV Lens shows against git HEAD is there on the first look — the git baseline, a break where the working
// copy differs from HEAD, and a line the history shows changing in every commit (learned volatility). The repository's
// own samples/ is never opened, so nothing typed in the playground (VS Code auto-saves) lands in the source tree.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startCodeServer, workbenchUrl } from './e2e/codeServer.mjs';

const PROMPT = 'prompts/support-agent.prompt.md';
/** The line the history changes in every commit, just after the prompt's first paragraph (before the static part). */
const RELEASE_AFTER = 'from the support team can take over at any time.\n';
const releases = ['2026.11.02', '2026.11.16', '2026.11.30'];

function git(cwd, args, date) {
  execFileSync(
    'git',
    [
      '-c',
      'user.name=KV Lens playground',
      '-c',
      'user.email=playground@kvlens.invalid',
      '-c',
      'commit.gpgsign=false',
      '-c',
      'init.defaultBranch=main',
      ...args,
    ],
    {
      cwd,
      stdio: 'ignore',
      env: { ...process.env, ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
    },
  );
}

/**
 * Makes a fresh playground under `parent` (the previous one is removed) and returns its path. Three commits of the
 * samples, each with another "Knowledge base release" line; then, uncommitted, one changed line in the middle of the
 * support prompt: the break the status bar, the gutter and the lens show against git HEAD.
 */
export function makePlayground(root, parent) {
  const dir = path.join(parent, 'samples-playground');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'samples'), dir, { recursive: true });
  const file = path.join(dir, PROMPT);
  const original = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  if (!original.includes(RELEASE_AFTER))
    throw new Error(
      `${PROMPT}: the line the playground's history changes follows "${RELEASE_AFTER.trim()}", which is gone`,
    );
  const withRelease = (r) => original.replace(RELEASE_AFTER, `${RELEASE_AFTER}\nKnowledge base release: ${r}.\n`);
  git(dir, ['init', '-q']);
  releases.forEach((r, i) => {
    fs.writeFileSync(file, withRelease(r));
    git(dir, ['add', '-A']);
    git(
      dir,
      ['commit', '-q', '-m', i === 0 ? 'Support agent prompt and samples' : `Knowledge base release ${r}`],
      `2026-11-${String(2 + i * 14).padStart(2, '0')}T09:00:00Z`,
    );
  });
  // Uncommitted: a rule added before the last section — the cache breaks there against git HEAD, after the part of the
  // prompt that is still served from cache.
  const head = withRelease(releases.at(-1));
  const at = head.lastIndexOf('\n# ') + 1;
  if (at <= 0) throw new Error(`${PROMPT}: no section heading to add the playground's uncommitted rule before`);
  const edited = `${head.slice(0, at)}Always confirm the customer's workspace name before changing anything.\n\n${head.slice(at)}`;
  fs.writeFileSync(file, edited);
  return dir;
}

/**
 * What `npm start` runs once the build is there: code-server with its user settings, state and extensions under
 * `home` (the quiet settings of every run, nothing else: git is on, as a user has it), and a fresh playground in
 * `home`. Resolves with the server, the folder and the workbench URL that loads KV Lens from `root`. The e2e phase
 * "npm start's playground" starts it through this same function, so it tests what `npm start` shows.
 */
export async function startPlayground({ root, home, port, log, env }) {
  fs.mkdirSync(home, { recursive: true });
  const server = await startCodeServer({ port, home, log, env });
  const folder = makePlayground(root, home);
  return { server, folder, url: workbenchUrl(server.host, folder, { devPath: root }) };
}
