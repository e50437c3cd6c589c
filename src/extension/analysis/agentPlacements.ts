import * as vscode from 'vscode';
import {
  HARNESS_DATA,
  HARNESS_IDS,
  discoverAgentContext,
  fileRanges,
  isInstructionFilePath,
  placementsOf,
  type AgentContext,
  type AgentFile,
  type AgentWarning,
  type DiscoverOptions,
  type FilePlacement,
  type FileRanges,
  type FileView,
  type GlobalDirs,
  type HarnessId,
  type SessionStats,
} from '../../core/agents';
import { dirnameOf, isWithin, relativePath } from '../../core/agents/agentFs';
import type { Catalog } from '../../core/pricing/catalog';
import { tokenizerForModel } from '../../core/pricing/modelTokenizer';
import { preloadEncoding } from '../../core/tokenizer/openAiEncodings';
import { OpenDocumentsFs, vscodeAgentFs, type AgentFsOf } from '../workspace/agentFsVscode';

/** What the Node host adds: its own file system for file: URIs, the agents' global folders, the user's sessions. */
export interface AgentHost {
  /** For file: URIs: partial reads, a FIFO never opened (the Node adapter the CLI uses). */
  readonly fileFs?: AgentFsOf;
  readonly globals?: () => GlobalDirs;
  /** Claude Code's and Codex's own sessions in a folder (count, median requests, newest model). */
  readonly sessions?: (cwd: string) => Promise<Partial<Record<HarnessId, SessionStats>>>;
}

/** Where one open instruction file lands in each coding agent's request, as of one version of the document. */
export interface AgentPlacement {
  readonly uri: string;
  readonly version: number;
  /** The folder the agents are taken to start in (the workspace folder), as an adapter path. */
  readonly dir: string;
  /** The file as an adapter path, and as the workspace names it. */
  readonly path: string;
  readonly label: string;
  readonly ctx: AgentContext;
  readonly placements: readonly FilePlacement[];
  /** A nested AGENTS.md: Codex started in the file's own folder, reading its chain from the git root down. */
  readonly nested: {
    readonly folder: string;
    readonly placement: FilePlacement;
    readonly warnings: readonly AgentWarning[];
  } | null;
  /** UTF-16 spans of the document's text at `version`: what is sent, what is never sent. */
  readonly ranges: FileRanges;
  /** The warnings about this file (every harness's, and the workspace's). */
  readonly warnings: readonly AgentWarning[];
  /** Files this placement read (any harness's): an edit of one of them places this file again. */
  readonly dependsOn: ReadonlySet<string>;
  readonly trusted: boolean;
  /** The discovery and placement, in ms. */
  readonly ms: number;
  /** From the document's opening to its first placement being ready, in ms (the first placement only). */
  readonly shownMs?: number;
}

/** A keystroke's placement waits this long for the next keystroke. */
const EDIT_DELAY_MS = 150;
/** The user's sessions are counted again after this long (they change when a session ends). */
const SESSIONS_TTL_MS = 5 * 60_000;

/**
 * The placement of every open instruction file, kept current: computed when one opens (only the folders on the way to
 * it are listed: DiscoverOptions.onlyPaths), again after a pause in typing in it (from the editor's text, not the
 * disk), and when a file it depends on changes — an edit of another open instruction file or an import, a save, a
 * file created or deleted. Never a scan of the whole workspace per keystroke. Core does the work; this schedules it.
 */
export class AgentPlacements implements vscode.Disposable {
  private readonly results = new Map<string, AgentPlacement>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly opened = new Map<string, number>();
  private readonly isAgentDoc = new Map<string, boolean>();
  private readonly sessions = new Map<
    string,
    { at: number; stats?: Partial<Record<HarnessId, SessionStats>>; pending?: Promise<void> }
  >();
  private readonly placed = new vscode.EventEmitter<vscode.TextDocument>();
  readonly onDidPlace = this.placed.event;
  /** The last placements' times (ms), for the debug log and the tests. */
  readonly timings: { ms: number; shownMs?: number; file: string }[] = [];

  constructor(
    private readonly deps: {
      readonly host: AgentHost;
      readonly catalog: () => Catalog;
      readonly log?: Pick<vscode.LogOutputChannel, 'info' | 'debug' | 'warn'>;
    },
  ) {}

  /** Whether a document is an instruction file of some coding agent (core's list of names and agent folders). */
  isInstructionFile(doc: vscode.TextDocument): boolean {
    const key = doc.uri.toString();
    let v = this.isAgentDoc.get(key);
    if (v === undefined) {
      v =
        !doc.isUntitled &&
        doc.uri.scheme !== 'output' &&
        isInstructionFilePath(this.relative(doc.uri) ?? doc.uri.path.split('/').pop() ?? '');
      this.isAgentDoc.set(key, v);
    }
    return v;
  }

  get(doc: vscode.TextDocument): AgentPlacement | undefined {
    const p = this.results.get(doc.uri.toString());
    return p && p.version === doc.version ? p : undefined;
  }

  /** The newest placement even if the document changed since (the lens and status bar keep showing it meanwhile). */
  last(doc: vscode.TextDocument): AgentPlacement | undefined {
    return this.results.get(doc.uri.toString());
  }

  /** A document became visible or active: placed now, unless its placement is current. */
  look(doc: vscode.TextDocument): void {
    if (!this.isInstructionFile(doc)) return;
    const key = doc.uri.toString();
    if (!this.opened.has(key) && !this.results.has(key)) this.opened.set(key, performance.now());
    if (this.get(doc) || this.timers.has(key) || this.running.has(key)) return;
    this.schedule(doc, 0);
  }

  /** A change of any document: itself placed after a pause, and every open placement that read it. */
  changed(doc: vscode.TextDocument): void {
    if (this.isInstructionFile(doc)) this.schedule(doc, EDIT_DELAY_MS);
    this.dependents(this.pathKey(doc.uri), doc.uri.toString());
  }

  /** A file changed, appeared or went on disk (saved, or by another program). */
  fileChanged(uri: vscode.Uri, created: boolean): void {
    const key = this.pathKey(uri);
    const newCandidate = created && isInstructionFilePath(this.relative(uri) ?? '');
    for (const doc of this.openInstructionDocs())
      if (doc.uri.toString() !== uri.toString() || created) {
        const p = this.results.get(doc.uri.toString());
        if (!p || newCandidate || p.dependsOn.has(key)) this.schedule(doc, EDIT_DELAY_MS);
      }
  }

  /** Everything placed again (catalog, settings, trust changed). */
  invalidateAll(): void {
    for (const doc of this.openInstructionDocs()) this.schedule(doc, 0);
  }

  /** The user's sessions are read again at the next placement (tests; the Agent Sessions view's refresh). */
  forgetSessions(): void {
    this.sessions.clear();
    this.invalidateAll();
  }

  forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.results.delete(key);
    this.opened.delete(key);
    this.isAgentDoc.delete(key);
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  /** Resolves with the placement of the document's current version (tests, the quick pick). */
  async current(doc: vscode.TextDocument, timeoutMs = 30_000): Promise<AgentPlacement | undefined> {
    const end = Date.now() + timeoutMs;
    if (!this.isInstructionFile(doc)) return undefined;
    if (!this.get(doc) && !this.timers.has(doc.uri.toString()) && !this.running.has(doc.uri.toString()))
      this.schedule(doc, 0);
    while (!this.get(doc) && Date.now() < end && !doc.isClosed) await new Promise((r) => setTimeout(r, 20));
    return this.get(doc);
  }

  openInstructionDocs(): vscode.TextDocument[] {
    return vscode.workspace.textDocuments.filter((d) => !d.isClosed && this.isInstructionFile(d));
  }

  private dependents(path: string, except: string): void {
    for (const [key, p] of this.results) {
      if (key === except || !p.dependsOn.has(path)) continue;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (doc) this.schedule(doc, EDIT_DELAY_MS);
    }
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.runOnce(doc);
      }, delay),
    );
  }

  /** One placement at a time per document; an edit meanwhile places the newer version after it. */
  private async runOnce(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const before = this.running.get(key);
    if (before) {
      await before;
      if (this.get(doc) || doc.isClosed) return;
    }
    const p = this.run(doc).finally(() => this.running.delete(key));
    this.running.set(key, p);
    await p;
  }

  private folderOf(uri: vscode.Uri): vscode.Uri {
    const f = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    return f && f.uri.scheme === uri.scheme && f.uri.authority === uri.authority
      ? f.uri
      : uri.with({ path: dirnameOf(uri.path) });
  }

  private fsFor(uri: vscode.Uri): AgentFsOf {
    return uri.scheme === 'file' && this.deps.host.fileFs ? this.deps.host.fileFs : vscodeAgentFs(uri);
  }

  private pathKey(uri: vscode.Uri): string {
    return this.fsFor(uri).pathOf(uri);
  }

  private relative(uri: vscode.Uri): string | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return undefined;
    const fs = this.fsFor(uri);
    return relativePath(fs.pathOf(folder.uri), fs.pathOf(uri));
  }

  private async run(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const version = doc.version;
    const t0 = performance.now();
    let placement: AgentPlacement | undefined;
    try {
      placement = await this.place(doc, version, t0);
    } catch (e) {
      // A bug of ours must not take the editor down: the log says what, the file keeps its last placement.
      this.deps.log?.warn(`${vscode.workspace.asRelativePath(doc.uri, false)}: placement failed: ${String(e)}`);
      return;
    }
    if (doc.isClosed || !placement) return;
    this.results.set(key, placement);
    this.timings.push({ ms: placement.ms, shownMs: placement.shownMs, file: placement.label });
    if (this.timings.length > 200) this.timings.splice(0, this.timings.length - 200);
    this.deps.log?.debug(
      `${placement.label} v${version}: placed for ${placement.placements.length} agents in ${placement.ms.toFixed(1)} ms${placement.shownMs !== undefined ? ` (${placement.shownMs.toFixed(1)} ms from opening)` : ''}; ${placement.ctx.stats.dirsListed} folders listed, ${placement.ctx.stats.filesRead} files read`,
    );
    this.placed.fire(doc);
    if (doc.version !== version) this.schedule(doc, EDIT_DELAY_MS);
  }

  /**
   * The tokenizers of the models the agents run on, ready: their rank data fetched where it is fetched (the web host)
   * and, with `build`, the tables built (the first count of an encoding takes ~200 ms; done once, after activation,
   * when the workspace has instruction files, so the first one opened is placed at once).
   */
  async tokenizersReady(sessions: Partial<Record<HarnessId, SessionStats>> = {}, build = false): Promise<void> {
    const catalog = this.deps.catalog();
    const ids = HARNESS_IDS.flatMap((h) => [HARNESS_DATA[h].rules.defaultModel.value, sessions[h]?.model ?? '']);
    const models = ids.flatMap((id) => {
      const r = id ? catalog.find(id) : undefined;
      return r?.ok ? [r.model] : [];
    });
    // The estimates of Claude's tokenizer are built on o200k_base.
    const encodings = new Set(['o200k_base', ...models.map((m) => m.encoding)]);
    await Promise.all([...encodings].map((e) => preloadEncoding(e).catch(() => undefined)));
    if (!build) return;
    for (const m of models) {
      tokenizerForModel(m).tokenizer.count('warm');
      await new Promise((r) => setTimeout(r, 0));
    }
  }

  /** The file system (open documents over the folder's), DIR and the options every discovery of a folder shares. */
  private setup(folderUri: vscode.Uri) {
    const host = this.fsFor(folderUri);
    const dir = host.pathOf(folderUri);
    const trusted = vscode.workspace.isTrusted;
    const docs = new Map<string, vscode.TextDocument>();
    for (const d of vscode.workspace.textDocuments)
      if (!d.isClosed && !d.isUntitled && d.uri.scheme === folderUri.scheme && d.uri.authority === folderUri.authority)
        docs.set(host.pathOf(d.uri), d);
    const fs = new OpenDocumentsFs(host.fs, docs);
    const catalog = this.deps.catalog();
    const opts: DiscoverOptions = {
      catalog,
      trusted,
      globals: trusted ? (this.deps.host.globals?.() ?? {}) : {},
      exclude: filesExclude(folderUri),
      sessions: this.sessionsFor(dir),
      now: Date.now(),
    };
    return { host, dir, trusted, docs, fs, catalog, opts };
  }

  /** Every instruction file of a folder (the Agent Context view): the whole tree, gitignored and excluded folders not. */
  async folderContext(
    folderUri: vscode.Uri,
  ): Promise<{ ctx: AgentContext; paths: AgentFsOf; trusted: boolean; catalog: Catalog; ms: number }> {
    const t0 = performance.now();
    const { host, dir, trusted, fs, catalog, opts } = this.setup(folderUri);
    await this.tokenizersReady(opts.sessions);
    const ctx = await discoverAgentContext(dir, opts, fs);
    return { ctx, paths: host, trusted, catalog, ms: performance.now() - t0 };
  }

  /** The folder the agents are taken to start in for a file: its workspace folder. */
  folderFor(uri: vscode.Uri): vscode.Uri {
    return this.folderOf(uri);
  }

  private async place(doc: vscode.TextDocument, version: number, t0: number): Promise<AgentPlacement> {
    const folderUri = this.folderOf(doc.uri);
    const { host, dir, trusted, docs, fs, catalog, opts: common } = this.setup(folderUri);
    const path = host.pathOf(doc.uri);
    const inside = isWithin(dir, path);
    const rel = relativePath(dir, path);
    // The document's text now, at `version`: the ranges are offsets into it.
    const text = fs.textOf(path) ?? '';
    // The folders on the way to the file (and the agent folders), not the whole tree.
    const opts: DiscoverOptions = { ...common, onlyPaths: inside ? [rel] : [] };
    await this.tokenizersReady(opts.sessions);
    const ctx = await discoverAgentContext(dir, opts, fs);
    const placements = placementsOf(ctx, path, catalog);
    const files: { harness: HarnessId; file: AgentFile }[] = [];
    const dependsOn = new Set<string>();
    for (const h of ctx.harnesses)
      for (const f of h.files) {
        dependsOn.add(f.abs);
        if (f.abs === path) files.push({ harness: h.harness, file: f });
      }
    const shownPath = files[0]?.file.path ?? (inside ? rel : path);
    const mine = (w: AgentWarning) => w.path === shownPath;
    const warnings: AgentWarning[] = [
      ...ctx.warnings.filter(mine),
      ...ctx.harnesses.flatMap((h) => h.warnings.filter(mine)),
    ];
    const views: FileView[] = files.map(({ harness, file }) => ({
      harness,
      file,
      warnings: warnings.filter((w) => w.harness === harness),
    }));

    // A nested AGENTS.md is loaded by Codex started in its folder (the chain from the git root down to it).
    let nested: AgentPlacement['nested'] = null;
    const codex = files.find((f) => f.harness === 'codex')?.file;
    if (inside && codex && codex.loaded === 'never' && codex.reason.why === 'below-cwd') {
      const folder = dirnameOf(path);
      const nctx = await discoverAgentContext(
        folder,
        {
          ...opts,
          harnesses: ['codex'],
          onlyPaths: [],
          // Restricted Mode: the chain is read inside the workspace only, and no global file.
          ...(trusted ? {} : { trusted: true, walkUpTo: dir, globals: {} }),
        },
        fs,
      );
      const np = placementsOf(nctx, path, catalog).find((p) => p.harness === 'codex');
      const nfile = nctx.harnesses[0]?.files.find((f) => f.abs === path);
      if (np && nfile) {
        for (const f of nctx.harnesses[0].files) dependsOn.add(f.abs);
        const nw = nctx.harnesses[0].warnings.filter((w) => w.path === nfile.path);
        nested = { folder: relativePath(dir, folder), placement: np, warnings: nw };
        views.push({ harness: 'codex', file: nfile, warnings: nw });
      }
    }
    const ranges = fileRanges(text, views);
    const key = doc.uri.toString();
    const openedAt = this.opened.get(key);
    this.opened.delete(key);
    const now = performance.now();
    return {
      uri: key,
      version: docs.has(path) ? version : -1,
      dir,
      path,
      label: vscode.workspace.asRelativePath(doc.uri, false),
      ctx,
      placements,
      nested,
      ranges,
      warnings,
      dependsOn,
      trusted,
      ms: now - t0,
      ...(openedAt !== undefined ? { shownMs: now - openedAt } : {}),
    };
  }

  /** The cached session counts of a folder; counted again in the background when old, then everything re-placed. */
  private sessionsFor(dir: string): Partial<Record<HarnessId, SessionStats>> {
    const read = this.deps.host.sessions;
    if (!read) return {};
    const c = this.sessions.get(dir);
    if (c && (c.pending || Date.now() - c.at < SESSIONS_TTL_MS)) return c.stats ?? {};
    const entry: { at: number; stats?: Partial<Record<HarnessId, SessionStats>>; pending?: Promise<void> } = {
      at: Date.now(),
      stats: c?.stats,
    };
    entry.pending = read(dir)
      .then((stats) => {
        const changed = JSON.stringify(stats) !== JSON.stringify(entry.stats ?? {});
        entry.stats = stats;
        entry.at = Date.now();
        if (changed) this.invalidateAll();
      })
      .catch((e) => this.deps.log?.warn(`agent sessions of ${dir}: ${String(e)}`))
      .finally(() => (entry.pending = undefined));
    this.sessions.set(dir, entry);
    return entry.stats ?? {};
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.placed.dispose();
  }
}

/** files.exclude of a folder as globs (the patterns set to true), as `kvlens agents` reads them. */
function filesExclude(folder: vscode.Uri): string[] {
  const v = vscode.workspace.getConfiguration('files', folder).get<Record<string, unknown>>('exclude') ?? {};
  return Object.entries(v)
    .filter(([, on]) => on === true)
    .map(([g]) => g);
}
