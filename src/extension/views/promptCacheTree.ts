import * as vscode from 'vscode';
import { documentReport } from '../../core/analysis/documentReport';
import { fileModelCandidate } from '../../core/analysis/fileModel';
import { chooseModel } from '../../core/analysis/modelChoice';
import { sharedPrefixes } from '../../core/analysis/sharedPrefixes';
import { STEADY_STATE } from '../../core/analysis/versions';
import { tokenizerForModel } from '../../core/pricing/modelTokenizer';
import { parsePrompt } from '../../core/prompt/parse';
import type { PickedModels } from '../settings/pickedModels';
import type { KvLensSettings } from '../settings/settings';
import type { UserCatalog } from '../pricing/userCatalog';
import {
  isExcluded,
  readWorkspacePrompt,
  searchFor,
  workspacePrompts,
  type HeadReader,
} from '../workspace/workspacePrompts';
import { shortFileName } from '../../core/text/shortLabel';
import { count, share, tokens } from '../../core/report/numbers';

const baseName = (rel: string) => rel.split('/').pop()!;
/** A file's name beside its cached share still fits the default sidebar width (the folder is in the tooltip). */
const NAME_CHARS = 26;

interface FileNode {
  readonly kind: 'file';
  readonly uri: vscode.Uri;
  readonly label: string;
  readonly model: string;
  readonly encoding: string;
  readonly ids: Uint32Array;
  readonly tokenSource: Int32Array;
  readonly tokens: number;
  readonly cached: number;
  readonly exact: boolean;
  shares: ShareNode[];
}
interface ShareNode {
  readonly kind: 'share';
  readonly from: FileNode;
  readonly other: FileNode;
  readonly tokens: number;
  readonly offset: number;
}
type Node = FileNode | ShareNode;

/**
 * The "Prompt Cache" view: the workspace's prompt files as the provider's cache would hold them — each file's cached
 * share when sent repeatedly, and which other prompts share a token prefix with it and for how long (a provider
 * serves that shared prefix of one from the other's cache entry, same model and tokenizer). Clicking a shared prefix
 * reveals where the two prompts part. Built when the view is shown, and again after files change.
 */
export class PromptCacheTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The analyzed prompt files by URI; undefined until the view is first shown (nothing is scanned before). */
  private files: Map<string, FileNode> | undefined;
  private building: Promise<void> | undefined;
  private stale = true;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly queued = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly catalog: UserCatalog,
    private readonly settings: () => KvLensSettings,
    private readonly models: PickedModels,
    private readonly readHead?: HeadReader,
  ) {}

  /** Marks the whole view out of date (settings, catalog, the Refresh button): the next show scans again. */
  invalidate(): void {
    this.stale = true;
    this.watcher?.dispose();
    this.watcher = undefined;
    this.changed.fire(undefined);
  }

  /**
   * One file changed, appeared or went away (saved in VS Code, or written by anything else): only it is read and
   * analyzed again, and only the shared prefixes it takes part in are recomputed. Nothing happens before the view
   * has been shown once.
   */
  update(uri: vscode.Uri): void {
    if (!this.files || this.stale) return;
    const key = uri.toString();
    clearTimeout(this.queued.get(key));
    // A save is a burst of events (change, then the watcher's): one update per file after it settles.
    this.queued.set(
      key,
      setTimeout(() => {
        this.queued.delete(key);
        void this.refreshFile(uri);
      }, 200),
    );
  }

  /** Builds the tree now (tests, and the view's first show). */
  async build(): Promise<readonly FileNode[]> {
    if (this.stale || !this.files)
      this.building ??= this.scan().finally(() => {
        this.building = undefined;
      });
    await this.building;
    return this.sorted();
  }

  private sorted(): FileNode[] {
    return [...(this.files?.values() ?? [])].sort((a, b) => a.label.localeCompare(b.label));
  }

  private async scan(): Promise<void> {
    this.stale = false;
    const s = this.settings();
    const files = new Map<string, FileNode>();
    for (const p of await workspacePrompts(s, undefined, this.readHead)) {
      const f = this.analyze(p.uri, p.label, p.text, s);
      if (f) files.set(p.uri.toString(), f);
    }
    for (const f of files.values()) f.shares = sharesOf(f, files.values());
    this.files = files;
    this.watch(s);
    this.changed.fire(undefined);
  }

  /** Files created, changed or deleted outside VS Code too: the watcher sees the include globs' candidates only. */
  private watch(s: KvLensSettings): void {
    this.watcher?.dispose();
    const { include } = searchFor(s);
    const w = vscode.workspace.createFileSystemWatcher(include);
    w.onDidCreate((u) => this.update(u));
    w.onDidChange((u) => this.update(u));
    w.onDidDelete((u) => this.update(u));
    this.watcher = w;
  }

  private async refreshFile(uri: vscode.Uri): Promise<void> {
    const files = this.files;
    if (!files || this.stale) return;
    const s = this.settings(),
      key = uri.toString();
    const label = vscode.workspace.asRelativePath(uri, false);
    const p = isExcluded(label, s) ? undefined : await readWorkspacePrompt(uri, s, undefined, this.readHead);
    const f = p ? this.analyze(uri, p.label, p.text, s) : undefined;
    const had = files.has(key);
    if (!f && !had) return;
    if (f) files.set(key, f);
    else files.delete(key);
    // Shares: this file's own, and the others' with it (only theirs with this file can have changed).
    for (const g of files.values()) {
      if (g === f) continue;
      g.shares = g.shares.filter((x) => x.other.uri.toString() !== key);
      if (f) {
        const one = sharesOf(g, [f]);
        if (one.length) g.shares = [...g.shares, ...one].sort((a, b) => b.tokens - a.tokens);
      }
    }
    if (f) f.shares = sharesOf(f, files.values());
    this.changed.fire(undefined);
  }

  private analyze(uri: vscode.Uri, rel: string, text: string, s: KvLensSettings): FileNode | undefined {
    const parsed = parsePrompt(text, { fileName: uri.path });
    const choice = chooseModel(
      this.catalog.current,
      this.models.candidates(uri, fileModelCandidate(parsed, text, rel), s.model),
    );
    if (!choice.ok) return undefined;
    const r = documentReport({
      text,
      fileName: uri.path,
      model: choice.model,
      tokenizer: tokenizerForModel(choice.model).tokenizer,
      baseline: { kind: 'steady', label: STEADY_STATE },
      now: Date.now(),
      parsed,
    });
    if (!r.ok) return undefined;
    const rep = r.value.report,
      rendered = r.value.rendered;
    return {
      kind: 'file',
      uri,
      label: rel,
      model: choice.model.id,
      encoding: rep.tokenizer.encoding,
      ids: rendered.ids,
      tokenSource: rendered.tokenSource,
      tokens: rep.tokens,
      cached: rep.cachedTokens,
      exact: rep.tokenizer.exact,
      shares: [],
    };
  }

  async getChildren(node?: Node): Promise<Node[]> {
    // No prompt files: the view's welcome text (package.json viewsWelcome) says what counts as one.
    if (!node) return [...(await this.build())];
    return node.kind === 'file' ? node.shares : [];
  }

  /**
   * A row shows its figures at the default sidebar width: the file's name as the label (its folder, model and the
   * whole sentence in the tooltip), the cached share and size as the description.
   */
  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'share') {
      const item = new vscode.TreeItem(shortFileName(baseName(node.other.label), NAME_CHARS));
      item.iconPath = new vscode.ThemeIcon('git-merge');
      item.description = `${share(node.tokens, node.from.tokens)} shared`;
      item.tooltip = `The first ${count(node.tokens)} tokens of ${node.from.label} (${share(node.tokens, node.from.tokens)} of it) are the same as in ${node.other.label} (${node.from.model}): one request reads them from the cache the other wrote. Click to see where they part.`;
      item.command = {
        command: 'kvlens.revealOffset',
        title: 'Reveal where the prompts part',
        arguments: [node.from.uri, node.offset],
      };
      return item;
    }
    const item = new vscode.TreeItem(
      shortFileName(baseName(node.label), NAME_CHARS),
      node.shares.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.resourceUri = node.uri;
    item.description = share(node.cached, node.tokens);
    item.tooltip = `${node.label}: sent repeatedly, ${node.model} reads ${tokens(node.cached, node.exact)} of its ${tokens(node.tokens, node.exact)} tokens from cache (${share(node.cached, node.tokens)})${node.shares.length ? `; shares a prefix with ${node.shares.length} other prompt${node.shares.length > 1 ? 's' : ''}` : ''}.`;
    item.command = { command: 'vscode.open', title: 'Open', arguments: [node.uri] };
    item.contextValue = 'kvlens.promptFile';
    return item;
  }

  dispose(): void {
    this.watcher?.dispose();
    for (const t of this.queued.values()) clearTimeout(t);
    this.changed.dispose();
  }
}

/** The view's share nodes of a file (core's sharedPrefixes). */
function sharesOf(f: FileNode, others: Iterable<FileNode>): ShareNode[] {
  return sharedPrefixes(f, others).map((x) => ({
    kind: 'share',
    from: f,
    other: x.other,
    tokens: x.tokens,
    offset: x.offset,
  }));
}
