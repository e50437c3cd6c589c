import * as vscode from 'vscode';
import { Baselines } from './baseline/baselines';
import { GitBaseline } from './baseline/gitBaseline';
import { SendRecords } from './baseline/sendRecords';
import { CacheAnalyses, type Analysis } from './analysis/cacheAnalyses';
import { loadCalibration } from './settings/calibrationSetting';
import { CacheDiagnostics, CacheFixes } from './editor/cacheDiagnostics';
import { Clock } from './analysis/clock';
import { CacheDecorations } from './editor/decorations';
import { DocumentTokens } from './tokenize/documentTokens';
import { PickedModels } from './settings/pickedModels';
import { EditorViews } from './editor/editorViews';
import { registerPanelCommands } from './commands/panelCommands';
import { recordAsSent, registerPromptCommands } from './commands/promptCommands';
import { PromptCacheTree } from './views/promptCacheTree';
import type { HeadReader } from './workspace/workspacePrompts';
import { PromptDocuments } from './analysis/promptDocuments';
import { BreakpointHints, PromptLenses } from './editor/promptLenses';
import { affectsSettings, FolderSettings, type KvLensSettings } from './settings/settings';
import { CacheStatusBar } from './editor/statusBar';
import { TokenHover } from './editor/tokenHover';
import type { TokenizeWorker } from './tokenize/workerProtocol';
import { UserCatalog } from './pricing/userCatalog';
import { PriceUpdates } from './pricing/priceUpdates';
import { registerPriceCommands } from './commands/priceCommands';
import { ExactCounts, registerExactCounts } from './commands/exactCounts';
import { registerActivationCommand } from './commands/activationCommand';
import { registerAgentSessions } from './commands/agentSessionCommands';
import type { AgentSessionSource } from './views/agentSessions';
import { CostReportPanel, editorBaseline, type CostDeps } from './webviews/cost/costPanel';
import { registerCodePrompts } from './editor/codePrompts';
import type { AttentionDeps } from './webviews/attention/attentionPanel';
import type { Downloader } from './webviews/attention/attentionModels';
import type { CostInputsView, CostReportState } from '../protocol';
import { registerAgentFiles, type AgentFilesApi } from './editor/agentFiles';
import type { AgentHost } from './analysis/agentPlacements';

/** performance.now() at the first and the last statement of the bundle (stamped by scripts/build.mjs). */
export interface LoadStamps {
  readonly start: number;
  readonly end: number;
}

export function loadStamps(): LoadStamps {
  const g = globalThis as { __kvlensLoadStart?: number; __kvlensLoadEnd?: number };
  const now = performance.now();
  return { start: g.__kvlensLoadStart ?? now, end: g.__kvlensLoadEnd ?? g.__kvlensLoadStart ?? now };
}

/** What the extension returns from activate(): used by the integration tests and by other extensions. */
export interface KvLensApi extends AgentFilesApi {
  /** From the first statement of our bundle to the end of activate(), including the host's work in between. */
  readonly activationMs: number;
  /** Evaluating the bundle (first to last statement). */
  readonly bundleLoadMs: number;
  /** The part spent inside activate() itself. */
  readonly activateCallMs: number;
  /** Which extension host runs KV Lens: Node (desktop, code-server) or the browser's web worker (vscode.dev). */
  readonly host: 'node' | 'web';
  /** Status bar text for the active editor, or undefined when no item is shown. */
  statusText(): string | undefined;
  /** The status bar tooltip as Markdown source. */
  statusTooltip(): string | undefined;
  /** Problems in the user catalog of setting kvlens.catalogFile, as "file field: message". */
  catalogIssues(): string[];
  /** Tests: moves the extension's clock by `ms` from real time (recorded sends expire) and re-analyzes. */
  setClockOffset(ms: number): void;
  /** `kvlens code --json` of a source file's LLM calls as the editor read them (the active editor's by default). */
  codeReport(uri?: vscode.Uri): Promise<unknown>;
  /** What the cost report panel shows now (undefined when it is closed). */
  costReport(): CostReportState | undefined;
  /** Tests: change the cost report's inputs as its fields would; resolves with the recomputed state. */
  setCostInputs(inputs: CostInputsView): Promise<CostReportState | undefined>;
  /**
   * The "Prompt Cache" view's content: each prompt file, its cached share and the prefixes it shares; `rescan` false
   * reads the view as it stands (kept current file by file).
   */
  promptCache(rescan?: boolean): Promise<
    {
      file: string;
      model: string;
      tokens: number;
      cachedTokens: number;
      shares: { file: string; tokens: number; offset: number }[];
    }[]
  >;
}

/**
 * The composition root, shared by the Node and the web entry points: it builds the parts and connects them (events to
 * the editor views, commands to their modules); the logic lives in those modules.
 */
export function activateKvLens(
  context: vscode.ExtensionContext,
  loaded: LoadStamps,
  host: 'node' | 'web',
  startTokenizeWorker?: () => TokenizeWorker,
  downloader?: Downloader,
  agentSessions?: AgentSessionSource,
  readHead?: HeadReader,
  agentHost: AgentHost = {},
): KvLensApi {
  const called = performance.now();
  const folderSettings = new FolderSettings();
  let settings: KvLensSettings = folderSettings.current;
  const settingsFor = (uri?: vscode.Uri) => folderSettings.for(uri);
  const log = vscode.window.createOutputChannel('KV Lens', { log: true });
  const clock = new Clock();
  const prompts = new PromptDocuments(settingsFor);
  const tokens = new DocumentTokens(() => settings.encoding, startTokenizeWorker);
  const statusBar = new CacheStatusBar();
  const priceUpdates = new PriceUpdates(context.globalStorageUri);
  const catalog = new UserCatalog(() => priceUpdates.layer());
  const records = new SendRecords(context.workspaceState, (l) => log.warn(l));
  const git = new GitBaseline();
  const baselines = new Baselines(git, records, clock, (uri) => settingsFor(uri).baseline);
  const models = new PickedModels(context.workspaceState);
  const analyses = new CacheAnalyses({ catalog, settings: settingsFor, baselines, clock, models, log });
  const decorations = new CacheDecorations(context.extensionUri, settings.tint);
  const diagnostics = new CacheDiagnostics();
  const lenses = new PromptLenses(analyses, () => settings.codeLens);
  const hints = new BreakpointHints(analyses);
  const tree = new PromptCacheTree(catalog, () => settings, models, readHead);
  const treeView = vscode.window.createTreeView('kvlens.promptCache', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  const costDeps: CostDeps = {
    extensionUri: context.extensionUri,
    catalog,
    settings: () => settings,
    memento: context.globalState,
    readHead,
    baselineOf: (uri) => editorBaseline(analyses, prompts, uri),
  };
  const code = registerCodePrompts({
    extensionUri: context.extensionUri,
    catalog: () => catalog.current,
    settings: settingsFor,
    decorations,
    onDidChangeCatalog: catalog.onDidChange,
    log: (l) => log.warn(l),
  });
  const views = new EditorViews({
    decoratedElsewhere: (doc) =>
      /^(?:python|typescript|typescriptreact|javascript|javascriptreact)$/.test(doc.languageId),
    analyses,
    prompts,
    tokens,
    statusBar,
    decorations,
    diagnostics,
    lenses,
    hints,
    clock,
    settings: () => settings,
    globalState: context.globalState,
  });
  const reanalyzeAll = (): void => analyses.invalidateAll(views.openPrompts());
  const commandParts = {
    analyses,
    prompts,
    diagnostics,
    baselines,
    records,
    models,
    catalog,
    tree,
    clock,
    settings: () => settings,
    reanalyzeAll,
  };
  const attention: AttentionDeps = {
    extensionUri: context.extensionUri,
    storage: context.globalStorageUri,
    memento: context.globalState,
    downloader,
    analysis: (doc) => analyses.get(doc) ?? analyses.last(doc),
    onDidAnalyze: analyses.onDidAnalyze,
    log: (l) => log.warn(l),
    debug: (l) => log.debug(l),
  };

  context.subscriptions.push(
    log,
    tokens,
    statusBar,
    catalog,
    prompts,
    git,
    analyses,
    decorations,
    diagnostics,
    tree,
    treeView,
    views,
    analyses.onDidAnalyze((doc) => views.onAnalyzed(doc)),
    tokens.onDidCompute((uri) => {
      if (uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) views.refreshStatus();
    }),
    catalog.onDidChange(() => {
      reanalyzeAll();
      tree.invalidate();
    }),
    git.onDidChange(reanalyzeAll),
    prompts.onDidChange(() => {
      views.refreshStatus();
      views.decorateVisible();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => views.refreshStatus()),
    vscode.window.onDidChangeVisibleTextEditors((eds) => {
      for (const e of eds) views.decorate(e);
    }),
    vscode.workspace.onDidChangeTextDocument((ev) => {
      if (ev.contentChanges.length === 0 || !prompts.isPrompt(ev.document)) return;
      analyses.edited(ev);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (!prompts.isPrompt(doc)) return;
      if (settings.recordOnSave) void recordAsSent(commandParts, doc);
      tree.update(doc.uri);
    }),
    vscode.workspace.onDidCreateFiles((e) => {
      for (const u of e.files) tree.update(u);
    }),
    vscode.workspace.onDidDeleteFiles((e) => {
      for (const u of e.files) tree.update(u);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      tokens.forget(doc);
      prompts.forget(doc);
      analyses.forget(doc);
      diagnostics.clear(doc.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsSettings(e)) return;
      const before = settings;
      folderSettings.reload();
      settings = folderSettings.current;
      tokens.clear();
      if (settings.catalogFile !== before.catalogFile) void catalog.load(settings.catalogFile);
      if (settings.calibrationFile !== before.calibrationFile)
        void loadCalibration(settings.calibrationFile, (l) => log.info(l)).then(reanalyzeAll);
      if (decorations.setTint(settings.tint)) views.decorateVisible();
      for (const d of vscode.workspace.textDocuments) if (!prompts.isPrompt(d)) diagnostics.clear(d.uri);
      reanalyzeAll();
      tree.invalidate();
      views.refreshStatus();
    }),
    vscode.languages.registerHoverProvider({ scheme: '*' }, new TokenHover(analyses, () => settings.hover)),
    vscode.languages.registerCodeLensProvider({ scheme: '*' }, lenses),
    vscode.languages.registerInlayHintsProvider({ scheme: '*' }, hints),
    vscode.languages.registerCodeActionsProvider({ scheme: '*' }, new CacheFixes(analyses, clock), {
      providedCodeActionKinds: CacheFixes.kinds,
    }),
    ...code.disposables,
    ...registerPromptCommands(commandParts),
    ...registerPanelCommands({
      extensionUri: context.extensionUri,
      host,
      analyses,
      catalog,
      settings: () => settings,
      cost: costDeps,
      attention,
    }),
  );

  // The first count builds the encoding's rank table (~200 ms); do it right after activation rather than inside
  // it, so VS Code's activation (and every extension activating after us) is not held up.
  const first = setTimeout(() => {
    views.refreshStatus();
    views.decorateVisible();
  }, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(first) });
  // Always: prices accepted with "Update Prices" are a layer of their own, with or without a catalog file.
  void catalog.load(settings.catalogFile);
  context.subscriptions.push(...registerPriceCommands(priceUpdates, catalog, (l) => log.info(l)));
  const exactCounts = new ExactCounts(context.secrets, analyses, (l) => log.info(l));
  statusBar.providedCount = (uri, version) => exactCounts.of(uri, version);
  context.subscriptions.push(
    ...registerExactCounts(exactCounts, (doc) => prompts.isPrompt(doc)),
    exactCounts.onDidChange(() => views.refreshStatus()),
  );
  context.subscriptions.push(
    ...registerAgentSessions(
      context.extensionUri,
      agentSessions,
      () => catalog.current,
      () => settings.model,
    ),
  );
  // Agent instruction files (CLAUDE.md, AGENTS.md, Copilot instructions, Cursor rules, …) placed in each agent's request.
  const agentFiles = registerAgentFiles({
    extensionUri: context.extensionUri,
    host: agentHost,
    catalog: () => catalog.current,
    onCatalogChange: catalog.onDidChange,
    settings: () => settings,
    log,
  });
  context.subscriptions.push(...agentFiles.disposables);
  if (settings.calibrationFile) void loadCalibration(settings.calibrationFile, (l) => log.info(l)).then(reanalyzeAll);
  const ended = performance.now();
  const activationMs = ended - loaded.start;
  const bundleLoadMs = loaded.end - loaded.start;
  const activateCallMs = ended - called;
  context.subscriptions.push(registerActivationCommand({ activationMs, bundleLoadMs, activateCallMs, host }));
  return {
    ...agentFiles.api,
    activationMs,
    host,
    bundleLoadMs,
    activateCallMs,
    statusText: () => (views.shown ? statusBar.text : undefined),
    statusTooltip: () => (views.shown ? statusBar.tooltipText : undefined),
    catalogIssues: () => catalog.issues.map((i) => `${i.file}${i.path ? ` ${i.path}` : ''}: ${i.message}`),
    setClockOffset: (ms: number) => {
      clock.setOffset(ms);
      reanalyzeAll();
    },
    codeReport: code.report,
    costReport: () => CostReportPanel.visible?.state,
    setCostInputs: async (inputs: CostInputsView) => CostReportPanel.visible?.setInputs(inputs),
    promptCache: async (rescan = true) => {
      if (rescan) tree.invalidate();
      return (await tree.build()).map((f) => ({
        file: f.label,
        model: f.model,
        tokens: f.tokens,
        cachedTokens: f.cached,
        shares: f.shares.map((s) => ({ file: s.other.label, tokens: s.tokens, offset: s.offset })),
      }));
    },
  };
}

export type { Analysis };
