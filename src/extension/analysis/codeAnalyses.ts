import * as vscode from 'vscode';
import type { CodeReport } from '../../core/code/analyzeCode';
import { codeLanguageOf, mentionsLlmSdk } from '../../core/code/languages';
import type { CodeParsers } from '../../core/code/parser';
import type { WorkspaceFiles } from '../../core/code/workspaceModules';
import { chooseModel } from '../../core/analysis/modelChoice';
import type { Catalog } from '../../core/pricing/catalog';
import type { KvLensSettings } from '../settings/settings';

/**
 * Prompts in code, per document: Python and TypeScript/JavaScript documents that name an LLM SDK (a cheap textual
 * test) are analyzed with `kvlens code`'s core function — the tree-sitter runtime and the grammar are loaded on the
 * first such document only, and the analysis runs debounced after edits, one at a time per document, so typing in a
 * large file never waits for it. Results are dropped when the document closes.
 */

const LANGUAGES = new Set(['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact']);
const DEBOUNCE_MS = 300;
/** Workspace files the folding reads for imports: at most this large. */
const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

export interface CodeAnalysis {
  readonly version: number;
  readonly report: CodeReport;
  /** Milliseconds the analysis took (parse, fold, count). */
  readonly ms: number;
}

export interface CodeAnalysesDeps {
  readonly extensionUri: vscode.Uri;
  readonly catalog: () => Catalog;
  readonly settings: (uri: vscode.Uri) => KvLensSettings;
  readonly log: (line: string) => void;
}

type CoreCode = typeof import('../../core/code/analyzeCode') & typeof import('../../core/code/parser');

export class CodeAnalyses implements vscode.Disposable {
  private readonly results = new Map<string, CodeAnalysis>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidAnalyze = this.changed.event;
  private core?: Promise<{ mod: CoreCode; parsers: CodeParsers }>;

  constructor(private readonly deps: CodeAnalysesDeps) {}

  /** A document KV Lens reads calls in: a Python/TS/JS language and an SDK named in its text. */
  isCandidate(doc: vscode.TextDocument): boolean {
    return (
      LANGUAGES.has(doc.languageId) &&
      !!codeLanguageOf(doc.fileName, doc.languageId) &&
      doc.getText().length <= this.deps.settings(doc.uri).maxFileSizeMB * 1024 * 1024 &&
      mentionsLlmSdk(doc.getText())
    );
  }

  get(doc: vscode.TextDocument): CodeAnalysis | undefined {
    const a = this.results.get(doc.uri.toString());
    return a && a.version === doc.version ? a : undefined;
  }

  /** The newest analysis, even of an older version (lenses keep their lines while the next one runs). */
  last(doc: vscode.TextDocument): CodeAnalysis | undefined {
    return this.results.get(doc.uri.toString());
  }

  /** Schedules an analysis of the document (debounced); `now` skips the wait (opening a file). */
  schedule(doc: vscode.TextDocument, now = false): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    if (!this.isCandidate(doc)) {
      if (this.results.delete(key)) this.changed.fire(doc.uri);
      return;
    }
    this.timers.set(
      key,
      setTimeout(
        () => {
          this.timers.delete(key);
          void this.run(doc);
        },
        now ? 0 : DEBOUNCE_MS,
      ),
    );
  }

  /** Analyzes the document's current version now (tests, code actions): resolves with the result. */
  async current(doc: vscode.TextDocument): Promise<CodeAnalysis | undefined> {
    if (!this.isCandidate(doc)) return undefined;
    const done = this.get(doc);
    if (done) return done;
    await this.run(doc);
    return this.get(doc);
  }

  private async run(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    // One analysis at a time per document; a newer version waits for the running one, then runs.
    const prev = this.running.get(key);
    const next = (prev ?? Promise.resolve()).then(() => this.analyze(doc));
    this.running.set(key, next);
    try {
      await next;
    } finally {
      if (this.running.get(key) === next) this.running.delete(key);
    }
  }

  private async analyze(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed) return;
    const version = doc.version;
    if (this.results.get(doc.uri.toString())?.version === version) return;
    const text = doc.getText();
    const t0 = performance.now();
    try {
      const { mod, parsers } = await this.loadCore();
      const settings = this.deps.settings(doc.uri);
      const catalog = this.deps.catalog();
      const fb = chooseModel(catalog, [{ id: settings.model, from: 'settings' }]);
      const fallback = fb.ok ? fb.model : undefined;
      if (!fallback) throw new Error(fb.ok ? 'no model' : fb.message);
      const report = await mod.analyzeCode({
        text,
        fileName: doc.uri.path,
        languageId: doc.languageId,
        parsers,
        models: { catalog, fallback, fallbackFrom: 'settings' },
        workspace: workspaceFiles(doc.uri),
        now: Date.now(),
      });
      if (doc.isClosed || doc.version !== version) return;
      this.results.set(doc.uri.toString(), { version, report, ms: performance.now() - t0 });
      this.changed.fire(doc.uri);
    } catch (e) {
      this.deps.log(`${doc.uri.fsPath || doc.uri.toString()}: cannot read its LLM calls (${(e as Error).message})`);
    }
  }

  /** The code analysis and the parser, loaded on first use (their modules are evaluated only then). */
  private loadCore(): Promise<{ mod: CoreCode; parsers: CodeParsers }> {
    this.core ??= (async () => {
      const [analyze, parser] = await Promise.all([
        import('../../core/code/analyzeCode'),
        import('../../core/code/parser'),
      ]);
      const base = vscode.Uri.joinPath(this.deps.extensionUri, 'dist/grammars');
      const parsers = new parser.CodeParsers(async (file) =>
        vscode.workspace.fs.readFile(vscode.Uri.joinPath(base, file)),
      );
      return { mod: { ...analyze, ...parser }, parsers };
    })();
    this.core.catch(() => (this.core = undefined));
    return this.core;
  }

  forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.results.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.changed.dispose();
  }
}

/** The document's workspace folder as the folding reads it (imports of its files are followed). */
function workspaceFiles(uri: vscode.Uri): WorkspaceFiles | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  if (!uri.path.startsWith(base)) return undefined;
  return {
    self: uri.path.slice(base.length),
    read: async (rel) => {
      const target = vscode.Uri.joinPath(folder.uri, rel);
      try {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
        if (open) return open.getText();
        const stat = await vscode.workspace.fs.stat(target);
        if (stat.type !== vscode.FileType.File || stat.size > MAX_IMPORT_BYTES) return undefined;
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
      } catch {
        return undefined;
      }
    },
  };
}
