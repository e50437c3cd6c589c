import * as vscode from 'vscode';

/** The part of the built-in git extension's API (vscode.git, API version 1) that KV Lens uses. */
interface GitApi {
  getRepository(uri: vscode.Uri): GitRepository | null;
  /** 'uninitialized' until the first scan for repositories is done (VS Code 1.60+). */
  readonly state?: 'uninitialized' | 'initialized';
  readonly onDidChangeState?: vscode.Event<'uninitialized' | 'initialized'>;
  readonly onDidOpenRepository?: vscode.Event<GitRepository>;
}
/** What the git extension exports: its API while enabled, and the enablement (setting git.enabled) as it changes. */
interface GitExtension {
  getAPI(v: 1): GitApi;
  readonly enabled?: boolean;
  readonly onDidChangeEnablement?: vscode.Event<boolean>;
}
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly HEAD?: { readonly commit?: string }; onDidChange: vscode.Event<void> };
  show(ref: string, path: string): Promise<string>;
  log(options?: {
    readonly maxEntries?: number;
    readonly path?: string;
  }): Promise<readonly { readonly hash: string }[]>;
}

/** One empty history for every file without one (a stable identity for the callers' memos). */
const NONE: readonly string[] = [];

export type GitHeadResult =
  | { readonly kind: 'text'; readonly text: string; readonly commit: string }
  | { readonly kind: 'untracked' }
  | { readonly kind: 'no-repository' }
  | { readonly kind: 'unavailable'; readonly why: string };

/**
 * The HEAD version of a file through the built-in git extension. Without git (disabled, a virtual workspace, the
 * web) this answers 'unavailable' quietly: the baseline then falls back, it is never an error.
 */
export class GitBaseline implements vscode.Disposable {
  private api: GitApi | undefined;
  private tried = false;
  private readonly cache = new Map<string, { commit: string; result: GitHeadResult }>();
  private readonly histories = new Map<string, { commit: string; texts: readonly string[] }>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly watched = new Set<GitRepository>();
  /** Fires when a repository's HEAD moves (commit, checkout): baselines must be re-read. */
  readonly onDidChange = this.changed.event;

  private discovery: Promise<void> | undefined;

  /** Resolves when the git extension has scanned for repositories (at most 3 s, once); later ones are announced. */
  private discovered(api: GitApi): Promise<void> {
    return (this.discovery ??= new Promise<void>((resolve) => {
      if (api.state === 'initialized') {
        resolve();
        return;
      }
      const subs: vscode.Disposable[] = [];
      const done = () => {
        clearTimeout(timer);
        for (const d of subs) d.dispose();
        resolve();
      };
      const timer = setTimeout(done, 3000);
      const sub = api.onDidChangeState?.((s) => {
        if (s === 'initialized') done();
      });
      if (sub) subs.push(sub);
    }));
  }

  /** Whether we listen for git being turned on (setting git.enabled, while the extension runs). */
  private awaitingEnablement = false;

  private async gitApi(): Promise<GitApi | undefined> {
    if (this.api || this.tried) return this.api;
    this.tried = true;
    try {
      const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
      if (!ext) return undefined;
      const exports = ext.isActive ? ext.exports : await ext.activate();
      if (exports.enabled === false) {
        // Disabled now (git.enabled false): asked again on the next call, and when it is turned on, every open
        // document is re-baselined at once instead of on its next keystroke.
        this.tried = false;
        this.whenEnabled(exports);
        return undefined;
      }
      this.api = exports.getAPI(1);
      // A repository opened later (git init, a folder added): files answered "untracked" are asked again.
      const opened = this.api.onDidOpenRepository?.(() => this.reset());
      if (opened) this.subscriptions.push(opened);
    } catch {
      this.api = undefined;
    }
    return this.api;
  }

  private whenEnabled(exports: GitExtension): void {
    if (this.awaitingEnablement || !exports.onDidChangeEnablement) return;
    this.awaitingEnablement = true;
    const sub = exports.onDidChangeEnablement((enabled) => {
      if (!enabled) return;
      sub.dispose();
      this.awaitingEnablement = false;
      this.tried = false;
      this.reset();
    });
    this.subscriptions.push(sub);
  }

  /** Forgets every answer and says so: the listeners (activate: re-analyze the open prompts) ask again. */
  private reset(): void {
    this.cache.clear();
    this.histories.clear();
    this.changed.fire();
  }

  async head(uri: vscode.Uri): Promise<GitHeadResult> {
    if (uri.scheme !== 'file') return { kind: 'unavailable', why: `${uri.scheme}: files have no git history here` };
    const api = await this.gitApi();
    if (!api) return { kind: 'unavailable', why: 'git is not available' };
    let repo = api.getRepository(uri);
    // Repositories are discovered shortly after the git extension activates: wait for that scan once per session,
    // never per call (outside a repository every keystroke would wait).
    if (!repo) {
      await this.discovered(api);
      repo = api.getRepository(uri);
    }
    if (!repo) return { kind: 'no-repository' };
    this.watch(repo);
    const commit = repo.state.HEAD?.commit ?? '';
    const key = uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.commit === commit) return hit.result;
    let result: GitHeadResult;
    try {
      result = { kind: 'text', text: await repo.show('HEAD', uri.fsPath), commit };
    } catch {
      result = { kind: 'untracked' }; // not in HEAD (new file), or no commit yet
    }
    this.cache.set(key, { commit, result });
    return result;
  }

  /** The file's texts in its last `max` commits, oldest first ([] without git or history). Cached per HEAD. */
  async history(uri: vscode.Uri, max = 8): Promise<readonly string[]> {
    if (uri.scheme !== 'file') return NONE;
    const api = await this.gitApi();
    const repo = api?.getRepository(uri);
    if (!repo) return NONE;
    this.watch(repo);
    const commit = repo.state.HEAD?.commit ?? '';
    const key = `${uri.toString()}#history`;
    const hit = this.histories.get(key);
    if (hit && hit.commit === commit) return hit.texts;
    let texts: string[] = [];
    try {
      const commits = await repo.log({ maxEntries: max, path: uri.fsPath });
      for (const c of [...commits].reverse()) {
        try {
          texts.push(await repo.show(c.hash, uri.fsPath));
        } catch {
          /* not in that commit */
        }
      }
    } catch {
      texts = [];
    }
    this.histories.set(key, { commit, texts });
    return texts;
  }

  private watch(repo: GitRepository): void {
    if (this.watched.has(repo)) return;
    this.watched.add(repo);
    let last = repo.state.HEAD?.commit;
    this.subscriptions.push(
      repo.state.onDidChange(() => {
        const now = repo.state.HEAD?.commit;
        if (now === last) return;
        last = now;
        this.reset();
      }),
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
