import * as vscode from 'vscode';
import { Baselines } from './baseline/baselines';
import { GitBaseline } from './baseline/gitBaseline';
import { SendRecords } from './baseline/sendRecords';
import { CacheAnalyses, type Analysis } from './cacheAnalyses';
import { loadCalibration } from './calibrationSetting';
import { CacheDiagnostics, CacheFixes } from './cacheDiagnostics';
import { Clock } from './clock';
import { CacheDecorations } from './decorations';
import { DocumentTokens } from './documentTokens';
import { ModelChoices } from './modelChoices';
import { ageDays, confidenceLabel } from '../core/pricing/freshness';
import { pickAttentionModel, pickBaseline, pickModel, pickModels } from './pickers';
import { PromptCacheTree } from './promptCacheTree';
import { PromptDocuments } from './promptDocuments';
import { BreakpointHints, PromptLenses } from './promptLenses';
import { affectsSettings, FolderSettings, type KvLensSettings } from './settings';
import { CacheStatusBar } from './statusBar';
import { TokenHover } from './tokenHover';
import type { TokenizeWorker } from './tokenizeWorkerProtocol';
import { UserCatalog } from './userCatalog';
import { PriceUpdates } from './priceUpdates';
import { registerPriceCommands } from './priceCommands';
import { registerAgentSessions } from './agentSessionCommands';
import type { AgentSessionSource } from './agentSessions';
import { CostReportPanel, VIEW_TYPE as COST_VIEW, type CostDeps } from './webviews/cost/costPanel';
import { REPLAY_VIEW, ReplayPanel, replayDocument } from './webviews/replay/replayPanel';
import { ATTENTION_VIEW, AttentionPanel, type AttentionDeps } from './webviews/attention/attentionPanel';
import type { Downloader, ModelChoice } from './webviews/attention/attentionModels';
import type { AttentionStatus, CostInputsView, CostReportState, ReplayReportState } from '../protocol';

const STALE_NOTICE_KEY = 'kvlens.staleCatalogNoticeShown';
const STALE_DAYS = 90;

/** performance.now() at the first and the last statement of the bundle (stamped by scripts/build.mjs). */
export interface LoadStamps { readonly start: number; readonly end: number }

export function loadStamps(): LoadStamps {
  const g = globalThis as { __kvlensLoadStart?: number; __kvlensLoadEnd?: number };
  const now = performance.now();
  return { start: g.__kvlensLoadStart ?? now, end: g.__kvlensLoadEnd ?? g.__kvlensLoadStart ?? now };
}

/** What the extension returns from activate(): used by the integration tests and by other extensions. */
export interface KvLensApi {
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
  /** What the cost report panel shows now (undefined when it is closed). */
  costReport(): CostReportState | undefined;
  /** Tests: change the cost report's inputs as its fields would; resolves with the recomputed state. */
  setCostInputs(inputs: CostInputsView): Promise<CostReportState | undefined>;
  /** The "Prompt Cache" view's content: each prompt file, its cached share and the prefixes it shares. */
  /** The Prompt Cache view's files; `rescan` false reads the view as it stands (kept current file by file). */
  promptCache(rescan?: boolean): Promise<{ file: string; model: string; tokens: number; cachedTokens: number; shares: { file: string; tokens: number; offset: number }[] }[]>;
}

/** Shared by the Node and the web entry points; `started` is performance.now() when the bundle began to load. */
export function activateKvLens(context: vscode.ExtensionContext, loaded: LoadStamps, host: 'node' | 'web', startTokenizeWorker?: () => TokenizeWorker, downloader?: Downloader, agentSessions?: AgentSessionSource): KvLensApi {
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
  const models = new ModelChoices(context.workspaceState);
  const analyses = new CacheAnalyses({ catalog, settings: settingsFor, baselines, clock, models, log });
  const decorations = new CacheDecorations(context.extensionUri, settings.tint);
  const diagnostics = new CacheDiagnostics();
  const lenses = new PromptLenses(analyses, () => settings.codeLens);
  const hints = new BreakpointHints(analyses);
  const tree = new PromptCacheTree(catalog, () => settings, models);
  const treeView = vscode.window.createTreeView('kvlens.promptCache', { treeDataProvider: tree, showCollapseAll: true });
  let shown = false;
  const costDeps: CostDeps = { extensionUri: context.extensionUri, catalog, settings: () => settings, memento: context.globalState };
  const attentionDeps: AttentionDeps = {
    extensionUri: context.extensionUri, storage: context.globalStorageUri, memento: context.globalState, downloader,
    analysis: (doc) => analyses.get(doc) ?? analyses.last(doc), onDidAnalyze: analyses.onDidAnalyze, log: (l) => log.warn(l),
  };

  /** "KV Lens: Estimate Cost": the active file (or its selection), or the workspace; models from a quick pick. */
  const estimateCost = async (args?: { models?: string[]; scope?: 'file' | 'selection' | 'workspace' }): Promise<CostReportState | undefined> => {
    const editor = vscode.window.activeTextEditor;
    const scope = args?.scope ?? (!editor ? 'workspace' : editor.selection.isEmpty ? 'file' : 'selection');
    let models = args?.models;
    if (!models) {
      const last = CostReportPanel.lastModels(costDeps);
      const own = editor ? analyses.last(editor.document)?.model : undefined;
      const start = last.length ? last : own?.ok ? [own.model.id] : [];
      models = await pickModels(catalog.current, start);
      if (!models) return undefined;
      await CostReportPanel.remember(costDeps, models);
    }
    const doc = editor?.document;
    return CostReportPanel.show(costDeps, {
      scope, models,
      ...(scope !== 'workspace' && doc ? { uri: doc.uri.toString() } : {}),
      ...(scope === 'selection' && editor ? { text: doc!.getText(editor.selection) } : {}),
    });
  };

  const openPrompts = () => vscode.workspace.textDocuments.filter((d) => prompts.isPrompt(d));
  const label = (doc: vscode.TextDocument) => vscode.workspace.asRelativePath(doc.uri, false);

  let isPromptContext: boolean | undefined;
  const refreshStatus = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    const isPrompt = !!doc && prompts.isPrompt(doc);
    // A context key for the editor title button; set only when it changes (this runs after every analysis).
    if (isPrompt !== isPromptContext) { isPromptContext = isPrompt; void vscode.commands.executeCommand('setContext', 'kvlens.isPrompt', isPrompt); }
    if (!doc || !isPrompt) { statusBar.hide(); shown = false; return; }
    shown = true;
    // The newest report, even of an older version while the next one runs; the plain count only before the first.
    const a = analyses.get(doc) ?? analyses.last(doc);
    if (!a) {
      analyses.schedule(doc);
      try { statusBar.showCount(tokens.get(doc), label(doc)); } catch (e) { statusBar.showError((e as Error).message); }
      return;
    }
    if (a.result.ok) statusBar.showReport(a, a.result.value, label(doc), clock.now());
    else statusBar.showError(`${label(doc)}: ${a.result.message}`, a.model);
  };

  const decorate = (editor: vscode.TextEditor): void => {
    if (!prompts.isPrompt(editor.document)) { decorations.clear(editor); return; }
    const a = analyses.get(editor.document);
    if (a) decorations.apply(editor, a.result.ok ? a.result.value : undefined, a.model.ok ? a.model.model.cache.minTokens : 0);
    else analyses.schedule(editor.document);
  };

  /** Once per install: the prices in use were last seen long ago (prices move monthly). */
  // Runs after every analysis: the one-time flag is read once, not per keystroke.
  let staleNoticeShown = context.globalState.get<boolean>(STALE_NOTICE_KEY) === true;
  const noticeStale = (a: Analysis): void => {
    if (staleNoticeShown || !a.model.ok || !settings.catalogStaleNotice) return;
    const m = a.model.model, days = ageDays(m.prices.asOf, clock.now());
    if (days <= STALE_DAYS) return;
    staleNoticeShown = true;
    void context.globalState.update(STALE_NOTICE_KEY, true);
    void vscode.window.showInformationMessage(`KV Lens: the prices of ${m.id} were last seen ${days} days ago (${m.prices.asOf}; ${confidenceLabel(m.prices.confidence)}). Prices move monthly: "Update Prices" compares them with LiteLLM's table and takes the figures you accept (\`kvlens models --stale\` lists the old figures; a user catalog, kvlens.catalogFile, overrides any figure).`, 'Update Prices').then((choice) => { if (choice) void vscode.commands.executeCommand('kvlens.updatePrices'); });
  };

  const onAnalyzed = (doc: vscode.TextDocument): void => {
    const a = analyses.get(doc);
    if (!a) return;
    noticeStale(a);
    diagnostics.update(doc, a);
    for (const e of vscode.window.visibleTextEditors) if (e.document === doc) decorations.apply(e, a.result.ok ? a.result.value : undefined, a.model.ok ? a.model.model.cache.minTokens : 0);
    if (doc === vscode.window.activeTextEditor?.document) refreshStatus();
    lenses.refresh();
    hints.refresh();
    if (a.result.ok && a.result.value.report.baseline.kind === 'recorded') scheduleTick();
  };

  // A recorded send's TTL runs down in the status bar (redrawn, not re-analyzed); a document is analyzed again only
  // when its entry expires, which changes what is cached.
  let tick: ReturnType<typeof setTimeout> | undefined;
  const scheduleTick = (): void => {
    if (tick) return;
    tick = setTimeout(() => {
      tick = undefined;
      const now = clock.now(), expired: vscode.TextDocument[] = [];
      let running = false;
      for (const doc of openPrompts()) {
        const a = analyses.last(doc);
        if (!a?.result.ok || a.result.value.report.baseline.kind !== 'recorded' || !a.model.ok || a.baseline.sentAt === undefined) continue;
        const end = a.baseline.sentAt + a.model.model.cache.ttlSeconds * 1000;
        if (a.at < end && now >= end) expired.push(doc); else if (now < end) running = true;
      }
      if (expired.length) analyses.invalidate(expired);
      refreshStatus();
      if (running) scheduleTick();
    }, 15_000);
  };

  const reanalyzeAll = (): void => analyses.invalidateAll(openPrompts());

  const activeDoc = (): vscode.TextDocument | undefined => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc) void vscode.window.showWarningMessage('KV Lens: open a prompt file first.');
    return doc;
  };

  const recordAsSent = async (doc: vscode.TextDocument): Promise<boolean> => {
    const a = await analyses.current(doc);
    if (!a?.model.ok) { void vscode.window.showWarningMessage(`KV Lens: cannot record ${label(doc)}: ${a && !a.model.ok ? a.model.message : 'it is not a prompt'}`); return false; }
    const ok = records.add({ uri: doc.uri.toString(), text: doc.getText(), model: a.model.model.id, sentAt: clock.now(), ttlMs: a.model.model.cache.ttlSeconds * 1000 });
    if (!ok) { void vscode.window.showWarningMessage(`KV Lens: ${label(doc)} is too large to record (limit 2 MB).`); return false; }
    baselines.override(doc.uri, undefined);
    analyses.invalidate([doc]);
    return true;
  };

  context.subscriptions.push(
    log, tokens, statusBar, catalog, prompts, git, analyses, decorations, diagnostics, tree, treeView,
    analyses.onDidAnalyze(onAnalyzed),
    tokens.onDidCompute((uri) => { if (uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) refreshStatus(); }),
    catalog.onDidChange(() => { reanalyzeAll(); tree.invalidate(); }),
    git.onDidChange(reanalyzeAll),
    prompts.onDidChange(() => { refreshStatus(); for (const e of vscode.window.visibleTextEditors) decorate(e); }),
    vscode.window.onDidChangeActiveTextEditor(refreshStatus),
    vscode.window.onDidChangeVisibleTextEditors((eds) => { for (const e of eds) decorate(e); }),
    vscode.workspace.onDidChangeTextDocument((ev) => {
      if (ev.contentChanges.length === 0 || !prompts.isPrompt(ev.document)) return;
      analyses.edited(ev);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (!prompts.isPrompt(doc)) return;
      if (settings.recordOnSave) void recordAsSent(doc);
      tree.update(doc.uri);
    }),
    vscode.workspace.onDidCreateFiles((e) => { for (const u of e.files) tree.update(u); }),
    vscode.workspace.onDidDeleteFiles((e) => { for (const u of e.files) tree.update(u); }),
    vscode.commands.registerCommand('kvlens.revealOffset', async (uri: vscode.Uri, offset: number) => {
      const editor = await vscode.window.showTextDocument(uri);
      const pos = editor.document.positionAt(offset);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }),
    vscode.commands.registerCommand('kvlens.refreshPromptCache', () => tree.invalidate()),
    vscode.workspace.onDidCloseTextDocument((doc) => { tokens.forget(doc); prompts.forget(doc); analyses.forget(doc); diagnostics.clear(doc.uri); }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsSettings(e)) return;
      const before = settings;
      folderSettings.reload();
      settings = folderSettings.current;
      tokens.clear();
      if (settings.catalogFile !== before.catalogFile) void catalog.load(settings.catalogFile);
      if (settings.calibrationFile !== before.calibrationFile) void loadCalibration(settings.calibrationFile, (l) => log.info(l)).then(reanalyzeAll);
      if (decorations.setTint(settings.tint)) for (const ed of vscode.window.visibleTextEditors) decorate(ed);
      for (const d of vscode.workspace.textDocuments) if (!prompts.isPrompt(d)) diagnostics.clear(d.uri);
      reanalyzeAll();
      tree.invalidate();
      refreshStatus();
    }),
    vscode.languages.registerHoverProvider({ scheme: '*' }, new TokenHover(analyses, () => settings.hover)),
    vscode.languages.registerCodeLensProvider({ scheme: '*' }, lenses),
    vscode.languages.registerInlayHintsProvider({ scheme: '*' }, hints),
    vscode.languages.registerCodeActionsProvider({ scheme: '*' }, new CacheFixes(analyses, clock), { providedCodeActionKinds: CacheFixes.kinds }),
    vscode.commands.registerCommand('kvlens.inspectFile', () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc) { void vscode.window.showWarningMessage('KV Lens: open a file to inspect first.'); return false; }
      prompts.inspect(doc);
      return true;
    }),
    vscode.commands.registerCommand('kvlens.stopInspectingFile', () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc) return;
      prompts.stopInspecting(doc);
      if (!prompts.isPrompt(doc)) { analyses.forget(doc); diagnostics.clear(doc.uri); }
    }),
    vscode.commands.registerCommand('kvlens.currentReport', async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc || !prompts.isPrompt(doc)) return undefined;
      const a = await analyses.current(doc);
      return a?.result.ok ? { file: doc.uri.fsPath, ...a.result.value.report } : { error: a && !a.result.ok ? a.result.message : 'not analyzed' };
    }),
    vscode.commands.registerCommand('kvlens.recordAsSent', async () => {
      const doc = activeDoc();
      if (!doc) return false;
      const ok = await recordAsSent(doc);
      if (ok) void vscode.window.setStatusBarMessage(`KV Lens: recorded ${label(doc)} as sent`, 3000);
      return ok;
    }),
    vscode.commands.registerCommand('kvlens.estimateCost', estimateCost),
    vscode.commands.registerCommand('kvlens.estimateWorkspaceCost', (args?: { models?: string[] }) => estimateCost({ ...args, scope: 'workspace' })),
    vscode.window.registerWebviewPanelSerializer(COST_VIEW, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, saved: { state?: CostReportState } | undefined) => CostReportPanel.restore(panel, saved, costDeps),
    }),
    vscode.commands.registerCommand('kvlens.replayLog', async (uri?: vscode.Uri): Promise<ReplayReportState | undefined> => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) { void vscode.window.showWarningMessage('KV Lens: open a JSONL usage log first (one request and its response usage per line).'); return undefined; }
      const doc = await vscode.workspace.openTextDocument(target);
      const state = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `KV Lens: replaying ${vscode.workspace.asRelativePath(target, false)}`, cancellable: true },
        (progress, token) => {
          let last = 0;
          return replayDocument(doc, catalog.current, settings.model, token, (done, total) => {
            const pctDone = Math.floor((100 * done) / total);
            if (pctDone > last) { progress.report({ increment: pctDone - last, message: `${done} of ${total} lines` }); last = pctDone; }
          });
        });
      if (!state) return undefined;
      if (!state.summary.requests) {
        void vscode.window.showWarningMessage(`KV Lens: ${state.file} has no request with a usable body${state.summary.problems[0] ? ` (line ${state.summary.problems[0].line}: ${state.summary.problems[0].message})` : ''}.`);
      }
      ReplayPanel.show(context.extensionUri, target, state);
      return state;
    }),
    vscode.window.registerWebviewPanelSerializer(REPLAY_VIEW, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, saved: { state?: ReplayReportState } | undefined) => ReplayPanel.restore(panel, context.extensionUri, saved),
    }),
    vscode.commands.registerCommand('kvlens.showAttention', () => { AttentionPanel.show(attentionDeps, vscode.window.activeTextEditor); }),
    vscode.commands.registerCommand('kvlens.chooseAttentionModel', async (choice?: ModelChoice) => {
      // Tests and other extensions pass the choice; people get the quick pick.
      const picked = choice ?? await pickAttentionModel(host === 'node');
      if (!picked) return false;
      const panel = AttentionPanel.open ?? AttentionPanel.show(attentionDeps, vscode.window.activeTextEditor);
      return panel.useModel(picked);
    }),
    // The attention panel's last run; with `want`, the next one that matches (tests, other extensions).
    vscode.commands.registerCommand('kvlens.attentionStatus', (want?: { tokens?: number; reused?: number; model?: string; layer?: number; boundary?: boolean }): Promise<AttentionStatus | undefined> | undefined =>
      AttentionPanel.open?.lastStatus(want && ((s) => (want.tokens === undefined || s.tokens === want.tokens) && (want.reused === undefined || s.reused >= want.reused)
        && (want.model === undefined || s.model.startsWith(want.model)) && (want.layer === undefined || s.layer === want.layer) && (!want.boundary || s.prefixShare !== null)))),
    vscode.window.registerWebviewPanelSerializer(ATTENTION_VIEW, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => AttentionPanel.restore(panel, attentionDeps),
    }),
    vscode.commands.registerCommand('kvlens.forgetRecordedSends', () => {
      const doc = vscode.window.activeTextEditor?.document;
      records.clear();
      if (doc) baselines.override(doc.uri, undefined);
      reanalyzeAll();
    }),
    vscode.commands.registerCommand('kvlens.chooseBaseline', async (choice?: { kind: 'file'; path: string } | { kind: 'recorded'; sentAt: number } | 'auto') => {
      const doc = activeDoc();
      if (!doc) return;
      // Tests and other extensions pass the choice; people get the quick pick.
      const picked = choice === undefined ? await pickBaseline(doc, baselines, records, clock.now())
        : { override: choice === 'auto' ? undefined : choice.kind === 'file' ? { kind: 'file' as const, uri: vscode.Uri.file(choice.path) } : choice };
      if (!picked) return;
      baselines.override(doc.uri, picked.override);
      analyses.invalidate([doc]);
    }),
    vscode.commands.registerCommand('kvlens.selectModel', async (id?: string) => {
      const doc = activeDoc();
      if (!doc) return;
      const a = analyses.last(doc);
      const named = a?.parsed.prompts[0]?.model;
      const pick = id ?? await pickModel(catalog.current, a?.model.ok ? a.model.model.id : undefined, named);
      if (pick === undefined) return;
      // '' = back to the file's own model (or the workspace default). A pick on a file that names its model overrides
      // it for this file, in KV Lens only: the file is not changed.
      await models.set(doc.uri, pick || undefined, !!named);
      if (named && pick && id === undefined) void vscode.window.showInformationMessage(`KV Lens: ${label(doc)} is now analyzed as ${pick}, instead of the ${named} it names (the file is unchanged). Select Model → "The file's own model" goes back.`);
      analyses.invalidate([doc]);
    }),
    vscode.commands.registerCommand('kvlens.toggleTint', async () => {
      await vscode.workspace.getConfiguration('kvlens').update('decorations.tint', !settings.tint, vscode.ConfigurationTarget.Global);
    }),
    vscode.commands.registerCommand('kvlens.showActions', async () => {
      const items: (vscode.QuickPickItem & { command: string })[] = [
        { label: '$(graph-line) Estimate Cost…', description: 'per call, per day and per month, with and without the cache', command: 'kvlens.estimateCost' },
        { label: '$(history) Record as Sent', description: 'the current text is what the provider now holds', command: 'kvlens.recordAsSent' },
        { label: '$(git-compare) Choose Baseline…', description: 'what was sent before: git HEAD, a recorded send, another file', command: 'kvlens.chooseBaseline' },
        { label: '$(hubot) Select Model…', description: 'tokenizer, cache rules and prices', command: 'kvlens.selectModel' },
        { label: '$(paintcan) Toggle Cache Tint', description: 'show or hide the cached-prefix highlight', command: 'kvlens.toggleTint' },
      ];
      const pick = await vscode.window.showQuickPick(items, { title: 'KV Lens' });
      if (pick) await vscode.commands.executeCommand(pick.command);
    }),
    vscode.commands.registerCommand('kvlens.debug.timings', () => ({
      analysisMs: [...analyses.timings], keystrokes: [...analyses.keystrokes],
      paths: { live: analyses.paths.live, full: analyses.paths.full, declined: Object.fromEntries(analyses.paths.declined) },
    })),
    { dispose: () => { if (tick) clearTimeout(tick); } },
  );

  // The first count builds the encoding's rank table (~200 ms); do it right after activation rather than inside
  // it, so VS Code's activation (and every extension activating after us) is not held up.
  const first = setTimeout(() => { refreshStatus(); for (const e of vscode.window.visibleTextEditors) decorate(e); }, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(first) });
  // Always: prices accepted with "Update Prices" are a layer of their own, with or without a catalog file.
  void catalog.load(settings.catalogFile);
  context.subscriptions.push(...registerPriceCommands(priceUpdates, catalog, (l) => log.info(l)));
  context.subscriptions.push(...registerAgentSessions(context.extensionUri, agentSessions, () => catalog.current, () => settings.model));
  if (settings.calibrationFile) void loadCalibration(settings.calibrationFile, (l) => log.info(l)).then(reanalyzeAll);
  const ended = performance.now();
  const activationMs = ended - loaded.start;
  const bundleLoadMs = loaded.end - loaded.start;
  const activateCallMs = ended - called;
  context.subscriptions.push(
    vscode.commands.registerCommand('kvlens.showActivationTime', () => {
      void vscode.window.showInformationMessage(`KV Lens activated in ${(bundleLoadMs + activateCallMs).toFixed(1)} ms: bundle load ${bundleLoadMs.toFixed(1)} ms + activate() ${activateCallMs.toFixed(1)} ms (${activationMs.toFixed(1)} ms from bundle start, with the host's own work in between), in the ${host === 'web' ? 'web worker' : 'Node'} extension host`);
      return activationMs;
    }),
  );
  return {
    activationMs,
    host,
    bundleLoadMs,
    activateCallMs,
    statusText: () => (shown ? statusBar.text : undefined),
    statusTooltip: () => (shown ? statusBar.tooltipText : undefined),
    catalogIssues: () => catalog.issues.map((i) => `${i.file}${i.path ? ` ${i.path}` : ''}: ${i.message}`),
    setClockOffset: (ms: number) => { clock.setOffset(ms); reanalyzeAll(); },
    costReport: () => CostReportPanel.visible?.state,
    setCostInputs: async (inputs: CostInputsView) => CostReportPanel.visible?.setInputs(inputs),
    promptCache: async (rescan = true) => {
      if (rescan) tree.invalidate();
      return (await tree.build()).map((f) => ({
        file: f.label, model: f.model, tokens: f.tokens, cachedTokens: f.cached,
        shares: f.shares.map((s) => ({ file: s.other.label, tokens: s.tokens, offset: s.offset })),
      }));
    },
  };
}

export type { Analysis };
