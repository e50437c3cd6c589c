// The file system as agent-context discovery needs it, injected so the CLI (Node) and the extension
// (vscode.workspace.fs, also in the web host) share one discovery. Paths are absolute with '/' separators ("C:/x" on
// Windows). Nothing here follows a link by itself: the caller asks realpath() and decides.

export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

export interface DirEntry {
  readonly name: string;
  /** What the entry itself is: a link is 'symlink', whatever it points to; FIFOs, sockets, devices are 'other'. */
  readonly type: EntryType;
}

export interface FileStat {
  /** What the path points to (links followed). */
  readonly type: 'file' | 'dir' | 'other';
  readonly size: number;
}

export interface AgentFs {
  /** A folder's entries, or undefined when it does not exist or cannot be listed. */
  list(dir: string): Promise<readonly DirEntry[] | undefined>;
  /** The path's target type and size (links followed), or undefined when it does not exist. */
  stat(path: string): Promise<FileStat | undefined>;
  /**
   * At most `maxBytes` bytes from the start of a regular file (links followed). Must never block (a FIFO swapped in
   * after stat() is refused, not read). Throws on failure; the message says why.
   */
  read(path: string, maxBytes: number): Promise<Uint8Array>;
  /** The path with every link resolved, or undefined when it cannot be resolved (missing, a loop). */
  realpath(path: string): Promise<string | undefined>;
}

/** POSIX-style path helpers for adapter paths (no node:path in core). */
export function joinPath(dir: string, ...parts: string[]): string {
  let out = dir;
  for (const p of parts) {
    if (!p) continue;
    if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) out = p;
    else out = out.endsWith('/') ? out + p : `${out}/${p}`;
  }
  return normalizePath(out);
}

/** Resolves '.' and '..' segments; keeps a leading '/' or drive. */
export function normalizePath(p: string): string {
  const drive = /^[A-Za-z]:/.exec(p)?.[0] ?? '';
  const rest = p.slice(drive.length);
  const abs = rest.startsWith('/');
  const out: string[] = [];
  for (const seg of rest.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(seg);
  }
  return `${drive}${abs ? '/' : ''}${out.join('/')}` || (abs ? '/' : '.');
}

export function dirnameOf(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  if (/^[A-Za-z]:$/.test(p.slice(0, i))) return p.slice(0, i + 1);
  return p.slice(0, i);
}

export function basenameOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Whether `p` is `folder` or inside it. */
export function isWithin(folder: string, p: string): boolean {
  if (p === folder) return true;
  const f = folder.endsWith('/') ? folder : `${folder}/`;
  return p.startsWith(f);
}

/** `to` relative to `from` with '/', '..' for parents ('' when equal). */
export function relativePath(from: string, to: string): string {
  const a = from.split('/').filter(Boolean),
    b = to.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

/** The folders from `p` up to the root, `p` first. */
export function ancestorsOf(p: string): string[] {
  const out = [p];
  for (let d = dirnameOf(p); d !== out[out.length - 1]; d = dirnameOf(d)) out.push(d);
  return out;
}
