// What every harness module gets: the scanned workspace, the folders the agent walks, the global folders, how to
// name a file, and how to read one (warnings named for the file, never thrown).
import { ancestorsOf, basenameOf, dirnameOf, isWithin, joinPath, relativePath } from './agentFs';
import { decodeUtf8, isValidUtf8 } from './fileText';
import type {
  AgentWarning,
  AgentWarningCode,
  FileKind,
  HarnessId,
  Loaded,
  LoadReason,
  Role,
  TakesEffect,
} from './types';
import type { Workspace } from './workspace';

/** The global folders, absolute (adapter form); a missing one is not read (the web host has none). */
export interface GlobalDirs {
  readonly home?: string;
  /** $CODEX_HOME or ~/.codex. */
  readonly codexHome?: string;
  /** $CLAUDE_CONFIG_DIR or ~/.claude. */
  readonly claudeConfigDir?: string;
  /** ~/.gemini. */
  readonly geminiDir?: string;
  /** The managed-policy CLAUDE.md of this platform (/etc/claude-code/CLAUDE.md on Linux). */
  readonly claudeManagedFile?: string;
}

export interface HarnessEnv {
  readonly ws: Workspace;
  /** DIR, absolute. */
  readonly dir: string;
  /** The folder the agent says it runs in (--cwd, else DIR). */
  readonly cwd: string;
  /** Restricted Mode: nothing outside DIR is read (no parents, no globals). */
  readonly trusted: boolean;
  readonly globals: GlobalDirs;
  /** The nearest folder at or above DIR that holds .git (only DIR itself when untrusted), or undefined. */
  readonly gitRoot: string | undefined;
  /** DIR's folders from the filesystem root down to DIR (only DIR when untrusted). */
  readonly chain: readonly string[];
  /** Codex: project_doc_fallback_filenames; Gemini: context.fileName. */
  readonly codexFallbackNames: readonly string[];
  readonly codexMaxBytes: number;
  readonly geminiFileNames: readonly string[];
}

/** A file as a harness module describes it, before tokens are counted. */
export interface DraftFile {
  readonly abs: string;
  readonly kind: FileKind;
  readonly loaded: Loaded;
  readonly role: Role | null;
  readonly takesEffect: TakesEffect;
  readonly reason: LoadReason;
  readonly order: number | null;
  readonly bytes: number;
  readonly bytesSent: number;
  readonly bytesLost: number;
  /** The text this file adds to the main loop's request (counted as its tokens). */
  readonly sent: string;
  /** What is sent when it is invoked (a skill's or sub-agent's body). */
  readonly body?: string;
}

/** A file that could not be read: listed, never loaded, with the refusal as its reason. */
export function unreadableDraft(abs: string, kind: FileKind, code: AgentWarningCode): Omit<DraftFile, 'takesEffect'> {
  return {
    abs,
    kind,
    loaded: 'never',
    role: null,
    reason: { why: 'unreadable', warning: code },
    order: null,
    bytes: 0,
    bytesSent: 0,
    bytesLost: 0,
    sent: '',
  };
}

/** The files a harness module lists, each once, all with the harness's `takesEffect`. */
export class DraftFiles {
  readonly files: DraftFile[] = [];
  readonly listed = new Set<string>();
  constructor(private readonly effect: TakesEffect) {}
  push(f: Omit<DraftFile, 'takesEffect'>): void {
    this.listed.add(f.abs);
    this.files.push({ ...f, takesEffect: this.effect });
  }
}

export interface HarnessDraft {
  readonly files: DraftFile[];
  readonly instructions: { readonly role: Role | null; readonly text: string; readonly exact: boolean } | null;
  readonly warnings: AgentWarning[];
}

/** ARCHITECTURE.md's path: relative to DIR with '/', '../' for parents, a global under its variable. */
export function displayPath(env: HarnessEnv, abs: string): string {
  const g = env.globals;
  if (isWithin(env.dir, abs)) return relativePath(env.dir, abs) || basenameOf(abs);
  if (g.codexHome && isWithin(g.codexHome, abs)) return `$CODEX_HOME/${relativePath(g.codexHome, abs)}`;
  if (g.claudeConfigDir && isWithin(g.claudeConfigDir, abs))
    return `$CLAUDE_CONFIG_DIR/${relativePath(g.claudeConfigDir, abs)}`;
  if (g.geminiDir && isWithin(g.geminiDir, abs)) return `~/.gemini/${relativePath(g.geminiDir, abs)}`;
  if (env.chain.some((d) => d === dirnameOf(abs) || isWithin(d, abs)) && !abs.startsWith('/etc/'))
    return relativePath(env.dir, abs);
  return abs;
}

/** The absolute path as the agent prints it: DIR's part replaced by --cwd. */
export function agentPath(env: HarnessEnv, abs: string): string {
  if (env.cwd === env.dir || !isWithin(env.dir, abs)) return abs;
  const rest = abs.slice(env.dir.length);
  return env.cwd.endsWith('/') && rest.startsWith('/') ? env.cwd + rest.slice(1) : env.cwd + rest;
}

export function warn(
  env: HarnessEnv,
  harness: HarnessId | null,
  code: AgentWarningCode,
  abs: string,
  line: number | null,
  facts: AgentWarning['facts'] = {},
): AgentWarning {
  return { code, path: displayPath(env, abs), line, harness, facts };
}

export type FileRead =
  | { readonly ok: true; readonly text: string; readonly bytes: Uint8Array; readonly size: number }
  | { readonly ok: false; readonly code: AgentWarningCode; readonly facts: AgentWarning['facts'] };

/**
 * A file's text. The refusal (a link outside DIR, a FIFO, a giant) is returned for the caller to list the file with;
 * the shared warning is added once per file by discover.ts (so five harnesses do not say it five times).
 */
export async function readText(env: HarnessEnv, abs: string, limit?: number): Promise<FileRead> {
  const r = await env.ws.read(abs, limit);
  if (!r.ok) {
    env.ws.refusals.set(abs, { code: r.warning, facts: r.facts });
    return { ok: false, code: r.warning, facts: r.facts };
  }
  if (!isValidUtf8(r.bytes)) env.ws.invalidUtf8.add(abs);
  return { ok: true, text: decodeUtf8(r.bytes), bytes: r.bytes, size: r.size };
}

/** A file in a folder of the chain above DIR, or DIR's own candidate: whether it exists as a file. */
export async function fileAt(env: HarnessEnv, abs: string): Promise<boolean> {
  if (isWithin(env.dir, abs)) return env.ws.candidates.some((c) => c.abs === abs);
  if (!env.trusted) return false;
  const st = await env.ws.fs.stat(abs);
  return st?.type === 'file';
}

/** The files under `folder` (recursively) whose name matches; for folders above DIR, listed on demand. */
export async function filesUnder(env: HarnessEnv, folder: string, test: (name: string) => boolean): Promise<string[]> {
  if (isWithin(env.dir, folder))
    return env.ws.candidates
      .filter((c) => isWithin(folder, c.abs) && c.abs !== folder && test(basenameOf(c.abs)))
      .map((c) => c.abs)
      .sort();
  if (!env.trusted) return [];
  const out: string[] = [];
  const walk = async (d: string, depth: number) => {
    if (depth > 4) return;
    const list = await env.ws.fs.list(d);
    env.ws.dirsListed++;
    for (const e of list ?? []) {
      const p = joinPath(d, e.name);
      if (e.type === 'dir') await walk(p, depth + 1);
      else if (test(e.name)) out.push(p);
    }
  };
  await walk(folder, 0);
  return out.sort();
}

export { ancestorsOf, dirnameOf, joinPath, isWithin, basenameOf, relativePath };
