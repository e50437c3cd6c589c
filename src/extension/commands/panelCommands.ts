import * as vscode from 'vscode';
import type { AttentionStatus, CostReportState, ReplayReportState } from '../../protocol';
import type { CacheAnalyses } from '../analysis/cacheAnalyses';
import { pickAttentionModel, pickModels } from './pickers';
import type { KvLensSettings } from '../settings/settings';
import type { UserCatalog } from '../pricing/userCatalog';
import type { AttentionModelChoice } from '../webviews/attention/attentionModels';
import { ATTENTION_VIEW, AttentionPanel, type AttentionDeps } from '../webviews/attention/attentionPanel';
import { CostReportPanel, VIEW_TYPE as COST_VIEW, type CostDeps } from '../webviews/cost/costPanel';
import { REPLAY_VIEW, ReplayPanel, replayDocument } from '../webviews/replay/replayPanel';

export interface PanelCommandParts {
  readonly extensionUri: vscode.Uri;
  readonly host: 'node' | 'web';
  readonly analyses: CacheAnalyses;
  readonly catalog: UserCatalog;
  readonly settings: () => KvLensSettings;
  readonly cost: CostDeps;
  readonly attention: AttentionDeps;
}

/** "KV Lens: Estimate Cost": the active file (or its selection), or the workspace; models from a quick pick. */
async function estimateCost(
  p: PanelCommandParts,
  args?: { models?: string[]; scope?: 'file' | 'selection' | 'workspace' },
): Promise<CostReportState | undefined> {
  const editor = vscode.window.activeTextEditor;
  const scope = args?.scope ?? (!editor ? 'workspace' : editor.selection.isEmpty ? 'file' : 'selection');
  let models = args?.models;
  if (!models) {
    const last = CostReportPanel.lastModels(p.cost);
    const own = editor ? p.analyses.last(editor.document)?.model : undefined;
    const start = last.length ? last : own?.ok ? [own.model.id] : [];
    models = await pickModels(p.catalog.current, start);
    if (!models) return undefined;
    await CostReportPanel.remember(p.cost, models);
  }
  const doc = editor?.document;
  return CostReportPanel.show(p.cost, {
    scope,
    models,
    ...(scope !== 'workspace' && doc ? { uri: doc.uri.toString() } : {}),
    ...(scope === 'selection' && editor ? { text: doc!.getText(editor.selection) } : {}),
  });
}

/** "KV Lens: Replay Usage Log" with progress and cancel, into the replay panel. */
async function replayLog(p: PanelCommandParts, uri?: vscode.Uri): Promise<ReplayReportState | undefined> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showWarningMessage(
      'KV Lens: open a JSONL usage log first (one request and its response usage per line).',
    );
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(target);
  const state = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `KV Lens: replaying ${vscode.workspace.asRelativePath(target, false)}`,
      cancellable: true,
    },
    (progress, token) => {
      let last = 0;
      return replayDocument(doc, p.catalog.current, p.settings().model, token, (done, total) => {
        const pctDone = Math.floor((100 * done) / total);
        if (pctDone > last) {
          progress.report({ increment: pctDone - last, message: `${done} of ${total} lines` });
          last = pctDone;
        }
      });
    },
  );
  if (!state) return undefined;
  if (!state.summary.requests) {
    void vscode.window.showWarningMessage(
      `KV Lens: ${state.file} has no request with a usable body${state.summary.problems[0] ? ` (line ${state.summary.problems[0].line}: ${state.summary.problems[0].message})` : ''}.`,
    );
  }
  ReplayPanel.show(p.extensionUri, target, state);
  return state;
}

/** The panels: cost report, replay report, attention — their commands and the serializers that restore them. */
export function registerPanelCommands(p: PanelCommandParts): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'kvlens.estimateCost',
      (args?: { models?: string[]; scope?: 'file' | 'selection' | 'workspace' }) => estimateCost(p, args),
    ),
    vscode.commands.registerCommand('kvlens.estimateWorkspaceCost', (args?: { models?: string[] }) =>
      estimateCost(p, { ...args, scope: 'workspace' }),
    ),
    vscode.window.registerWebviewPanelSerializer(COST_VIEW, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, saved: { state?: CostReportState } | undefined) =>
        CostReportPanel.restore(panel, saved, p.cost),
    }),
    vscode.commands.registerCommand('kvlens.replayLog', (uri?: vscode.Uri) => replayLog(p, uri)),
    vscode.window.registerWebviewPanelSerializer(REPLAY_VIEW, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, saved: { state?: ReplayReportState } | undefined) =>
        ReplayPanel.restore(panel, p.extensionUri, saved),
    }),
    vscode.commands.registerCommand('kvlens.showAttention', () => {
      AttentionPanel.show(p.attention, vscode.window.activeTextEditor);
    }),
    vscode.commands.registerCommand('kvlens.chooseAttentionModel', async (choice?: AttentionModelChoice) => {
      // Tests and other extensions pass the choice; people get the quick pick.
      const picked = choice ?? (await pickAttentionModel(p.host === 'node'));
      if (!picked) return false;
      const panel = AttentionPanel.open ?? AttentionPanel.show(p.attention, vscode.window.activeTextEditor);
      return panel.useModel(picked);
    }),
    // The attention panel's last run; with `want`, the next one that matches (tests, other extensions).
    vscode.commands.registerCommand(
      'kvlens.attentionStatus',
      (want?: {
        tokens?: number;
        reused?: number;
        model?: string;
        layer?: number;
        boundary?: boolean;
        /** Compared with a full run (a run that reused the cache is, once it has been). */
        verified?: boolean;
        /** The first heat map's start: 'cold', 'reopen' or 'reload'. */
        kind?: 'cold' | 'reopen' | 'reload';
      }): Promise<AttentionStatus | undefined> | undefined =>
        AttentionPanel.open?.lastStatus(
          want &&
            ((s) =>
              (want.tokens === undefined || s.tokens === want.tokens) &&
              (want.reused === undefined || s.reused >= want.reused) &&
              (want.model === undefined || s.model.startsWith(want.model)) &&
              (want.layer === undefined || s.layer === want.layer) &&
              (!want.boundary || s.prefixShare !== null) &&
              (!want.verified || s.maxAbsDiffLogits !== null) &&
              (want.kind === undefined || s.startup?.kind === want.kind)),
        ),
    ),
    vscode.window.registerWebviewPanelSerializer(ATTENTION_VIEW, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => AttentionPanel.restore(panel, p.attention),
    }),
  ];
}
