import fs from 'node:fs';

/** A user-facing failure: printed as one line `kvlens: <message>` on stderr, exit code `code`. */
export class CliError extends Error {
  constructor(message: string, readonly code = 2) {
    super(message);
  }
}

/** Reads a prompt file as UTF-8 text, turning every file-system problem into a one-line CliError naming the file. */
export function readTextFile(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
  if (stat.isDirectory()) throw new CliError(`${file}: is a directory, not a file`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};
