import * as vscode from 'vscode';
import { placementsOf, warningMessage, type AgentContext } from '../../../core/agents';
import { joinPath } from '../../../core/agents/agentFs';
import type { Catalog } from '../../../core/pricing/catalog';
import type { AgentContextState, AgentFileView, HostToAgentsView } from '../../../protocol';
import type { AgentPlacements } from '../../analysis/agentPlacements';
import type { AgentPaths } from '../../workspace/agentFsVscode';
import { agentsMessage } from '../messageChecks';
import { panelHtml, panelOptions } from '../panelHtml';

/** Changes of instruction files are gathered this long before the folder is read again. */
const REFRESH_MS = 400;

/** The view's picture of a folder's agent context (pure; exported for the tests of the state). */
export function agentContextState(
  folder: string,
  ctx: AgentContext,
  catalog: Catalog,
  trusted: boolean,
  ms: number,
): AgentContextState {
  const inside = (p: string) => !/^(?:\.\.\/|\.\.$|\$|~|\/|[A-Za-z]:)/.test(p);
  return {
    folder,
    trusted,
    ms: Math.round(ms),
    problems: ctx.warnings.map((w) => `${w.path}${w.line ? `:${w.line}` : ''}: ${warningMessage(w)}`),
    harnesses: ctx.harnesses.map((h) => ({
      harness: h.harness,
      displayName: h.displayName,
      version: h.version,
      model: h.model,
      layers: h.layers,
      fixed: h.fixedLayers,
      role: h.instructions?.role ?? null,
      takesEffect: h.takesEffect,
      instructionTokens: h.instructions?.tokens ?? null,
      cost: h.cost,
      sessions: h.sessions ? { count: h.sessions.count, medianRequests: h.sessions.medianRequests } : null,
      warnings: h.warnings.length,
      files: h.files.map((f): AgentFileView => ({
        path: f.path,
        kind: f.kind,
        loaded: f.loaded,
        role: f.role,
        tokens: f.tokens,
        bytesLost: f.bytesLost,
        order: f.order,
        costUsd:
          f.loaded === 'always'
            ? (placementsOf(ctx, f.abs, catalog).find((p) => p.harness === h.harness)?.cost?.totalUsd ?? null)
            : null,
        openable: inside(f.path),
      })),
    })),
  };
}

/**
 * The "Agent Context" view (Explorer): per coding agent, its request as a stacked bar — system prompt and tools, each
 * instruction file, environment, conversation — with the cached prefix marked, each file's tokens and cost per
 * session; a click opens the file. Reads the whole folder (not only an open file's way), when visible, again after
 * instruction files change. The webview app is webview/agents/.
 */
export class AgentContextView implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly id = 'kvlens.agentContext';
  private view: vscode.WebviewView | undefined;
  private state: AgentContextState | undefined;
  private stale = true;
  private folderShown: string | undefined;
  private where: { dir: string; paths: AgentPaths } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private computing: Promise<AgentContextState | undefined> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly placements: AgentPlacements,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = panelOptions(this.extensionUri);
    view.webview.html = panelHtml(view.webview, this.extensionUri, { app: 'agents', title: 'KV Lens: Agent Context' });
    view.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m));
    view.onDidChangeVisibility(() => {
      if (view.visible) this.changed(0);
    });
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
    this.changed(0);
  }

  /** Something the picture depends on changed: read again (now when visible, at the next look otherwise). */
  changed(delay = REFRESH_MS): void {
    this.stale = true;
    if (!this.view?.visible) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.currentState().then((s) => this.post(s));
    }, delay);
  }

  /** The active editor moved to another workspace folder: the view follows it. */
  followActive(): void {
    const f = this.folder();
    if (f && f.toString() !== this.folderShown) this.changed(0);
  }

  /** The current picture (computed now if anything changed since). */
  async currentState(): Promise<AgentContextState | undefined> {
    const folder = this.folder();
    if (!folder) return undefined;
    if (!this.stale && this.state && this.folderShown === folder.toString()) return this.state;
    if (this.computing) return this.computing;
    this.computing = (async () => {
      this.stale = false;
      try {
        const { ctx, paths, trusted, catalog, ms } = await this.placements.folderContext(folder);
        this.where = { dir: ctx.dir, paths };
        this.folderShown = folder.toString();
        return (this.state = agentContextState(
          vscode.workspace.getWorkspaceFolder(folder)?.name ?? folder.path.split('/').pop() ?? '',
          ctx,
          catalog,
          trusted,
          ms,
        ));
      } finally {
        this.computing = undefined;
      }
    })();
    return this.computing;
  }

  private folder(): vscode.Uri | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    const f = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
    return f?.uri;
  }

  private async post(state: AgentContextState | undefined): Promise<void> {
    if (state && this.view) await this.view.webview.postMessage({ type: 'state', state } satisfies HostToAgentsView);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = agentsMessage(raw);
    if (!m) return;
    switch (m.type) {
      case 'ready':
        await this.post(this.state ?? (await this.currentState()));
        return;
      case 'refresh':
        this.changed(0);
        return;
      case 'openFile': {
        if (!this.where) return;
        const uri = this.where.paths.uriOf(joinPath(this.where.dir, m.file));
        await vscode.window.showTextDocument(uri, { preview: false }).then(
          () => undefined,
          (e: Error) => vscode.window.showWarningMessage(`KV Lens: ${m.file}: ${e.message}`),
        );
        return;
      }
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
