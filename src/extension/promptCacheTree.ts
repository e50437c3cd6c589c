import * as vscode from 'vscode';
import { documentReport } from '../core/analysis/documentReport';
import { fileModelCandidate } from '../core/analysis/fileModel';
import { chooseModel } from '../core/analysis/modelChoice';
import { STEADY_STATE } from '../core/analysis/versions';
import { tokenizerForModel } from '../core/pricing/modelTokenizer';
import { parsePrompt } from '../core/prompt/parse';
import type { ModelChoices } from './modelChoices';
import type { KvLensSettings } from './settings';
import type { UserCatalog } from './userCatalog';
import { workspacePrompts } from './workspacePrompts';
import { count, share } from './reportText';

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
interface ShareNode { readonly kind: 'share'; readonly from: FileNode; readonly other: FileNode; readonly tokens: number; readonly offset: number }
type Node = FileNode | ShareNode | { readonly kind: 'message'; readonly text: string };

function commonPrefix(a: Uint32Array, b: Uint32Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * The "Prompt Cache" view: the workspace's prompt files as the provider's cache would hold them — each file's cached
 * share when sent repeatedly, and which other prompts share a token prefix with it and for how long (a provider
 * serves that shared prefix of one from the other's cache entry, same model and tokenizer). Clicking a shared prefix
 * reveals where the two prompts part. Built when the view is shown, and again after files change.
 */
export class PromptCacheTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private files: FileNode[] | undefined;
  private building: Promise<void> | undefined;
  private stale = true;

  constructor(private readonly catalog: UserCatalog, private readonly settings: () => KvLensSettings, private readonly models: ModelChoices) {}

  /** Marks the view out of date (a file was saved, created or deleted; settings changed). */
  invalidate(): void {
    this.stale = true;
    this.changed.fire(undefined);
  }

  /** Builds the tree now (tests, and the view's first show). */
  async build(): Promise<readonly FileNode[]> {
    if (!this.stale && this.files) return this.files;
    this.building ??= this.scan().finally(() => { this.building = undefined; });
    await this.building;
    return this.files ?? [];
  }

  private async scan(): Promise<void> {
    this.stale = false;
    const s = this.settings();
    const catalog = this.catalog.current;
    const files: FileNode[] = [];
    for (const { uri, label: rel, text } of await workspacePrompts(s)) {
      const parsed = parsePrompt(text, { fileName: uri.path });
      const choice = chooseModel(catalog, this.models.candidates(uri, fileModelCandidate(parsed, text, rel), s.model));
      if (!choice.ok) continue;
      const r = documentReport({ text, fileName: uri.path, model: choice.model, tokenizer: tokenizerForModel(choice.model).tokenizer, baseline: { kind: 'steady', label: STEADY_STATE }, now: Date.now(), parsed });
      if (!r.ok) continue;
      const rep = r.value.report, rendered = r.value.rendered;
      files.push({ kind: 'file', uri, label: rel, model: choice.model.id, encoding: rep.tokenizer.encoding, ids: rendered.ids, tokenSource: rendered.tokenSource, tokens: rep.tokens, cached: rep.cachedTokens, exact: rep.tokenizer.exact, shares: [] });
    }
    for (const f of files) {
      for (const g of files) {
        if (f === g || f.encoding !== g.encoding || f.model !== g.model) continue;
        const n = commonPrefix(f.ids, g.ids);
        if (n >= 16) f.shares.push({ kind: 'share', from: f, other: g, tokens: n, offset: n < f.tokenSource.length ? f.tokenSource[n] : f.tokenSource[f.tokenSource.length - 1] ?? 0 });
      }
      f.shares.sort((a, b) => b.tokens - a.tokens);
    }
    files.sort((a, b) => a.label.localeCompare(b.label));
    this.files = files;
    this.changed.fire(undefined);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const files = await this.build();
      return files.length ? [...files] : [{ kind: 'message', text: 'No prompt files in this workspace' }];
    }
    return node.kind === 'file' ? node.shares : [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'message') return new vscode.TreeItem(node.text);
    if (node.kind === 'share') {
      const item = new vscode.TreeItem(`shares ${count(node.tokens)} tokens with ${node.other.label}`);
      item.iconPath = new vscode.ThemeIcon('git-merge');
      item.description = `${share(node.tokens, node.from.tokens)} of this prompt`;
      item.tooltip = `The first ${count(node.tokens)} tokens of ${node.from.label} are the same as in ${node.other.label} (${node.from.model}): one request reads them from the cache the other wrote. Click to see where they part.`;
      item.command = { command: 'kvlens.revealOffset', title: 'Reveal where the prompts part', arguments: [node.from.uri, node.offset] };
      return item;
    }
    const item = new vscode.TreeItem(node.label, node.shares.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.resourceUri = node.uri;
    item.description = `${node.exact ? '' : '≈'}${count(node.cached)}/${count(node.tokens)} cached (${share(node.cached, node.tokens)}) · ${node.model}`;
    item.tooltip = `${node.label}: sent repeatedly, ${node.model} reads ${count(node.cached)} of its ${count(node.tokens)} tokens from cache${node.shares.length ? `; shares a prefix with ${node.shares.length} other prompt${node.shares.length > 1 ? 's' : ''}` : ''}.`;
    item.command = { command: 'vscode.open', title: 'Open', arguments: [node.uri] };
    item.contextValue = 'kvlens.promptFile';
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
