import fs from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../node/regularFile';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser/lib/esm/main.js'; // the UMD entry does not bundle

/**
 * The `kvlens.*` settings of the workspace a file is in: the nearest `.vscode/settings.json` (JSON with comments)
 * in the file's folder or above it. The CLI reads them when a flag is not given, so `kvlens check` in CI judges as
 * the editor does. A broken settings file is ignored with a note rather than stopping the command.
 */
export interface WorkspaceSettings {
  /** The settings file read, or undefined when none was found. */
  readonly file?: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly problem?: string;
}

const MAX_SETTINGS_BYTES = 1024 * 1024;

function isLink(f: string): boolean {
  try {
    return fs.lstatSync(f).isSymbolicLink();
  } catch {
    return false;
  }
}

export function workspaceSettings(forFile: string): WorkspaceSettings {
  let dir = path.dirname(path.resolve(forFile));
  for (;;) {
    const f = path.join(dir, '.vscode', 'settings.json');
    if (fs.existsSync(f) || isLink(f)) {
      // A repository's settings file can be a link to /dev/zero or a FIFO, or nested a million deep: read as a
      // regular file of at most 1 MB, and any problem makes it ignored with a note, never a hang or a crash.
      let text: string;
      try {
        text = readRegularFile(f, { maxBytes: MAX_SETTINGS_BYTES });
      } catch (e) {
        return { file: f, values: {}, problem: `${(e as Error).message}; ignored` };
      }
      const errors: ParseError[] = [];
      let data: unknown;
      try {
        data = parseJsonc(text, errors, { allowTrailingComma: true });
      } catch {
        return { file: f, values: {}, problem: `${f}: nested too deeply to read; ignored` };
      }
      if (errors.length || typeof data !== 'object' || data === null || Array.isArray(data))
        return { file: f, values: {}, problem: `${f}: not a JSON object; ignored` };
      return { file: f, values: data as Record<string, unknown> };
    }
    const up = path.dirname(dir);
    if (up === dir) return { values: {} };
    dir = up;
  }
}

/** A string setting such as "kvlens.model", or undefined. */
export function stringSetting(s: WorkspaceSettings, key: string): string | undefined {
  const v = s.values[key];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}
