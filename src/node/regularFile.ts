// Reading a file a repository put there, which may not be what its name says: a symbolic link to /dev/zero or to a
// file outside the repository, a FIFO that blocks the reader forever, a loop of links. Only regular files are read,
// their size is checked before reading (and the read itself stops past the cap), and a scan of a folder can require
// the file's real path to stay inside it. Every refusal is a FileRefusal whose message names the file and the problem.
import fs from 'node:fs';
import path from 'node:path';

export class FileRefusal extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly kind: 'missing' | 'denied' | 'not-regular' | 'too-big' | 'outside' | 'other',
  ) {
    super(`${file}: ${problem}`);
  }
}

export interface RegularFileOptions {
  /** Refuse a file larger than this many bytes (checked before reading, and again while reading). */
  readonly maxBytes?: number;
  /** A real (symlink-free) folder path the file's real path must be inside: for files found by a scan. */
  readonly within?: string;
  /** How to name `within` in a refusal ("the repository", "the workspace"). */
  readonly withinLabel?: string;
}

const MB = 1024 * 1024;
const sizeText = (n: number) => (n >= MB ? `${(n / MB).toFixed(1)} MB` : `${n} bytes`);

function fsProblem(e: unknown): { problem: string; kind: FileRefusal['kind'] } {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return { problem: 'no such file', kind: 'missing' };
    case 'EACCES':
    case 'EPERM':
      return { problem: 'permission denied', kind: 'denied' };
    case 'ELOOP':
      return { problem: 'too many levels of symbolic links (a link loop)', kind: 'not-regular' };
    case 'ENOTDIR':
      return { problem: 'a part of the path is not a folder', kind: 'missing' };
    case 'EISDIR':
      return { problem: 'is a directory, not a file', kind: 'not-regular' };
    case 'ENAMETOOLONG':
      return { problem: 'the name is too long', kind: 'other' };
    default:
      return { problem: `cannot read (${code ?? (e as Error).message})`, kind: 'other' };
  }
}

function kindOf(s: fs.Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Whether `real` is `folder` or inside it (both real paths). */
export function isInside(folder: string, real: string): boolean {
  const rel = path.relative(folder, real);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** Checks that `file` is (or links to) a regular file within the limits; returns its real path and size. */
export function checkRegularFile(file: string, opts: RegularFileOptions = {}): { real: string; size: number } {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (e) {
    const p = fsProblem(e);
    throw new FileRefusal(file, p.problem, p.kind);
  }
  if (opts.within !== undefined && !isInside(opts.within, real)) {
    throw new FileRefusal(
      file,
      `is a link to ${real}, outside ${opts.withinLabel ?? opts.within}; not read`,
      'outside',
    );
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(real);
  } catch (e) {
    const p = fsProblem(e);
    throw new FileRefusal(file, p.problem, p.kind);
  }
  if (!st.isFile())
    throw new FileRefusal(
      file,
      `is ${kindOf(st)}${real !== path.resolve(file) ? ` (${real})` : ''}, not a regular file; not read`,
      'not-regular',
    );
  if (opts.maxBytes !== undefined && st.size > opts.maxBytes) {
    throw new FileRefusal(
      file,
      `is ${sizeText(st.size)}, over the ${sizeText(opts.maxBytes)} limit; not read`,
      'too-big',
    );
  }
  return { real, size: st.size };
}

/**
 * The bytes of a regular file. Opened without blocking (a file swapped for a FIFO after the check cannot hang the
 * read), checked again on the open descriptor, and read no further than the cap.
 */
export function readRegularFileBytes(file: string, opts: RegularFileOptions = {}): Buffer {
  const { real } = checkRegularFile(file, opts);
  let fd: number;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const p = fsProblem(e);
    throw new FileRefusal(file, p.problem, p.kind);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new FileRefusal(file, `is ${kindOf(st)}, not a regular file; not read`, 'not-regular');
    const cap = opts.maxBytes ?? Number.MAX_SAFE_INTEGER;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(Math.max(st.size - total + 1, 64 * 1024), 16 * MB));
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        const p = fsProblem(e);
        throw new FileRefusal(file, p.problem, p.kind);
      }
      if (n === 0) break;
      total += n;
      if (total > cap)
        throw new FileRefusal(file, `grew past the ${sizeText(cap)} limit while being read; not read`, 'too-big');
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The first `bytes` of a regular file as text (a multi-byte character cut at the end is dropped): enough to tell a
 * request body by its content without reading a large file whole. Links are not followed (a scan's rule).
 */
export function readRegularFileHead(file: string, bytes: number): string {
  if (fs.lstatSync(file).isSymbolicLink())
    throw new FileRefusal(
      file,
      'is a symbolic link; links are not followed when the workspace is scanned',
      'not-regular',
    );
  const { real } = checkRegularFile(file);
  const fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    if (!fs.fstatSync(fd).isFile()) throw new FileRefusal(file, 'is not a regular file; not read', 'not-regular');
    const buf = Buffer.allocUnsafe(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return new TextDecoder('utf-8', { fatal: false }).decode(buf.subarray(0, n)).replace(/\uFFFD$/, '');
  } finally {
    fs.closeSync(fd);
  }
}

/** A regular file's text (UTF-8). */
export function readRegularFile(file: string, opts: RegularFileOptions = {}): string {
  return readRegularFileBytes(file, opts).toString('utf8');
}

/** The real path of a folder, or undefined when it cannot be resolved. */
export function realFolder(dir: string): string | undefined {
  try {
    return fs.realpathSync(dir);
  } catch {
    return undefined;
  }
}
