import * as vscode from 'vscode';
import { ageDays, confidenceLabel } from '../../core/pricing/freshness';
import type { Analysis, CacheAnalyses } from '../analysis/cacheAnalyses';
import type { CacheDiagnostics } from './cacheDiagnostics';
import type { Clock } from '../analysis/clock';
import type { CacheDecorations } from './decorations';
import type { DocumentTokens } from '../tokenize/documentTokens';
import type { PromptDocuments } from '../analysis/promptDocuments';
import type { BreakpointHints, PromptLenses } from './promptLenses';
import type { KvLensSettings } from '../settings/settings';
import type { CacheStatusBar } from './statusBar';

const STALE_NOTICE_KEY = 'kvlens.staleCatalogNoticeShown';
const STALE_DAYS = 90;

export interface EditorViewParts {
  readonly analyses: CacheAnalyses;
  readonly prompts: PromptDocuments;
  readonly tokens: DocumentTokens;
  readonly statusBar: CacheStatusBar;
  readonly decorations: CacheDecorations;
  readonly diagnostics: CacheDiagnostics;
  readonly lenses: PromptLenses;
  readonly hints: BreakpointHints;
  readonly clock: Clock;
  readonly settings: () => KvLensSettings;
  readonly globalState: vscode.Memento;
  /** Documents whose decorations another part owns (source files with LLM calls: editor/codePrompts.ts). */
  readonly decoratedElsewhere?: (doc: vscode.TextDocument) => boolean;
}

export const label = (doc: vscode.TextDocument): string => vscode.workspace.asRelativePath(doc.uri, false);

/**
 * The analysis → UI fan-out: after an analysis (or an editor switch) the status bar, the decorations of the visible
 * editors, the diagnostics, lenses and inlay hints show it; a recorded send's TTL counts down; the one-time notice
 * about old prices. Holds no analysis logic of its own.
 */
export class EditorViews implements vscode.Disposable {
  /** Whether the status bar shows a prompt now (the test API's statusText reads it). */
  shown = false;
  private isPromptContext: boolean | undefined;
  private tick: ReturnType<typeof setTimeout> | undefined;
  // Runs after every analysis: the one-time flag is read once, not per keystroke.
  private staleNoticeShown: boolean;

  constructor(private readonly p: EditorViewParts) {
    this.staleNoticeShown = p.globalState.get<boolean>(STALE_NOTICE_KEY) === true;
  }

  openPrompts(): vscode.TextDocument[] {
    return vscode.workspace.textDocuments.filter((d) => this.p.prompts.isPrompt(d));
  }

  refreshStatus(): void {
    const { prompts, analyses, statusBar, tokens, clock } = this.p;
    const doc = vscode.window.activeTextEditor?.document;
    const isPrompt = !!doc && prompts.isPrompt(doc);
    // A context key for the editor title buttons and the palette; set only when it changes (this runs after every analysis).
    if (isPrompt !== this.isPromptContext) {
      this.isPromptContext = isPrompt;
      void vscode.commands.executeCommand('setContext', 'kvlens.isPrompt', isPrompt);
    }
    if (!doc || !isPrompt) {
      statusBar.hide();
      this.shown = false;
      return;
    }
    this.shown = true;
    // The newest report, even of an older version while the next one runs; the plain count only before the first.
    const a = analyses.get(doc) ?? analyses.last(doc);
    if (!a) {
      analyses.schedule(doc);
      try {
        statusBar.showCount(tokens.get(doc), label(doc));
      } catch (e) {
        statusBar.showError((e as Error).message);
      }
      return;
    }
    if (a.result.ok) statusBar.showReport(a, a.result.value, label(doc), clock.now());
    else statusBar.showError(`${label(doc)}: ${a.result.message}`, a.model);
  }

  decorate(editor: vscode.TextEditor): void {
    const { prompts, analyses, decorations } = this.p;
    if (!prompts.isPrompt(editor.document)) {
      if (!this.p.decoratedElsewhere?.(editor.document)) decorations.clear(editor);
      return;
    }
    const a = analyses.get(editor.document);
    if (a)
      decorations.apply(
        editor,
        a.result.ok ? a.result.value : undefined,
        a.model.ok ? a.model.model.cache.minTokens : 0,
      );
    else analyses.schedule(editor.document);
  }

  decorateVisible(): void {
    for (const e of vscode.window.visibleTextEditors) this.decorate(e);
  }

  onAnalyzed(doc: vscode.TextDocument): void {
    const { analyses, diagnostics, decorations, lenses, hints } = this.p;
    const a = analyses.get(doc);
    if (!a) return;
    this.noticeStale(a);
    diagnostics.update(doc, a);
    for (const e of vscode.window.visibleTextEditors)
      if (e.document === doc)
        decorations.apply(e, a.result.ok ? a.result.value : undefined, a.model.ok ? a.model.model.cache.minTokens : 0);
    if (doc === vscode.window.activeTextEditor?.document) this.refreshStatus();
    lenses.refresh();
    hints.refresh();
    if (a.result.ok && a.result.value.report.baseline.kind === 'recorded') this.scheduleTick();
  }

  /**
   * A recorded send's TTL runs down in the status bar (redrawn, not re-analyzed); a document is analyzed again only
   * when its entry expires, which changes what is cached.
   */
  private scheduleTick(): void {
    if (this.tick) return;
    this.tick = setTimeout(() => {
      this.tick = undefined;
      const { analyses, clock } = this.p;
      const now = clock.now(),
        expired: vscode.TextDocument[] = [];
      let running = false;
      for (const doc of this.openPrompts()) {
        const a = analyses.last(doc);
        if (
          !a?.result.ok ||
          a.result.value.report.baseline.kind !== 'recorded' ||
          !a.model.ok ||
          a.baseline.sentAt === undefined
        )
          continue;
        const end = a.baseline.sentAt + a.model.model.cache.ttlSeconds * 1000;
        if (a.at < end && now >= end) expired.push(doc);
        else if (now < end) running = true;
      }
      if (expired.length) analyses.invalidate(expired);
      this.refreshStatus();
      if (running) this.scheduleTick();
    }, 15_000);
  }

  /** Once per install: the prices in use were last seen long ago (prices move monthly). */
  private noticeStale(a: Analysis): void {
    if (this.staleNoticeShown || !a.model.ok || !this.p.settings().catalogStaleNotice) return;
    const m = a.model.model,
      days = ageDays(m.prices.asOf, this.p.clock.now());
    if (days <= STALE_DAYS) return;
    this.staleNoticeShown = true;
    void this.p.globalState.update(STALE_NOTICE_KEY, true);
    void vscode.window
      .showInformationMessage(
        `KV Lens: the prices of ${m.id} were last seen ${days} days ago (${m.prices.asOf}; ${confidenceLabel(m.prices.confidence)}). Prices move monthly: "Update Prices" compares them with LiteLLM's table and takes the figures you accept (\`kvlens models --stale\` lists the old figures; a user catalog, kvlens.catalogFile, overrides any figure).`,
        'Update Prices',
      )
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('kvlens.updatePrices');
      });
  }

  dispose(): void {
    if (this.tick) clearTimeout(this.tick);
  }
}
