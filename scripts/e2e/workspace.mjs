// The workspace the end-to-end tests (and the "Extension Tests" launch configuration) run in: samples/ plus
// test/e2e/workspace/, copied to a folder of their own, so typing, saving and committing never touch this repository.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** git in `dir` as the tests commit: a fixed author, branch main, no signing, quiet. */
export function gitIn(dir, ...args) {
  execFileSync(
    'git',
    [
      '-c',
      'user.name=KV Lens e2e',
      '-c',
      'user.email=e2e@kvlens.invalid',
      '-c',
      'init.defaultBranch=main',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd: dir, stdio: 'ignore' },
  );
}

/**
 * A fresh copy at `ws` (what was there is removed). With `git`, the copy is a repository with everything committed
 * and the built-in git extension enabled (the git HEAD baseline).
 */
export function makeTestWorkspace(root, ws, { git = false } = {}) {
  fs.rmSync(ws, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'samples'), ws, { recursive: true });
  fs.cpSync(path.join(root, 'test/e2e/workspace'), ws, { recursive: true });
  // The one-time "prices are old" notice would cover the checks' notifications; its logic has unit tests.
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(ws, '.vscode/settings.json'),
    JSON.stringify(
      {
        'kvlens.catalogStaleNotice': false,
        ...(git ? { 'git.enabled': true, 'git.autoRepositoryDetection': true } : {}),
      },
      null,
      2,
    ),
  );
  if (git) {
    const g = (...args) => gitIn(ws, ...args);
    g('init', '-q');
    g('add', '-A');
    g('commit', '-q', '-m', 'samples');
  }
  return ws;
}
