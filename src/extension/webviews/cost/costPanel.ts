import * as vscode from 'vscode';
import type { BaselineInput } from '../../../core/analysis/documentReport';
import { STEADY_STATE } from '../../../core/analysis/versions';
import { promptCost, workspaceCost } from '../../../core/pricing/costReportState';
import type { ModelInfo } from '../../../core/pricing/types';
import { MAX_ANALYZED_CHARS } from '../../../core/prompt/parse';
import { preloadEncoding } from '../../../core/tokenizer/openAiEncodings';
import type { CostInputsView, CostReportState, CostViewToHost, HostToCostView } from '../../../protocol';
import type { CacheAnalyses } from '../../analysis/cacheAnalyses';
import type { PromptDocuments } from '../../analysis/promptDocuments';
import type { KvLensSettings } from '../../settings/settings';
import type { UserCatalog } from '../../pricing/userCatalog';
import { readWorkspaceText } from '../../workspace/workspaceFiles';
import { workspacePrompts, type HeadReader } from '../../workspace/workspacePrompts';
import { costMessage } from '../messageChecks';
import { panelHtml, panelOptions } from '../panelHtml';
import { pickModels } from '../../commands/pickers';

export const VIEW_TYPE = 'kvlens.costReport';
const LAST_MODELS = 'kvlens.costReport.models';
const DEFAULT_INPUTS: CostInputsView = { callsPerHour: 60, outputTokens: 500, ttl: {} };

/** What a report is about; kept in the webview state, so a reload restores the same report. */
export interface CostReportSubject {
  readonly scope: 'file' | 'selection' | 'workspace';
  readonly uri?: string;
  readonly text?: string;
  readonly models: readonly string[];
  readonly inputs: CostInputsView;
}

/**
 * The cost report panel (host side): computes every figure with core's estimateCost — the function `kvlens cost`
 * prints — and sends it to webview/cost; recomputes when the inputs in the panel change.
 */
export class CostReportPanel {
  private static current: CostReportPanel | undefined;
  private subject: CostReportSubject;
  private lastState: CostReportState | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    subject: CostReportSubject,
    private readonly deps: CostDeps,
  ) {
    this.subject = subject;
    panel.webview.options = panelOptions(deps.extensionUri);
    panel.webview.html = panelHtml(panel.webview, deps.extensionUri, { app: 'cost', title: 'KV Lens: cost estimate' });
    // A neutral chart, not the red cache-break mark: the report is not an error.
    panel.iconPath = {
      light: vscode.Uri.joinPath(deps.extensionUri, 'media/icons/cost-light.svg'),
      dark: vscode.Uri.joinPath(deps.extensionUri, 'media/icons/cost-dark.svg'),
    };
    panel.webview.onDidReceiveMessage((m: unknown) => {
      const msg = costMessage(m);
      if (msg) void this.onMessage(msg);
    });
    panel.onDidDispose(() => {
      if (CostReportPanel.current === this) CostReportPanel.current = undefined;
    });
  }

  /** Opens (or reuses) the report for a subject; resolves with what it shows. */
  static async show(
    deps: CostDeps,
    subject: Omit<CostReportSubject, 'inputs' | 'models'> & { models?: readonly string[] },
  ): Promise<CostReportState> {
    const models = subject.models ?? deps.memento.get<string[]>(LAST_MODELS) ?? [];
    const inputs = CostReportPanel.current?.subject.inputs ?? DEFAULT_INPUTS;
    const full: CostReportSubject = { ...subject, models, inputs };
    let p = CostReportPanel.current;
    if (p) {
      p.subject = full;
      p.panel.reveal(vscode.ViewColumn.Beside, true);
    } else {
      const panel = vscode.window.createWebviewPanel(
        VIEW_TYPE,
        'KV Lens: Cost',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        panelOptions(deps.extensionUri),
      );
      p = CostReportPanel.current = new CostReportPanel(panel, full, deps);
    }
    return p.refresh();
  }

  /** A panel VS Code restores after a reload, with the subject its webview saved. */
  static restore(panel: vscode.WebviewPanel, saved: { state?: CostReportState } | undefined, deps: CostDeps): void {
    // The webview saved what it showed; the same report is computed again (a selection comes back as its file).
    const st = saved?.state;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const subject: CostReportSubject = st
      ? {
          scope: st.scope === 'workspace' ? 'workspace' : 'file',
          uri: st.file && folder ? vscode.Uri.joinPath(folder, st.file).toString() : undefined,
          models: st.models.map((m) => m.model),
          inputs: st.inputs,
        }
      : { scope: 'workspace', models: deps.memento.get<string[]>(LAST_MODELS) ?? [], inputs: DEFAULT_INPUTS };
    CostReportPanel.current?.panel.dispose();
    CostReportPanel.current = new CostReportPanel(panel, subject, deps);
    void CostReportPanel.current.refresh();
  }

  static get visible(): CostReportPanel | undefined {
    return CostReportPanel.current;
  }
  /** The models last compared (the quick pick starts from them). */
  static lastModels(deps: CostDeps): readonly string[] {
    return deps.memento.get<string[]>(LAST_MODELS) ?? [];
  }
  static async remember(deps: CostDeps, models: readonly string[]): Promise<void> {
    await deps.memento.update(LAST_MODELS, [...models]);
  }
  get state(): CostReportState | undefined {
    return this.lastState;
  }

  /** Tests and the palette: change the inputs as the panel's fields would. */
  async setInputs(inputs: CostInputsView): Promise<CostReportState> {
    this.subject = { ...this.subject, inputs };
    return this.refresh();
  }

  /** Every message the report sends (src/protocol.ts), each handled: the lint's exhaustiveness check keeps it so. */
  private async onMessage(m: CostViewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        if (this.lastState) await this.post(this.lastState);
        return;
      case 'inputs':
        await this.setInputs(m.inputs);
        return;
      case 'pickModels': {
        const picked = await pickModels(this.deps.catalog.current, this.subject.models);
        if (!picked) return;
        await this.deps.memento.update(LAST_MODELS, picked);
        this.subject = { ...this.subject, models: picked };
        await this.refresh();
        return;
      }
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        void vscode.window.setStatusBarMessage(
          `KV Lens: cost table copied as ${m.format === 'csv' ? 'CSV' : 'Markdown'}`,
          4000,
        );
        return;
      case 'openSource':
        if (/^https:\/\//.test(m.url)) await vscode.env.openExternal(vscode.Uri.parse(m.url));
        return;
      case 'openFile': {
        const folder = vscode.workspace.workspaceFolders?.[0];
        if (!folder) return;
        const editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, m.file), {
          viewColumn: vscode.ViewColumn.One,
        });
        if (m.line) {
          const pos = new vscode.Position(Math.min(m.line - 1, editor.document.lineCount - 1), 0);
          editor.selection = new vscode.Selection(pos, pos);
          editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
        }
        return;
      }
    }
  }

  private async post(state: CostReportState): Promise<void> {
    const msg: HostToCostView = { type: 'state', state };
    await this.panel.webview.postMessage(msg);
  }

  private async refresh(): Promise<CostReportState> {
    const state = await buildState(this.subject, this.deps);
    this.lastState = state;
    this.panel.title =
      state.scope === 'workspace' ? 'KV Lens: Workspace Cost' : `KV Lens: Cost — ${state.file?.split('/').pop() ?? ''}`;
    await this.post(state);
    return state;
  }
}

export interface CostDeps {
  readonly extensionUri: vscode.Uri;
  readonly catalog: UserCatalog;
  readonly settings: () => KvLensSettings;
  readonly memento: vscode.Memento;
  readonly readHead?: HeadReader;
  /**
   * The baseline the editor's report of this file is against (its status bar's), or undefined when the file is not
   * open as a prompt: the report prices the next call against the same one, and names it.
   */
  readonly baselineOf?: (uri: vscode.Uri) => Promise<BaselineInput | undefined>;
}

/** The steady state the workspace's monthly bills assume: each prompt sent again unchanged. */
const WORKSPACE_BASELINE = { kind: 'steady', label: STEADY_STATE } as const;

/**
 * The baseline the editor's report of an open prompt is against — the analysis's own (the steady state when the
 * baseline text could not be read, as the report then fell back to it); undefined for a file not open as a prompt.
 */
export async function editorBaseline(
  analyses: Pick<CacheAnalyses, 'current'>,
  prompts: Pick<PromptDocuments, 'isPrompt'>,
  uri: vscode.Uri,
): Promise<BaselineInput | undefined> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const a = doc && prompts.isPrompt(doc) ? await analyses.current(doc) : undefined;
  if (!a?.result.ok) return undefined;
  return a.result.value.baselineProblem ? { kind: 'steady', label: STEADY_STATE } : a.baseline;
}

/** The report's figures for a subject: per model for one prompt, or prompt files × models for the workspace. */
async function buildState(s: CostReportSubject, deps: CostDeps): Promise<CostReportState> {
  const catalog = deps.catalog.current;
  const settings = deps.settings();
  const problems: string[] = [];
  const models: ModelInfo[] = [];
  for (const id of s.models) {
    const f = catalog.find(id);
    if (f.ok) models.push(f.model);
    else problems.push(f.message);
  }
  await preloadEncoding('o200k_base').catch(() => undefined);
  for (const m of models) await preloadEncoding(m.encoding).catch(() => undefined);

  const context = { catalog, models, defaultModel: settings.model, assumptions: s.inputs, now: Date.now() };
  if (s.scope === 'workspace') {
    const prompts = await workspacePrompts(settings, (file, why) => problems.push(`${file}: ${why}`), deps.readHead);
    const workspace = workspaceCost(
      prompts.map((p) => ({ label: p.label, path: p.uri.path, text: p.text })),
      context,
      problems,
    );
    return {
      title: `Workspace: ${prompts.length} prompt file${prompts.length === 1 ? '' : 's'}`,
      scope: 'workspace',
      baseline: WORKSPACE_BASELINE,
      inputs: s.inputs,
      models: [],
      workspace,
      problems,
    };
  }

  const uri = s.uri ? vscode.Uri.parse(s.uri) : undefined;
  const doc = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : undefined;
  let text = s.text;
  if (text === undefined && uri) {
    if (doc) text = doc.getText();
    else {
      const read = await readWorkspaceText(uri, { maxBytes: MAX_ANALYZED_CHARS });
      if (read.ok) text = read.text;
      else problems.push(`${uri.path}: ${read.message}`);
    }
  }
  const label = uri ? vscode.workspace.asRelativePath(uri, false) : 'selection';
  // A selection is no version of the file: only the whole file is priced against what was sent before.
  const baseline = s.scope === 'file' && uri && text !== undefined ? await deps.baselineOf?.(uri) : undefined;
  const views =
    text === undefined
      ? []
      : promptCost(
          { label, path: uri?.path ?? 'selection.prompt.md', text },
          baseline ? { ...context, baseline } : context,
          problems,
        );
  return {
    title: s.scope === 'selection' ? `Selection of ${label}` : label,
    scope: s.scope,
    file: label,
    ...(baseline ? { baseline: { kind: baseline.kind, label: baseline.label } } : {}),
    inputs: s.inputs,
    models: views,
    problems,
  };
}
