import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { CliError, visible } from './io';

// Every git call of the CLI. Revisions come from the command line of a CI job, which a pull request can shape
// (`--base=--output=FILE` made git write a file): a revision is checked to be a commit with `--end-of-options`
// before it is used, and every call puts `--end-of-options` before what came from outside. File lists are read
// NUL-separated (-z): git quotes names with non-ASCII bytes or newlines otherwise, and a quoted name matched nothing.

const MAX_SHOW_BYTES = 64 << 20;

function run(args: readonly string[], cwd: string, maxBuffer = MAX_SHOW_BYTES): string {
  return execFileSync('git', ['-c', 'core.quotePath=false', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer,
  });
}

function firstLine(e: unknown): string {
  const err = e as { stderr?: string; code?: string; message: string };
  if (err.code === 'ENOENT') return 'git is not installed (or not on PATH)';
  if (err.code === 'ENOBUFS') return 'output too large';
  return visible(
    String(err.stderr || err.message)
      .trim()
      .split('\n')[0],
  );
}

/** The repository's top folder for `cwd`. */
export function gitRoot(cwd: string): string {
  try {
    return run(['rev-parse', '--show-toplevel'], cwd).replace(/\n$/, '');
  } catch (e) {
    const msg = firstLine(e);
    throw new CliError(
      /not a git repository/i.test(msg) ? `${visible(cwd)}: not in a git repository` : `git rev-parse: ${msg}`,
    );
  }
}

/**
 * The commit a revision names, or a CliError saying it names none. A revision that starts with "-" is refused
 * before git sees it: no commit is named that way, and git would read it as an option.
 */
export function verifyCommit(rev: string, cwd: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (!rev || rev.startsWith('-') || /[\x00-\x1f\x7f]/.test(rev))
    throw new CliError(`"${visible(rev)}" is not a git revision`);
  try {
    return run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], cwd).trim();
  } catch (e) {
    const msg = firstLine(e);
    if (/not a git repository/i.test(msg))
      throw new CliError(`${visible(cwd)}: not in a git repository (needed for revision ${visible(rev)})`);
    throw new CliError(`"${visible(rev)}" names no commit in this repository${msg ? ` (${msg})` : ''}`);
  }
}

/** Files added or modified since `commit` (a verified commit id), relative to the repository root. */
export function changedFiles(commit: string, root: string): string[] {
  try {
    return run(
      ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=AM', '--end-of-options', commit, '--'],
      root,
    )
      .split('\0')
      .filter(Boolean);
  } catch (e) {
    throw new CliError(`git diff ${commit.slice(0, 12)}: ${firstLine(e)}`);
  }
}

/** A file's text at a revision (`git show REV:./name`, run in the file's folder), or undefined when it is not there. */
export function fileAtRevision(file: string, rev: string): string | undefined {
  const dir = path.dirname(path.resolve(file));
  const commit = verifyCommit(rev, dir);
  try {
    return run(['show', '--no-textconv', '--end-of-options', `${commit}:./${path.basename(file)}`], dir, 256 << 20);
  } catch (e) {
    const msg = firstLine(e);
    if (/does not exist|exists on disk, but not in|not in '|invalid object name/i.test(msg)) return undefined;
    throw new CliError(`${visible(file)}: git show ${visible(rev)} failed: ${msg}`);
  }
}
