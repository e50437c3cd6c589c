import * as vscode from 'vscode';

// Files the extension reads on its own (a user catalog, a calibration, a baseline file, the workspace's prompts for
// the cost report and the Prompt Cache view) may be what a repository made them: a link to /dev/zero, a FIFO, a huge
// file. vscode.workspace.fs.readFile would read a device until memory runs out, so the type and size are checked on
// the stat first. Scans of the workspace do not follow links at all (a link can lead out of the workspace).

export type WorkspaceRead =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly message: string; readonly missing?: boolean };

export interface WorkspaceReadOptions {
  readonly maxBytes: number;
  /** false for files found by a scan: a symbolic link is skipped rather than followed. */
  readonly followLinks?: boolean;
}

const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

export async function readWorkspaceText(uri: vscode.Uri, opts: WorkspaceReadOptions): Promise<WorkspaceRead> {
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (e) {
    const missing = e instanceof vscode.FileSystemError && e.code === 'FileNotFound';
    return { ok: false, message: missing ? 'no such file' : `cannot read (${(e as Error).message})`, missing };
  }
  if (!(stat.type & vscode.FileType.File)) {
    return {
      ok: false,
      message:
        stat.type & vscode.FileType.Directory
          ? 'is a folder, not a file'
          : 'is not a regular file (a device, a FIFO or a socket); not read',
    };
  }
  if (opts.followLinks === false && stat.type & vscode.FileType.SymbolicLink)
    return { ok: false, message: 'is a symbolic link; links are not followed when the workspace is scanned' };
  if (stat.size > opts.maxBytes)
    return { ok: false, message: `is ${mb(stat.size)}, over the ${mb(opts.maxBytes)} limit; not read` };
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.byteLength > opts.maxBytes)
      return { ok: false, message: `grew past the ${mb(opts.maxBytes)} limit; not read` };
    return { ok: true, text: new TextDecoder().decode(bytes) };
  } catch (e) {
    return { ok: false, message: `cannot read (${(e as Error).message})` };
  }
}
