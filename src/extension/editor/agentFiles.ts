import * as vscode from 'vscode';
import { warningMessage, type FilePlacement } from '../../core/agents';
import type { Catalog } from '../../core/pricing/catalog';
import type { AgentContextState } from '../../protocol';
import { AgentPlacements, type AgentHost } from '../analysis/agentPlacements';
import { AgentContextView } from '../webviews/agents/agentContextView';
import { AgentDecorations } from './agentDecorations';
import { AgentDiagnostics, AgentFixes } from './agentDiagnostics';
import { AgentHover } from './agentHover';
import { AgentLenses } from './agentLenses';
import { AgentStatusBar } from './agentStatusBar';
import { costDetail, costText, effectText, ordered, tokensText, whereText } from './agentText';

/** An open instruction file's placement as the tests and other extensions read it (`KvLensApi.agentPlacement`). */
export interface AgentPlacementInfo {
  readonly file: string;
  readonly version: number;
  readonly placements: readonly FilePlacement[];
  /** Codex started in the file's own folder (a nested AGENTS.md). */
  readonly nested: { readonly folder: string; readonly placement: FilePlacement } | null;
  readonly warnings: readonly { code: string; line: number | null; harness: string | null; message: string }[];
  readonly ranges: { sent: [number, number][]; cut: { start: number; end: number; harness: string; why: string }[] };
  readonly trusted: boolean;
  /** Discovery and placement (ms), and for the first placement the time from opening the file to it. */
  readonly ms: number;
  readonly shownMs?: number;
  readonly foldersListed: number;
  readonly filesRead: number;
}

export interface AgentFilesApi {
  /** The placement of an open instruction file (the active editor's by default) once it is current. */
  agentPlacement(uri?: vscode.Uri): Promise<AgentPlacementInfo | undefined>;
  /** The agent status bar item's text while shown. */
  agentStatusText(): string | undefined;
  agentStatusTooltip(): string | undefined;
  /** What the Agent Context view shows (computed for the active editor's folder when the view is closed). */
  agentContext(): Promise<AgentContextState | undefined>;
  /** Tests: count the user's agent sessions again. */
  forgetAgentSessions(): void;
}

export interface AgentFilesDeps {
  readonly extensionUri: vscode.Uri;
  readonly host: AgentHost;
  readonly catalog: () => Catalog;
  readonly onCatalogChange: vscode.Event<void>;
  readonly settings: () => { readonly tint: boolean; readonly codeLens: boolean; readonly hover: boolean };
  readonly log: Pick<vscode.LogOutputChannel, 'info' | 'debug' | 'warn'>;
}

/**
 * Agent instruction files in the editor (issue 24): an open CLAUDE.md, AGENTS.md, Copilot instructions, Cursor rule,
 * skill or sub-agent is placed in each coding agent's request, and the lens, status bar, tint, hover, diagnostics,
 * fixes and the Agent Context view show it. This wires the parts to the editor's events; each part has one job.
 */
export function registerAgentFiles(deps: AgentFilesDeps): { disposables: vscode.Disposable[]; api: AgentFilesApi } {
  const placements = new AgentPlacements({ host: deps.host, catalog: deps.catalog, log: deps.log });
  const status = new AgentStatusBar();
  const decorations = new AgentDecorations(deps.settings().tint);
  const diagnostics = new AgentDiagnostics();
  const lenses = new AgentLenses(placements, () => deps.settings().codeLens);
  const view = new AgentContextView(deps.extensionUri, placements);

  const refreshStatus = () => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !placements.isInstructionFile(doc)) return status.hide();
    placements.look(doc);
    const a = placements.last(doc);
    if (a) status.show(a);
  };
  const lookAtVisible = () => {
    for (const e of vscode.window.visibleTextEditors) {
      if (!placements.isInstructionFile(e.document)) continue;
      placements.look(e.document);
      const a = placements.get(e.document);
      if (a) decorations.apply(e, a);
    }
  };
  // Files on disk that may be instruction files or imports: another program's edit, a checkout, a new rule.
  const watcher = vscode.workspace.createFileSystemWatcher('**/{*.md,*.mdc,.cursorrules}');
  const onDisk = (created: boolean) => (uri: vscode.Uri) => {
    placements.fileChanged(uri, created);
    view.changed();
  };

  const disposables: vscode.Disposable[] = [
    placements,
    status,
    decorations,
    diagnostics,
    view,
    watcher,
    watcher.onDidCreate(onDisk(true)),
    watcher.onDidDelete(onDisk(true)),
    watcher.onDidChange(onDisk(false)),
    placements.onDidPlace((doc) => {
      const a = placements.get(doc) ?? placements.last(doc);
      if (!a) return;
      diagnostics.update(doc, a);
      for (const e of vscode.window.visibleTextEditors) if (e.document === doc) decorations.apply(e, a);
      if (doc === vscode.window.activeTextEditor?.document) status.show(a);
      lenses.refresh();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => {
      refreshStatus();
      view.followActive();
    }),
    vscode.window.onDidChangeVisibleTextEditors(lookAtVisible),
    vscode.workspace.onDidChangeTextDocument((ev) => {
      if (ev.contentChanges.length === 0) return;
      placements.changed(ev.document);
      if (placements.isInstructionFile(ev.document)) view.changed();
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => placements.fileChanged(doc.uri, false)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      placements.forget(doc);
      diagnostics.clear(doc.uri);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      placements.invalidateAll();
      view.changed();
    }),
    deps.onCatalogChange(() => {
      placements.invalidateAll();
      view.changed();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('kvlens.decorations.tint') && decorations.setTint(deps.settings().tint))
        for (const ed of vscode.window.visibleTextEditors) {
          const a = placements.get(ed.document);
          if (a) decorations.apply(ed, a);
        }
      if (e.affectsConfiguration('files.exclude')) placements.invalidateAll();
      if (e.affectsConfiguration('kvlens.codeLens')) lenses.refresh();
    }),
    vscode.languages.registerCodeLensProvider({ scheme: '*' }, lenses),
    vscode.languages.registerHoverProvider({ scheme: '*' }, new AgentHover(placements, () => deps.settings().hover)),
    vscode.languages.registerCodeActionsProvider({ scheme: '*' }, new AgentFixes(placements), {
      providedCodeActionKinds: AgentFixes.kinds,
    }),
    vscode.window.registerWebviewViewProvider(AgentContextView.id, view),
    vscode.commands.registerCommand('kvlens.showAgentContext', () =>
      vscode.commands.executeCommand(`${AgentContextView.id}.focus`),
    ),
    vscode.commands.registerCommand('kvlens.agentPlacements', (uri?: vscode.Uri) => pickPlacement(placements, uri)),
  ];
  // The files already open when KV Lens starts.
  const first = setTimeout(() => {
    lookAtVisible();
    refreshStatus();
  }, 0);
  // A workspace with instruction files at a folder's root gets its tokenizers built in the background, so the first
  // instruction file opened is placed without waiting for them.
  const warm = setTimeout(() => void warmWhenUseful(placements), WARM_AFTER_MS);
  disposables.push({ dispose: () => (clearTimeout(first), clearTimeout(warm)) });

  const docOf = (uri?: vscode.Uri) =>
    uri
      ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())
      : vscode.window.activeTextEditor?.document;
  const api: AgentFilesApi = {
    async agentPlacement(uri) {
      const doc = docOf(uri);
      const a = doc && (await placements.current(doc));
      if (!a) return undefined;
      return {
        file: a.label,
        version: a.version,
        placements: a.placements,
        nested: a.nested ? { folder: a.nested.folder, placement: a.nested.placement } : null,
        warnings: [...a.warnings, ...(a.nested?.warnings ?? [])].map((w) => ({
          code: w.code,
          line: w.line,
          harness: w.harness,
          message: warningMessage(w),
        })),
        ranges: {
          sent: a.ranges.sent.map(([s, e]) => [s, e]),
          cut: a.ranges.cut.map((c) => ({ start: c.start, end: c.end, harness: c.harness, why: c.why })),
        },
        trusted: a.trusted,
        ms: a.ms,
        ...(a.shownMs !== undefined ? { shownMs: a.shownMs } : {}),
        foldersListed: a.ctx.stats.dirsListed,
        filesRead: a.ctx.stats.filesRead,
      };
    },
    agentStatusText: () => status.text,
    agentStatusTooltip: () => (status.text ? status.tooltipText : undefined),
    agentContext: () => view.currentState(),
    forgetAgentSessions: () => placements.forgetSessions(),
  };
  return { disposables, api };
}

const WARM_AFTER_MS = 1500;
const ROOT_FILES = [
  'CLAUDE.md',
  'AGENTS.md',
  'GEMINI.md',
  '.github/copilot-instructions.md',
  '.cursor/rules',
  '.claude',
];

async function warmWhenUseful(placements: AgentPlacements): Promise<void> {
  for (const f of vscode.workspace.workspaceFolders ?? [])
    for (const name of ROOT_FILES) {
      const found = await vscode.workspace.fs.stat(vscode.Uri.joinPath(f.uri, name)).then(
        () => true,
        () => false,
      );
      if (found) return placements.tokenizersReady({}, true);
    }
}

/** Every agent's view of the file, one quick-pick item each; choosing one opens the Agent Context view. */
async function pickPlacement(placements: AgentPlacements, uri?: vscode.Uri): Promise<void> {
  const doc = uri
    ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())
    : vscode.window.activeTextEditor?.document;
  const a = doc && (await placements.current(doc));
  if (!a) {
    void vscode.window.showInformationMessage('KV Lens: the active file is not an agent instruction file.');
    return;
  }
  const items = ordered(a).map((p) => ({
    label: `$(hubot) ${p.displayName}`,
    description: p.loaded === 'never' ? 'not loaded' : `${tokensText(p)}${costText(p) ? ` · ${costText(p)}` : ''}`,
    detail: [whereText(p, a), ...(p.loaded === 'never' ? [] : [effectText(p), costDetail(p) ?? ''])]
      .filter(Boolean)
      .join(' — '),
  }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: `KV Lens: ${a.label} in each coding agent's request`,
    matchOnDetail: true,
  });
  if (chosen) await vscode.commands.executeCommand('kvlens.showAgentContext');
}
