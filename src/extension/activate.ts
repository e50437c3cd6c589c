import * as vscode from 'vscode';
import { getTokenizer } from '../core/tokenizer/registry';
import { DocumentTokens } from './documentTokens';
import { PromptDocuments } from './promptDocuments';
import { affectsSettings, readSettings, type KvLensSettings } from './settings';
import { TokenCountStatusBar } from './statusBar';
import { CostHints } from './costHints';
import { UserCatalog } from './userCatalog';
import type { PromptCostResult } from '../core/pricing/promptCost';
import type { TokenizeWorker } from './tokenizeWorkerProtocol';

/** What the extension returns from activate(): used by the integration tests and by other extensions. */
export interface KvLensApi {
  /** From the first statement of our bundle to the end of activate(): module evaluation + activate(). */
  readonly activationMs: number;
  /** The part spent inside activate() itself. */
  readonly activateCallMs: number;
  /** Token count shown for the active editor, or undefined when no item is shown. */
  statusText(): string | undefined;
  /** The status bar tooltip (count, model, cost) as Markdown source. */
  statusTooltip(): string | undefined;
  /** Price of the active prompt once computed (debounced after edits). */
  costHint(): PromptCostResult | undefined;
  /** Problems in the user catalog of setting kvlens.catalogFile, as "file field: message". */
  catalogIssues(): string[];
}

/** Shared by the Node and the web entry points; `started` is performance.now() when the bundle began to load. */
export function activateKvLens(context: vscode.ExtensionContext, started: number, startTokenizeWorker?: () => TokenizeWorker): KvLensApi {
  const called = performance.now();
  let settings: KvLensSettings = readSettings();
  const prompts = new PromptDocuments(() => settings);
  const tokens = new DocumentTokens(() => settings.encoding, startTokenizeWorker);
  const statusBar = new TokenCountStatusBar();
  const catalog = new UserCatalog();
  const costs = new CostHints(catalog, () => settings.model);
  let shown = false;
  let lastCost: PromptCostResult | undefined;

  const refresh = (): void => {
    const editor = vscode.window.activeTextEditor;
    const doc = editor?.document;
    if (!doc || !prompts.isPrompt(doc)) { statusBar.hide(); shown = false; return; }
    try {
      const state = tokens.get(doc);
      if (!state) statusBar.showCounting(vscode.workspace.asRelativePath(doc.uri)); // big document: counted in the background
      else {
        lastCost = costs.get(doc);
        statusBar.show(state, getTokenizer(state.encoding)?.exact ?? false, vscode.workspace.asRelativePath(doc.uri), lastCost);
      }
    } catch (err) {
      statusBar.showError(err instanceof Error ? err.message : String(err));
    }
    shown = true;
  };

  context.subscriptions.push(
    tokens,
    tokens.onDidCompute((uri) => { if (uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) refresh(); }),
    statusBar,
    catalog,
    costs,
    catalog.onDidChange(() => { costs.invalidate(); refresh(); }),
    costs.onDidCompute((uri) => { if (uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) refresh(); }),
    prompts,
    prompts.onDidChange(refresh),
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.workspace.onDidChangeTextDocument((ev) => {
      if (!prompts.isPrompt(ev.document)) return;
      tokens.applyChange(ev);
      if (ev.document === vscode.window.activeTextEditor?.document) refresh();
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => { tokens.forget(doc); prompts.forget(doc); }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsSettings(e)) return;
      const before = settings;
      settings = readSettings();
      tokens.clear();
      costs.invalidate();
      if (settings.catalogFile !== before.catalogFile) void catalog.load(settings.catalogFile);
      refresh();
    }),
    vscode.commands.registerCommand('kvlens.inspectFile', () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc) { void vscode.window.showWarningMessage('KV Lens: open a file to inspect first.'); return false; }
      prompts.inspect(doc);
      return true;
    }),
    vscode.commands.registerCommand('kvlens.stopInspectingFile', () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (doc) prompts.stopInspecting(doc);
    }),
  );

  // The first count builds the encoding's rank table (~200 ms); do it right after activation rather than inside
  // it, so VS Code's activation (and every extension activating after us) is not held up.
  const first = setTimeout(refresh, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(first) });
  if (settings.catalogFile) void catalog.load(settings.catalogFile);
  const ended = performance.now();
  const activationMs = ended - started;
  const activateCallMs = ended - called;
  context.subscriptions.push(
    vscode.commands.registerCommand('kvlens.showActivationTime', () => {
      void vscode.window.showInformationMessage(`KV Lens activated in ${activationMs.toFixed(1)} ms (activate() ${activateCallMs.toFixed(1)} ms; the rest is loading the bundle and the host's own work in between)`);
      return activationMs;
    }),
  );
  return {
    activationMs,
    activateCallMs,
    statusText: () => (shown ? statusBar.text : undefined),
    statusTooltip: () => (shown ? statusBar.tooltipText : undefined),
    costHint: () => (shown ? lastCost : undefined),
    catalogIssues: () => catalog.issues.map((i) => `${i.file}${i.path ? ` ${i.path}` : ''}: ${i.message}`),
  };
}
