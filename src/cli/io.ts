import fs from 'node:fs';
import path from 'node:path';
import { FileRefusal, readRegularFile, type RegularFileOptions } from '../node/regularFile';
import { MAX_ANALYZED_CHARS } from '../core/prompt/parse';

/** A user-facing failure: printed as one line `kvlens: <message>` on stderr, exit code `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 2,
  ) {
    super(message);
  }
}

/** The most the CLI reads of one prompt, catalog or settings file: the analysis limit (20 MB). */
export const MAX_FILE_BYTES = MAX_ANALYZED_CHARS;

/**
 * Reads a file as UTF-8 text: only a regular file (or a link to one), at most 20 MB, checked before reading — a link
 * to /dev/zero, a FIFO or a link loop is a one-line CliError naming the file, never a hang or a 4 GB read.
 */
export function readTextFile(file: string, opts: RegularFileOptions = {}): string {
  try {
    return readRegularFile(file, { maxBytes: MAX_FILE_BYTES, ...opts });
  } catch (e) {
    if (e instanceof FileRefusal) throw new CliError(`${visible(e.file)}: ${e.problem}`);
    throw e;
  }
}

/** Writes a file the user asked for (through a temporary file renamed into place); a problem is a one-line CliError. */
export function writeFileOrFail(target: string, text: string): void {
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `the folder ${path.dirname(target)} does not exist`
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : (code ?? (e as Error).message);
    throw new CliError(`${visible(target)}: cannot write (${visible(why)})`);
  }
}

// Characters a terminal acts on instead of showing (C0 and C1 controls, DEL) and the bidirectional overrides that
// make text read differently from what it is ("Trojan Source"). Prompts, file names and logs come from repositories
// the user may not trust; what KV Lens prints of them must not move the cursor, retitle the window or hide text.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_KEEP_LINES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_ALL = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
const escapeChar = (c: string) => {
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
};

/** One line of user content as it can be shown: every control character (line breaks too) written as an escape. */
export function visible(text: string): string {
  return text.replace(CONTROL_ALL, escapeChar);
}

/**
 * What reaches the terminal: control characters other than line breaks and tabs escaped. In JSON output they can only
 * stand inside strings (JSON.stringify escapes C0 itself), where `\u009b` is the same string, so the JSON stays valid.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL_KEEP_LINES, escapeChar);
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (t) => {
    const s = terminalSafe(t);
    process.stdout.write(s.endsWith('\n') ? s : s + '\n');
  },
  err: (t) => {
    const s = terminalSafe(t);
    process.stderr.write(s.endsWith('\n') ? s : s + '\n');
  },
};
