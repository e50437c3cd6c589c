import * as vscode from 'vscode';
import { utf8LengthOf, type AgentFs, type DirEntry, type FileStat } from '../../core/agents';

// The agent-context discovery's file system in the editor: vscode.workspace.fs (any scheme, the web worker host too),
// and the text of open documents in place of what is on disk, so a placement follows typing before a save.

/** An adapter path ↔ a URI of one file system: the path of the URI, on its scheme and authority. */
export interface AgentPaths {
  pathOf(uri: vscode.Uri): string;
  uriOf(path: string): vscode.Uri;
}

/** The file system of one workspace folder's scheme, with its path mapping. */
export interface AgentFsOf extends AgentPaths {
  readonly fs: AgentFs;
}

/** vscode.workspace.fs reads a file whole; past this size only the head a budget wants would be used: refused. */
const WHOLE_READ_LIMIT = 8 * 1024 * 1024;

const typeOf = (t: vscode.FileType): DirEntry['type'] =>
  t & vscode.FileType.SymbolicLink
    ? 'symlink'
    : t & vscode.FileType.File
      ? 'file'
      : t & vscode.FileType.Directory
        ? 'dir'
        : 'other';

/**
 * AgentFs over vscode.workspace.fs for the scheme and authority of `base`. It cannot resolve a link: realpath() of a
 * link is undefined, so discovery refuses to read through one (a link may lead out of the workspace).
 */
export function vscodeAgentFs(base: vscode.Uri): AgentFsOf {
  const uriOf = (p: string) => base.with({ path: p, query: '', fragment: '' });
  const fs: AgentFs = {
    async list(dir) {
      try {
        return (await vscode.workspace.fs.readDirectory(uriOf(dir))).map(([name, t]) => ({ name, type: typeOf(t) }));
      } catch {
        return undefined;
      }
    },
    async stat(p): Promise<FileStat | undefined> {
      try {
        const s = await vscode.workspace.fs.stat(uriOf(p));
        const type = s.type & vscode.FileType.File ? 'file' : s.type & vscode.FileType.Directory ? 'dir' : 'other';
        return { type, size: s.size };
      } catch {
        return undefined;
      }
    },
    async read(p, maxBytes) {
      const uri = uriOf(p);
      const s = await vscode.workspace.fs.stat(uri);
      if (!(s.type & vscode.FileType.File)) throw new Error('not a regular file');
      if (s.size > maxBytes && s.size > WHOLE_READ_LIMIT)
        throw new Error(
          `${(s.size / 1048576).toFixed(1)} MB: this host reads a file whole, and only its first ${maxBytes} bytes are wanted`,
        );
      const bytes = await vscode.workspace.fs.readFile(uri);
      return bytes.byteLength > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
    },
    async realpath(p) {
      try {
        const s = await vscode.workspace.fs.stat(uriOf(p));
        return s.type & vscode.FileType.SymbolicLink ? undefined : p;
      } catch {
        return undefined;
      }
    },
  };
  return { fs, pathOf: (u) => u.path, uriOf };
}

const encoder = new TextEncoder();

/**
 * The open documents' text over a file system: a file open in an editor is read as the editor holds it (edits not yet
 * saved included), taken once per discovery so every read of it agrees. Everything else, and every listing, type and
 * link check, is the file system's.
 */
export class OpenDocumentsFs implements AgentFs {
  private readonly texts = new Map<string, { text: string; size: number }>();

  constructor(
    private readonly inner: AgentFs,
    private readonly docs: ReadonlyMap<string, vscode.TextDocument>,
  ) {}

  /** The text a discovery saw of an open document (the version its offsets are in). */
  textOf(path: string): string | undefined {
    return this.snapshot(path)?.text;
  }

  private snapshot(path: string) {
    let s = this.texts.get(path);
    if (s) return s;
    const doc = this.docs.get(path);
    if (!doc || doc.isClosed) return undefined;
    const text = doc.getText();
    this.texts.set(path, (s = { text, size: utf8LengthOf(text) }));
    return s;
  }

  list(dir: string) {
    return this.inner.list(dir);
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const s = this.docs.has(path) ? this.snapshot(path) : undefined;
    if (!s) return this.inner.stat(path);
    const disk = await this.inner.stat(path);
    // Not a regular file on disk (a FIFO, a folder): what the disk says stands.
    return disk && disk.type !== 'file' ? disk : { type: 'file', size: s.size };
  }

  async read(path: string, maxBytes: number): Promise<Uint8Array> {
    const s = this.docs.has(path) ? this.snapshot(path) : undefined;
    if (!s) return this.inner.read(path, maxBytes);
    const disk = await this.inner.stat(path);
    if (disk && disk.type !== 'file') throw new Error('not a regular file');
    // Each UTF-16 unit is at least one byte: the first maxBytes units hold the first maxBytes bytes.
    const bytes = encoder.encode(s.text.length > maxBytes ? s.text.slice(0, maxBytes) : s.text);
    return bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
  }

  realpath(path: string) {
    return this.inner.realpath(path);
  }
}
