import * as vscode from 'vscode';
import { getTokenizer } from '../../../core/tokenizer/registry';
import { preloadEncoding } from '../../../core/tokenizer/openAiEncodings';
import { documentTokens } from '../../../core/attention/documentTokens';
import type {
  AttentionBackendChoice,
  AttentionBoot,
  AttentionDocumentView,
  AttentionFirstPaint,
  AttentionModelView,
  AttentionRuntimeView,
  AttentionStartup,
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
  fileVersion,
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
const CHOICE_KEY = 'kvlens.attention.model';
/** Per model id: which backend measured faster on this machine (AttentionBackendChoice). */
const BACKEND_KEY = 'kvlens.attention.backends';
/** The onnxruntime-web builds the build script writes (scripts/build.mjs), by backend: gzip'd, a quarter the bytes. */
const ORT_FILES = { wasm: 'ort-wasm-simd-threaded.wasm.gz', webgpu: 'ort-wasm-simd-threaded.jspi.wasm.gz' } as const;
/** How long the panel's HTML waits for the model's description, so the webview can start fetching it at once. */
const BOOT_WAIT_MS = 150;
/** How much longer than the silence a status wait gives a webview that has not loaded its page yet. */
const PAGE_LOAD_MS = 100_000;

export interface AttentionDeps {
  readonly extensionUri: vscode.Uri;
  readonly storage: vscode.Uri;
  readonly memento: vscode.Memento;
  readonly downloader: Downloader | undefined;
  /** The editor's cache report of a document, when it has one. */
  readonly analysis: (doc: vscode.TextDocument) => Analysis | undefined;
  readonly onDidAnalyze: vscode.Event<vscode.TextDocument>;
  readonly log: (line: string) => void;
  /** Lines for the log at debug level (the first heat map's breakdown). */
  readonly debug: (line: string) => void;
}

/**
 * The attention panel's host: follows the active editor (or the selection it was opened on), sends the text's GPT-2
 * tokens with their document ranges, the editor's cache boundary and the prompt's blocks, reveals a token the panel
 * clicks, and keeps the panel's last status for `kvlens.attentionStatus`. Start-up work begins with the command: the
 * panel's HTML names the runtime and the model, so the webview loads them while the host tokenizes the text.
 */
export class AttentionPanel {
  private static current: AttentionPanel | undefined;
  /** Panels opened by the command since the extension started: the first is a cold start, the others reopen. */
  private static opened = 0;
  private static runtime: Promise<{ uri: vscode.Uri; version: string; bytes: number }[]> | undefined;
  private doc: vscode.TextDocument | undefined;
  /** The selection the panel was opened on (document offsets), else the whole text. */
  private scope: { start: number; end: number } | undefined;
  private model: LoadedModel | undefined;
  private modelLoad: Promise<LoadedModel | undefined> | undefined;
  /** The model the webview was told of (its id and version), in its HTML or a message. */
  private sentModel: string | undefined;
  private ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The text's view, computed before the webview is ready (then sent on its first message). */
  private waitingView: AttentionDocumentView | undefined;
  /** The document offset of the panel's first token (the scope's start, or where the sent text starts). */
  private base = 0;
  private status: AttentionStatus | undefined;
  private startup: AttentionStartup | undefined;
  /** When the webview's document started, on the host's clock (from its `ready`). */
  private webviewStart: number | undefined;
  /** Callers waiting for a status: each checks a new one, or gives up (with the last) when the panel cannot answer. */
  private statusWaiters: { readonly check: (s: AttentionStatus) => void; readonly giveUp: () => void }[] = [];
  /** When the panel was last heard from (any message), on the host's clock: a silent panel is not at work. */
  private heardAt: number;
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: AttentionDeps,
    /** When the command ran (or the panel was restored), on the host's clock, and which kind of start it is. */
    private readonly openedAt: number,
    private readonly kind: AttentionStartup['kind'],
  ) {
    panel.webview.options = attentionOptions(deps);
    this.heardAt = openedAt;
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        const msg = attentionMessage(m, this.textLength());
        if (!msg) return;
        this.heardAt = performance.now();
        void this.onMessage(msg);
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
      for (const w of [...this.statusWaiters]) w.giveUp();
      for (const d of this.disposables) d.dispose();
      clearTimeout(this.timer);
      if (AttentionPanel.current === this) AttentionPanel.current = undefined;
    });
    void this.writeHtml().catch((e: unknown) => {
      deps.log(`attention panel: ${(e as Error).message ?? e}`);
      panel.webview.html = panelHtml(panel.webview, deps.extensionUri, {
        app: 'attention',
        title: 'KV Lens: attention',
      });
    });
  }

  static show(deps: AttentionDeps, editor: vscode.TextEditor | undefined): AttentionPanel {
    const at = performance.now();
    let p = AttentionPanel.current;
    if (!p) {
      const panel = vscode.window.createWebviewPanel(
        ATTENTION_VIEW,
        'KV Lens: Attention',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        attentionOptions(deps),
      );
      p = AttentionPanel.current = new AttentionPanel(panel, deps, at, AttentionPanel.opened++ ? 'reopen' : 'cold');
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
    const at = performance.now();
    AttentionPanel.current?.panel.dispose();
    AttentionPanel.opened++;
    const p = (AttentionPanel.current = new AttentionPanel(panel, deps, at, 'reload'));
    const e = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
    if (e) p.follow(e.document, true);
  }

  static get open(): AttentionPanel | undefined {
    return AttentionPanel.current;
  }

  /**
   * The panel's last status; with `ok`, waits for the next one that satisfies it — for as long as the panel is at
   * work. A cold start on a busy machine may take far longer than on an idle one, but the panel says each step it
   * begins (`loading`), so the wait ends with the answer, or with the last status when the panel reports an error,
   * is closed, or has been silent for `silentMs` (a wall-clock deadline would fail a start that is slow, not stuck).
   */
  lastStatus(ok?: (s: AttentionStatus) => boolean, silentMs = 20000): Promise<AttentionStatus | undefined> {
    if (!ok || (this.status && ok(this.status))) return Promise.resolve(this.status);
    const since = performance.now();
    // A webview still loading its page (no `ready` yet) cannot speak: that is not silence (on a loaded machine the
    // page alone may take longer than silentMs), but a page not loaded after PAGE_LOAD_MS more is taken as stuck.
    const quietMs = () =>
      this.ready ? performance.now() - Math.max(this.heardAt, since) : performance.now() - since - PAGE_LOAD_MS;
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (s: AttentionStatus | undefined) => {
        clearTimeout(timer);
        this.statusWaiters = this.statusWaiters.filter((w) => w !== waiter);
        resolve(s);
      };
      // Silence counts from the later of the call and the panel's last message. When the timer fires, messages that
      // arrived while this host was busy may still wait behind it (timers run before I/O): a second turn of the
      // event loop handles them first, then it decides.
      const arm = () => {
        timer = setTimeout(
          () =>
            (timer = setTimeout(() => {
              if (!this.statusWaiters.includes(waiter)) return;
              if (quietMs() < silentMs) arm();
              else done(this.status);
            }, 0)),
          Math.max(0, silentMs - quietMs()),
        );
      };
      const waiter = {
        check: (s: AttentionStatus) => {
          if (ok(s)) done(s);
        },
        giveUp: () => done(this.status),
      };
      this.statusWaiters.push(waiter);
      arm();
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

  /** The webview's HTML, with the runtime and (when known within a moment) the model, so it starts loading them. */
  private async writeHtml(): Promise<void> {
    const runtime = await AttentionPanel.runtimeOf(this.deps.extensionUri, this.panel.webview);
    const model = await Promise.race([
      this.ensureModel().catch(() => undefined),
      new Promise<undefined>((r) => setTimeout(r, BOOT_WAIT_MS)),
    ]);
    const view = model && this.modelView(model);
    if (view) this.sentModel = modelKey(view);
    const boot: AttentionBoot = { runtime, ...(view ? { model: view } : {}) };
    this.panel.webview.html = panelHtml(this.panel.webview, this.deps.extensionUri, {
      app: 'attention',
      title: 'KV Lens: attention',
      wasm: true,
      boot,
    });
  }

  /** The onnxruntime-web builds as this webview fetches them (their versions are read once per window). */
  private static async runtimeOf(extensionUri: vscode.Uri, webview: vscode.Webview): Promise<AttentionRuntimeView> {
    const file = async (name: string) => {
      const uri = vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'ort', name);
      return { uri, ...(await fileVersion(uri)) };
    };
    AttentionPanel.runtime ??= Promise.all([file(ORT_FILES.wasm), file(ORT_FILES.webgpu)]).catch((e: unknown) => {
      AttentionPanel.runtime = undefined;
      throw e;
    });
    const [wasm, webgpu] = await AttentionPanel.runtime;
    const asset = (f: typeof wasm) => ({
      url: webview.asWebviewUri(f.uri).toString(),
      version: f.version,
      bytes: f.bytes,
    });
    return { wasm: asset(wasm), webgpu: asset(webgpu) };
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

  private modelView(m: LoadedModel): AttentionModelView {
    const preferred = this.deps.memento.get<Record<string, AttentionBackendChoice>>(BACKEND_KEY)?.[m.id];
    return {
      id: m.id,
      label: m.label,
      demo: m.demo,
      shape: m.shape,
      heads: m.heads,
      source: m.file
        ? {
            kind: 'file',
            file: { url: this.panel.webview.asWebviewUri(m.file).toString(), version: m.version, bytes: m.bytes },
          }
        : { kind: 'demo', version: m.version, bytes: m.bytes },
      ...(preferred ? { preferred } : {}),
    };
  }

  /** Tells the webview of the model, unless it knows it already (its HTML named it, or a message did). */
  private async postModel(m: LoadedModel): Promise<void> {
    const view = this.modelView(m);
    const key = modelKey(view);
    if (key === this.sentModel) return;
    this.sentModel = key;
    await this.post({ type: 'model', model: view });
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

  /**
   * Computes the text's view and sends it; before the webview is ready the view waits for it (the tokenizer's first
   * use loads its ranks: that happens while the webview loads, not after).
   */
  private async postDocument(anyway = false): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
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
    const view = documentView(doc, this.scope, m.shape.maxPositions ?? 1024, analysis);
    // Token offsets in the panel count from here: the selection and a token's reveal map through the same base.
    this.base = this.scope?.start ?? sentStart(doc, analysis);
    if (!this.ready) {
      this.waitingView = view;
      return;
    }
    this.waitingView = undefined;
    await this.post({ type: 'document', document: view });
  }

  /** UTF-16 length of the text the panel shows: the scope it was opened on, or the whole document. */
  private textLength(): number {
    if (this.scope) return this.scope.end - this.scope.start;
    const doc = this.doc;
    return doc ? doc.offsetAt(new vscode.Position(doc.lineCount, 0)) : 0;
  }

  /** The first heat map's breakdown: the webview's parts, and the command's own time before the webview existed. */
  private firstPaint(t: AttentionFirstPaint): void {
    // The webview's parts are on its own clock, from its document's start; the host saw the command and, with the
    // webview's `ready`, when that document started. (The message itself may wait behind the webview's next run.)
    const panelMs = Math.max(0, (this.webviewStart ?? this.openedAt) - this.openedAt);
    const totalMs = panelMs + t.elapsedMs;
    this.startup = { ...t, kind: this.kind, totalMs, panelMs };
    const parts = Object.entries(this.startup)
      .filter(([k, v]) => k.endsWith('Ms') && k !== 'totalMs' && k !== 'elapsedMs' && typeof v === 'number')
      .map(([k, v]) => `${k.replace(/Ms$/, '')} ${Math.round(v as number)}`)
      .join(', ');
    void this.post({ type: 'startup', startup: this.startup });
    this.deps.debug(
      `attention: first heat map (${this.kind}, ${t.backend}, ${t.firstTokens} tokens) ${Math.round(totalMs)} ms after the command: ${parts} ms; ${t.rowsKept ? 'rows an earlier panel computed for these tokens (the model runs after)' : `runtime ${t.wasmCached ? 'from the panel cache' : 'fetched'}, model ${t.modelCached ? 'from the panel cache' : t.modelBuilt ? 'built from its seed' : 'fetched'}`}`,
    );
  }

  /** Every message the panel sends (src/protocol.ts), each handled: the lint's exhaustiveness check keeps it so. */
  private async onMessage(m: AttentionViewToHost): Promise<void> {
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        if (m.at !== undefined) this.webviewStart ??= performance.now() - m.at;
        const model = await this.ensureModel();
        if (model) await this.postModel(model);
        if (this.waitingView) {
          const view = this.waitingView;
          this.waitingView = undefined;
          await this.post({ type: 'document', document: view });
        } else await this.postDocument();
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
      case 'status': {
        const status = this.startup ? { ...m.status, startup: this.startup } : m.status;
        this.status = status;
        for (const w of [...this.statusWaiters]) w.check(status);
        return;
      }
      case 'firstPaint':
        this.firstPaint(m.timing);
        return;
      case 'backendMeasured': {
        const all = this.deps.memento.get<Record<string, AttentionBackendChoice>>(BACKEND_KEY) ?? {};
        await this.deps.memento.update(BACKEND_KEY, { ...all, [m.model]: m.choice });
        this.deps.debug(
          `attention: ${m.model} runs on ${m.choice.backend} here (WASM ${Math.round(m.choice.wasmMs)} ms, WebGPU ${m.choice.webgpuMs === null ? `failed: ${m.choice.note}` : `${Math.round(m.choice.webgpuMs)} ms`} on ${m.choice.tokens} tokens)`,
        );
        return;
      }
      case 'error':
        this.deps.log(`attention panel: ${m.message}`);
        // No status will come for what failed: whoever waits for one hears so now (with the last one, if any).
        for (const w of [...this.statusWaiters]) w.giveUp();
        return;
      case 'loading':
        this.deps.debug(
          `attention: start-up step "${m.step}" at ${Math.round(performance.now() - this.openedAt)} ms after the command`,
        );
        return;
      case 'chooseModel':
        await vscode.commands.executeCommand('kvlens.chooseAttentionModel');
        return;
    }
  }
}

/** A model as the webview knows it: its id and the version of its graph. */
const modelKey = (v: AttentionModelView) =>
  `${v.id}@${v.source.kind === 'file' ? v.source.file.version : v.source.version}`;

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
  const base = scope?.start ?? sentStart(doc, a);
  // Only the prefix the model's context holds is read (the end offset is O(1); getText() of a big file is not).
  const length = (scope ? scope.end : doc.offsetAt(new vscode.Position(doc.lineCount, 0))) - base;
  const read = (from: number, to: number) =>
    doc.getText(new vscode.Range(doc.positionAt(base + from), doc.positionAt(base + to)));
  const { tokens, cutTokens, cutTokensEstimated } = documentTokens(getTokenizer(ENCODING)!, read, length, maxTokens);
  let cacheBoundary: number | null = null,
    provider: AttentionDocumentView['provider'] = null;
  const blocks: { label: string; start: number; end: number }[] = [];
  const value = a?.result.ok ? a.result.value : undefined;
  if (value && a?.model.ok) {
    const r = value.report;
    const cachedEnd = r.ranges.cached.reduce((m, [, e]) => Math.max(m, e), 0) - base;
    cacheBoundary = cachedEnd <= 0 ? 0 : tokens.filter((t) => t.end <= cachedEnd).length;
    provider = {
      model: a.model.model.displayName,
      cachedTokens: r.cachedTokens,
      tokens: r.tokens,
      baseline: r.baseline.label,
    };
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
    ...(cutTokensEstimated ? { cutTokensEstimated: true } : {}),
    cacheBoundary,
    provider,
    blocks: blocks.filter((b) => b.end > b.start),
  };
}
