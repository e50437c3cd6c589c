import * as vscode from 'vscode';
import { getTokenizer } from '../../../core/tokenizer/registry';
import { preloadEncoding } from '../../../core/tokenizer/openAiEncodings';
import type {
  AttentionDocumentView,
  AttentionStatus,
  AttentionViewToHost,
  HostToAttentionView,
} from '../../../protocol';
import type { Analysis } from '../../analysis/cacheAnalyses';
import { attentionMessage } from '../messageChecks';
import { panelHtml, panelOptions } from '../panelHtml';
import {
  adaptedFolder,
  downloadFolder,
  loadModel,
  ModelLoadError,
  readAttentionSettings,
  type Downloader,
  type LoadedModel,
  type AttentionModelChoice,
} from './attentionModels';

export const ATTENTION_VIEW = 'kvlens.attention';
/** GPT-2's encoding: the demo model and GPT-2 read r50k_base ids. */
const ENCODING = 'r50k_base';
const EDIT_PAUSE_MS = 150;
/** Beyond this many characters, the tokens after the model's context are estimated rather than counted. */
const EXACT_CUT_CHARS = 256 * 1024;
const CHOICE_KEY = 'kvlens.attention.model';

export interface AttentionDeps {
  readonly extensionUri: vscode.Uri;
  readonly storage: vscode.Uri;
  readonly memento: vscode.Memento;
  readonly downloader: Downloader | undefined;
  /** The editor's cache report of a document, when it has one. */
  readonly analysis: (doc: vscode.TextDocument) => Analysis | undefined;
  readonly onDidAnalyze: vscode.Event<vscode.TextDocument>;
  readonly log: (line: string) => void;
}

/**
 * The attention panel's host: follows the active editor (or the selection it was opened on), sends the text's GPT-2
 * tokens with their document ranges, the editor's cache boundary and the prompt's blocks, reveals a token the panel
 * clicks, and keeps the panel's last status for `kvlens.attentionStatus`.
 */
export class AttentionPanel {
  private static current: AttentionPanel | undefined;
  private doc: vscode.TextDocument | undefined;
  /** The selection the panel was opened on (document offsets), else the whole text. */
  private scope: { start: number; end: number } | undefined;
  private model: LoadedModel | undefined;
  private modelLoad: Promise<LoadedModel | undefined> | undefined;
  private ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The document offset of the panel's first token (the scope's start, or where the sent text starts). */
  private base = 0;
  private status: AttentionStatus | undefined;
  private statusWaiters: ((s: AttentionStatus) => void)[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: AttentionDeps,
  ) {
    panel.webview.options = attentionOptions(deps);
    panel.webview.html = panelHtml(panel.webview, deps.extensionUri, {
      app: 'attention',
      title: 'KV Lens: attention',
      wasm: true,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        const msg = attentionMessage(m, this.textLength());
        if (msg) void this.onMessage(msg);
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && e.document.uri.scheme !== 'output') this.follow(e.document);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.doc && e.contentChanges.length) this.schedule();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document === this.doc) this.postSelection(e.textEditor);
      }),
      deps.onDidAnalyze((d) => {
        if (d === this.doc) this.schedule();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.doc) this.doc = undefined;
      }),
    );
    panel.onDidDispose(() => {
      for (const d of this.disposables) d.dispose();
      clearTimeout(this.timer);
      if (AttentionPanel.current === this) AttentionPanel.current = undefined;
    });
  }

  static show(deps: AttentionDeps, editor: vscode.TextEditor | undefined): AttentionPanel {
    let p = AttentionPanel.current;
    if (!p) {
      const panel = vscode.window.createWebviewPanel(
        ATTENTION_VIEW,
        'KV Lens: Attention',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        attentionOptions(deps),
      );
      p = AttentionPanel.current = new AttentionPanel(panel, deps);
    } else p.panel.reveal(vscode.ViewColumn.Beside, true);
    if (editor) {
      const sel = editor.selection;
      p.scope = sel.isEmpty
        ? undefined
        : { start: editor.document.offsetAt(sel.start), end: editor.document.offsetAt(sel.end) };
      p.follow(editor.document, true);
    }
    return p;
  }

  /** After a reload: the panel follows the active editor again; the webview kept its view settings. */
  static restore(panel: vscode.WebviewPanel, deps: AttentionDeps): void {
    AttentionPanel.current?.panel.dispose();
    const p = (AttentionPanel.current = new AttentionPanel(panel, deps));
    const e = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
    if (e) p.follow(e.document, true);
  }

  static get open(): AttentionPanel | undefined {
    return AttentionPanel.current;
  }

  /** The panel's last status; with `after`, waits for the next one that satisfies it. */
  lastStatus(ok?: (s: AttentionStatus) => boolean, timeoutMs = 20000): Promise<AttentionStatus | undefined> {
    if (!ok || (this.status && ok(this.status))) return Promise.resolve(this.status);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.statusWaiters = this.statusWaiters.filter((w) => w !== check);
        resolve(this.status);
      }, timeoutMs);
      const check = (s: AttentionStatus) => {
        if (!ok(s)) return;
        clearTimeout(timer);
        this.statusWaiters = this.statusWaiters.filter((w) => w !== check);
        resolve(s);
      };
      this.statusWaiters.push(check);
    });
  }

  /** Switches the model (the "Model…" button, the command); resolves with the id of the model now loaded. */
  async useModel(choice: AttentionModelChoice): Promise<string | undefined> {
    await this.deps.memento.update(CHOICE_KEY, choice);
    this.model = undefined;
    this.modelLoad = undefined;
    const m = await this.ensureModel();
    if (m && this.ready) {
      await this.postModel(m);
      await this.postDocument();
    }
    return m?.id;
  }

  private follow(doc: vscode.TextDocument, force = false): void {
    if (doc === this.doc && !force) return;
    if (doc !== this.doc) this.scope = undefined;
    this.doc = doc;
    this.panel.title = `KV Lens: Attention — ${doc.uri.path.split('/').pop()}`;
    this.schedule(0);
  }

  private schedule(delay = EDIT_PAUSE_MS, anyway = false): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.postDocument(anyway), delay);
  }

  private async ensureModel(): Promise<LoadedModel | undefined> {
    if (this.model) return this.model;
    const choice =
      this.deps.memento.get<AttentionModelChoice>(CHOICE_KEY) ??
      (readAttentionSettings().modelPath
        ? { kind: 'local', path: readAttentionSettings().modelPath }
        : { kind: 'demo' });
    this.modelLoad ??= loadModel(choice, this.deps.extensionUri, this.deps.storage, this.deps.downloader).then(
      (m) => (this.model = m),
      async (e: unknown) => {
        const message =
          e instanceof ModelLoadError || (e as { kind?: string }).kind
            ? (e as Error).message
            : `could not load the model: ${(e as Error).message}`;
        this.deps.log(`attention model: ${message}`);
        void vscode.window.showErrorMessage(`KV Lens: ${message}`);
        await this.post({ type: 'notice', message: `${message} — the demo model is used instead.`, error: true });
        this.modelLoad = undefined;
        if (choice.kind === 'demo') return undefined;
        await this.deps.memento.update(CHOICE_KEY, { kind: 'demo' });
        return (this.model = await loadModel({ kind: 'demo' }, this.deps.extensionUri, this.deps.storage, undefined));
      },
    );
    return this.modelLoad;
  }

  private async postModel(m: LoadedModel): Promise<void> {
    const wasmUrl = this.panel.webview
      .asWebviewUri(
        vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview', 'ort', 'ort-wasm-simd-threaded.asyncify.wasm'),
      )
      .toString();
    const url = this.panel.webview.asWebviewUri(m.file).toString();
    await this.post({
      type: 'model',
      model: { id: m.id, label: m.label, demo: m.demo, shape: m.shape, heads: m.heads, url, wasmUrl },
    });
  }

  private post(m: HostToAttentionView): Thenable<boolean> {
    return this.panel.webview.postMessage(m);
  }

  private postSelection(editor: vscode.TextEditor): void {
    if (!this.ready) return;
    const base = this.base;
    void this.post({
      type: 'selection',
      start: editor.document.offsetAt(editor.selection.start) - base,
      end: editor.document.offsetAt(editor.selection.end) - base,
    });
  }

  private async postDocument(anyway = false): Promise<void> {
    const doc = this.doc;
    if (!doc || !this.ready) return;
    // The editor's report of this version is on its way (onDidAnalyze schedules again): the boundary drawn should be
    // the one of the text run, so wait for it, a second at most.
    const a = this.deps.analysis(doc);
    if (a && a.version !== doc.version && !anyway) {
      this.schedule(1000, true);
      return;
    }
    const m = await this.ensureModel();
    if (!m) return;
    await preloadEncoding(ENCODING);
    const analysis = this.deps.analysis(doc);
    // Token offsets in the panel count from here: the selection and a token's reveal map through the same base.
    this.base = this.scope?.start ?? sentStart(doc, analysis);
    const view = documentView(doc, this.scope, m.shape.maxPositions ?? 1024, analysis);
    await this.post({ type: 'document', document: view });
  }

  /** UTF-16 length of the text the panel shows: the scope it was opened on, or the whole document. */
  private textLength(): number {
    if (this.scope) return this.scope.end - this.scope.start;
    const doc = this.doc;
    return doc ? doc.offsetAt(new vscode.Position(doc.lineCount, 0)) : 0;
  }

  /** Every message the panel sends (src/protocol.ts), each handled: the lint's exhaustiveness check keeps it so. */
  private async onMessage(m: AttentionViewToHost): Promise<void> {
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        const model = await this.ensureModel();
        if (model) await this.postModel(model);
        await this.postDocument();
        return;
      }
      case 'reveal': {
        const doc = this.doc;
        if (!doc) return;
        const base = this.base;
        const range = new vscode.Range(doc.positionAt(base + m.start), doc.positionAt(base + m.end));
        const editor = await vscode.window.showTextDocument(doc, {
          viewColumn:
            vscode.window.visibleTextEditors.find((e) => e.document === doc)?.viewColumn ?? vscode.ViewColumn.One,
          preserveFocus: false,
          selection: range,
        });
        editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        return;
      }
      case 'status':
        this.status = m.status;
        for (const w of [...this.statusWaiters]) w(m.status);
        return;
      case 'error':
        this.deps.log(`attention panel: ${m.message}`);
        return;
      case 'chooseModel':
        await vscode.commands.executeCommand('kvlens.chooseAttentionModel');
        return;
    }
  }
}

/** The shared frame's options, plus the folder of adapted models (files the panel fetches), kept while hidden. */
function attentionOptions(deps: AttentionDeps): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  const o = panelOptions(deps.extensionUri);
  return {
    ...o,
    retainContextWhenHidden: true,
    localResourceRoots: [...(o.localResourceRoots ?? []), adaptedFolder(deps.storage), downloadFolder(deps.storage)],
  };
}

/** The text's GPT-2 tokens (at most the model's context) with document ranges, the cache boundary and the blocks. */
/**
 * Where the text a request sends starts: after a Markdown prompt's front matter (model, parameters — KV Lens never
 * counts it as sent, so GPT-2 is not fed it either); 0 for everything else.
 */
export function sentStart(doc: vscode.TextDocument, a: Analysis | undefined): number {
  if (doc.lineCount < 2 || doc.lineAt(0).text.trimEnd() !== '---') return 0;
  const prompt = a?.result.ok ? a.result.value.version.prompts.at(-1) : undefined;
  return prompt && (prompt.format === 'markdown' || prompt.format === 'text')
    ? (prompt.blocks[0]?.range.start ?? 0)
    : 0;
}

export function documentView(
  doc: vscode.TextDocument,
  scope: { start: number; end: number } | undefined,
  maxTokens: number,
  a: Analysis | undefined,
): AttentionDocumentView {
  const tokenizer = getTokenizer(ENCODING)!;
  const base = scope?.start ?? sentStart(doc, a);
  // Only the prefix the model's context holds is read and tokenized (the end offset is O(1); getText() of a big file
  // is not): tokens are rarely longer than 16 characters, and the last tokens of a cut text may split differently,
  // so the cut keeps a margin.
  const length = (scope ? scope.end : doc.offsetAt(new vscode.Position(doc.lineCount, 0))) - base;
  const read = (from: number, to: number) =>
    doc.getText(new vscode.Range(doc.positionAt(base + from), doc.positionAt(base + to)));
  let take = Math.min(length, maxTokens * 16),
    text = read(0, take),
    st = tokenizer.tokenize(text);
  while (take < length && st.ids.length <= maxTokens + 8) {
    take = Math.min(length, take * 2);
    text = read(0, take);
    st = tokenizer.tokenize(text);
  }
  const n = Math.min(st.ids.length, maxTokens);
  const tokens = Array.from({ length: n }, (_, i) => ({
    id: st.ids[i],
    text: text.slice(st.offsets[i], st.offsets[i + 1]),
    start: st.offsets[i],
    end: st.offsets[i + 1],
  }));
  // What lies beyond the context is counted exactly in small texts and estimated from the shown tokens' length in big
  // ones, where counting would tokenize the whole document on every edit.
  const shownChars = st.offsets[n];
  const cutEstimated = take < length && length > EXACT_CUT_CHARS;
  const cutTokens =
    take >= length
      ? st.ids.length - n
      : cutEstimated
        ? Math.round(((length - shownChars) * n) / Math.max(shownChars, 1))
        : Math.max(0, tokenizer.count(read(0, length)) - n);
  let cacheBoundary: number | null = null,
    cacheNote =
      'No cache report for this file (KV Lens analyzes prompt files; "KV Lens: Inspect This File" adds others).';
  const blocks: { label: string; start: number; end: number }[] = [];
  const value = a?.result.ok ? a.result.value : undefined;
  if (value && a?.model.ok) {
    const r = value.report;
    const cachedEnd = r.ranges.cached.reduce((m, [, e]) => Math.max(m, e), 0) - base;
    cacheBoundary = cachedEnd <= 0 ? 0 : tokens.filter((t) => t.end <= cachedEnd).length;
    cacheNote = `${r.cachedTokens.toLocaleString('en-US')} of ${r.tokens.toLocaleString('en-US')} ${a.model.model.displayName} tokens are served from cache (${r.baseline.label}); the dashed line is where that ends in GPT-2's tokens.`;
    for (const b of value.version.prompts.at(-1)?.blocks ?? []) {
      const s = tokens.findIndex((t) => t.start + base >= b.range.start),
        e = tokens.findIndex((t) => t.start + base >= b.range.end);
      if (s >= 0) blocks.push({ label: b.label, start: s, end: e < 0 ? tokens.length : e });
    }
  }
  const file =
    vscode.workspace.asRelativePath(doc.uri, false) +
    (scope ? ` (selection, line ${doc.positionAt(scope.start).line + 1})` : '');
  return {
    file,
    tokens,
    cutTokens,
    ...(cutEstimated ? { cutTokensEstimated: true } : {}),
    cacheBoundary,
    cacheNote,
    blocks: blocks.filter((b) => b.end > b.start),
  };
}
