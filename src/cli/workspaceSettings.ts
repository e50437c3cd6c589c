import fs from 'node:fs';
import path from 'node:path';
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

export function workspaceSettings(forFile: string): WorkspaceSettings {
  let dir = path.dirname(path.resolve(forFile));
  for (;;) {
    const f = path.join(dir, '.vscode', 'settings.json');
    if (fs.existsSync(f)) {
      let text: string;
      try { text = fs.readFileSync(f, 'utf8'); } catch (e) { return { file: f, values: {}, problem: `${f}: cannot read (${(e as Error).message})` }; }
      const errors: ParseError[] = [];
      const data: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
      if (errors.length || typeof data !== 'object' || data === null || Array.isArray(data)) return { file: f, values: {}, problem: `${f}: not a JSON object; ignored` };
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
