// One pass over DIR that lists folders and reads nothing but the files it needs: the .gitignore files (to skip what
// they ignore) and, later and on demand, the instruction-file candidates. Links, FIFOs, giants and files outside DIR
// are refused with a warning naming the file; nothing here hangs or throws for the workspace's content.
import ignore, { type Ignore } from 'ignore';
import { minimatch } from 'minimatch';
import { basenameOf, dirnameOf, isWithin, relativePath, type AgentFs } from './agentFs';
import type { AgentWarning } from './types';

/** Folders never scanned: a repository's own database and installed packages. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);
/** Dot-folders that hold agent files; every other dot-folder (.venv, .cache, …) is skipped. */
const AGENT_DOT_DIRS = new Set(['.claude', '.github', '.cursor', '.codex', '.gemini', '.agents', '.vscode']);

/** Names that are instruction files wherever they are. */
const CANDIDATE_NAMES = new Set([
  'CLAUDE.md',
  'CLAUDE.local.md',
  'AGENTS.md',
  'AGENTS.override.md',
  'GEMINI.md',
  '.cursorrules',
]);

// Paths (relative to any folder) of the files that live in an agent's folder.
const CANDIDATE_PATH =
  /(?:^|\/)(?:\.claude\/(?:CLAUDE\.md|AGENTS\.md|rules\/.+\.md|agents\/[^/]+\.md|commands\/.+\.md|skills\/[^/]+\/SKILL\.md)|\.(?:codex|agents|gemini|github)\/skills\/[^/]+\/SKILL\.md|\.gemini\/(?:agents\/[^/]+\.md|settings\.json)|\.github\/(?:copilot-instructions\.md|instructions\/.+\.instructions\.md|agents\/[^/]+\.md|chatmodes\/[^/]+\.chatmode\.md|prompts\/[^/]+\.prompt\.md)|\.cursor\/rules\/.+\.mdc?)$/;

/**
 * Whether a path (relative to a workspace folder, with '/') names a file some coding agent reads as instructions: the
 * names and agent-folder paths the scan collects, less the settings files it reads along (.gemini/settings.json). The
 * editor takes its instruction files from here, so there is one list.
 */
export function isInstructionFilePath(rel: string, extraNames: readonly string[] = []): boolean {
  const p = rel.replace(/\\/g, '/').replace(/^\.\//, '');
  const name = basenameOf(p);
  if (/(^|\/)\.gemini\/settings\.json$/.test(p)) return false;
  return CANDIDATE_NAMES.has(name) || extraNames.includes(name) || CANDIDATE_PATH.test(p);
}

export interface ScanOptions {
  /** Workspace-relative globs never scanned (VS Code's files.exclude, minimatch syntax). */
  readonly exclude?: readonly string[];
  /** Further file names to collect anywhere (Gemini's context.fileName, Codex's fallback names). */
  readonly extraNames?: readonly string[];
  /** Stop after this many directory entries (a warning says so). */
  readonly maxEntries?: number;
  /** Largest file read whole, in bytes. */
  readonly maxFileBytes?: number;
  /**
   * Only descend into the folders on the way to these DIR-relative paths and into agent folders met on the way: the
   * editor's look at one open file, without listing the whole tree.
   */
  readonly only?: readonly string[];
}

export interface Candidate {
  readonly abs: string;
  /** Relative to DIR, with '/'. */
  readonly rel: string;
  readonly linked: boolean;
}

export type ReadResult =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly size: number; readonly complete: boolean }
  | { readonly ok: false; readonly warning: AgentWarning['code']; readonly facts: AgentWarning['facts'] };

export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_ENTRIES = 400_000;
const GITIGNORE_MAX_BYTES = 1024 * 1024;
const SCAN_CONCURRENCY = 16;

const childPath = (dir: string, name: string) => (dir.endsWith('/') ? dir + name : `${dir}/${name}`);

export class Workspace {
  readonly candidates: Candidate[] = [];
  readonly warnings: AgentWarning[] = [];
  /** Files that could not be read, and why (one warning each, whatever harness asked). */
  readonly refusals = new Map<string, { code: AgentWarning['code']; facts: AgentWarning['facts'] }>();
  /** Files that are not valid UTF-8 (the agents read them with U+FFFD in place of the bad bytes). */
  readonly invalidUtf8 = new Set<string>();
  dirsListed = 0;
  filesRead = 0;
  bytesRead = 0;
  private realRoot: string | undefined;
  private readonly reads = new Map<string, Promise<ReadResult>>();
  private readonly exclude: ((rel: string) => boolean) | undefined;
  private readonly extraNames: ReadonlySet<string>;
  readonly maxFileBytes: number;

  constructor(
    readonly fs: AgentFs,
    /** DIR, absolute. */
    readonly root: string,
    private readonly opts: ScanOptions = {},
  ) {
    this.maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.only = opts.only?.map((p) => p.replace(/^\.\//, ''));
    this.extraNames = new Set(opts.extraNames ?? []);
    const globs = (opts.exclude ?? []).filter((g) => g.trim());
    if (globs.length) {
      const matchers = globs.map((g) => new minimatch.Minimatch(g.replace(/\/$/, ''), { dot: true }));
      this.exclude = (rel) => matchers.some((m) => m.match(rel));
    }
  }

  /** Lists DIR's folders (skipping ignored and excluded ones) and collects instruction-file candidates. */
  async scan(): Promise<void> {
    this.realRoot = (await this.fs.realpath(this.root)) ?? this.root;
    const max = this.opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
    let entries = 0;
    let stopped = false;
    type Item = { dir: string; rel: string; rules: { base: string; ig: Ignore }[] };
    // Folders are listed several at a time (a file system answers them in parallel), each with the .gitignore rules
    // of every folder above it; candidates are sorted at the end so the result does not depend on timing.
    const queue: Item[] = [{ dir: this.root, rel: '', rules: [] }];
    const visit = async ({ dir, rel, rules }: Item) => {
      const list = await this.fs.list(dir);
      this.dirsListed++;
      if (!list || stopped) return;
      let here = rules;
      if (list.some((e) => e.name === '.gitignore' && e.type === 'file')) {
        const r = await this.readWhole(childPath(dir, '.gitignore'), GITIGNORE_MAX_BYTES);
        if (r.ok) here = [...rules, { base: rel, ig: ignore().add(new TextDecoder().decode(r.bytes)) }];
      }
      for (const e of list) {
        if (++entries > max) {
          if (!stopped)
            this.warnings.push({
              code: 'scan-limit',
              path: rel || '.',
              line: null,
              harness: null,
              facts: { entries: max },
            });
          stopped = true;
          return;
        }
        const childRel = rel ? `${rel}/${e.name}` : e.name;
        if (this.exclude?.(childRel)) continue;
        if (e.type === 'dir') {
          if (ALWAYS_SKIPPED.has(e.name)) continue;
          if (e.name.startsWith('.') && !AGENT_DOT_DIRS.has(e.name)) continue;
          if (ignoredBy(here, childRel, true)) continue;
          if (this.only && !this.wanted(childRel)) continue;
          queue.push({ dir: childPath(dir, e.name), rel: childRel, rules: here });
        } else if (this.isCandidate(childRel, e.name)) {
          // A gitignored instruction file (CLAUDE.local.md is gitignored by design) is still read by the agents.
          this.candidates.push({ abs: childPath(dir, e.name), rel: childRel, linked: e.type !== 'file' });
        }
      }
    };
    const running = new Set<Promise<void>>();
    while (queue.length || running.size) {
      while (queue.length && running.size < SCAN_CONCURRENCY && !stopped) {
        const p: Promise<void> = visit(queue.shift()!).finally(() => running.delete(p));
        running.add(p);
      }
      if (running.size) await Promise.race(running);
      if (stopped && !running.size) break;
    }
    this.candidates.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  }

  private readonly only: readonly string[] | undefined;

  /** With `only`: a folder on the way to one of the paths, or an agent folder (or inside one). */
  private wanted(rel: string): boolean {
    if (/(^|\/)\.(?:claude|github|cursor|codex|gemini|agents)(\/|$)/.test(rel)) return true;
    return this.only!.some((p) => p === rel || p.startsWith(`${rel}/`));
  }

  private isCandidate(rel: string, name: string): boolean {
    return CANDIDATE_NAMES.has(name) || this.extraNames.has(name) || CANDIDATE_PATH.test(rel);
  }

  /** The real path of DIR (after scan()). */
  get realRootPath(): string {
    return this.realRoot ?? this.root;
  }

  /** Whether an absolute path is inside DIR. */
  inside(abs: string): boolean {
    return isWithin(this.root, abs);
  }

  /**
   * A file's first `limit` bytes (all of it when smaller). Inside DIR a link must resolve inside DIR; anywhere, only
   * a regular file is read, and one larger than the cap is refused unless only its head is asked for.
   */
  async read(abs: string, limit = this.maxFileBytes): Promise<ReadResult> {
    // A file read whole serves every later read of it, whatever their limit: each file is read once.
    const whole = this.reads.get(abs);
    if (whole) {
      const r = await whole;
      if (!r.ok || r.complete) {
        if (!r.ok || r.size <= limit) return r;
        return { ...r, bytes: r.bytes.subarray(0, limit), complete: false };
      }
    }
    const key = `${abs}\0${limit}`;
    let p = this.reads.get(key);
    if (!p) {
      p = this.readWhole(abs, limit);
      this.reads.set(key, p);
      const r = await p;
      // A refusal for size depends on the limit asked; every other outcome is the file's own.
      if (r.ok ? r.complete : r.warning !== 'file-too-big') this.reads.set(abs, p);
    }
    return p;
  }

  private async readWhole(abs: string, limit: number): Promise<ReadResult> {
    const st = await this.fs.stat(abs);
    if (!st) return { ok: false, warning: 'unreadable', facts: { problem: 'missing' } };
    if (st.type !== 'file')
      return { ok: false, warning: 'not-regular', facts: { type: st.type === 'dir' ? 'directory' : 'special' } };
    if (this.inside(abs)) {
      const real = await this.fs.realpath(abs);
      const root = this.realRoot ?? (await this.fs.realpath(this.root)) ?? this.root;
      if (!real)
        return {
          ok: false,
          warning: 'unreadable',
          facts: { problem: 'a link that cannot be resolved (a loop, or a host that does not follow links)' },
        };
      if (!isWithin(root, real)) return { ok: false, warning: 'link-outside', facts: { target: real } };
    }
    if (st.size > limit && limit >= this.maxFileBytes)
      return { ok: false, warning: 'file-too-big', facts: { bytes: st.size, limit: this.maxFileBytes } };
    try {
      const bytes = await this.fs.read(abs, Math.min(limit, st.size));
      this.filesRead++;
      this.bytesRead += bytes.length;
      return { ok: true, bytes, size: st.size, complete: bytes.length >= st.size };
    } catch (e) {
      return { ok: false, warning: 'unreadable', facts: { problem: String((e as Error).message ?? e).slice(0, 200) } };
    }
  }

  /** Whether a file exists (any type), without reading it. */
  async exists(abs: string): Promise<boolean> {
    return (await this.fs.stat(abs)) !== undefined;
  }
}

function ignoredBy(rules: readonly { base: string; ig: Ignore }[], rel: string, dir: boolean): boolean {
  for (const { base, ig } of rules) {
    const sub = base ? relativePath(base, rel) : rel;
    if (!sub || sub.startsWith('..')) continue;
    if (ig.ignores(dir ? `${sub}/` : sub)) return true;
  }
  return false;
}

/** The candidates in `folder` (relative to DIR) whose relative path matches. */
export function candidatesIn(ws: Workspace, test: (rel: string, name: string) => boolean): Candidate[] {
  return ws.candidates.filter((c) => test(c.rel, basenameOf(c.rel)));
}

export { dirnameOf };
