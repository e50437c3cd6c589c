import * as vscode from 'vscode';
import type { Catalog } from '../../core/pricing/catalog';
import { CodeAnalyses } from '../analysis/codeAnalyses';
import type { KvLensSettings } from '../settings/settings';
import { CodeFixActions } from './codeFixActions';
import { breakDiagnostic, breakingHole, CodeLenses, staticRanges } from './codeLenses';
import type { CacheDecorations } from './decorations';

/**
 * Prompts that live in code, wired into the editor: per Python/TypeScript/JavaScript document that names an LLM SDK,
 * lenses over its calls, the static prefix tinted, a diagnostic and fixes on the value that breaks it. Other files
 * cost one language check per event. Returns what activate() keeps and the API the tests read.
 */
export interface CodePromptsDeps {
  readonly extensionUri: vscode.Uri;
  readonly catalog: () => Catalog;
  readonly settings: (uri?: vscode.Uri) => KvLensSettings;
  readonly decorations: CacheDecorations;
  readonly onDidChangeCatalog: vscode.Event<unknown>;
  readonly log: (line: string) => void;
}

export function registerCodePrompts(deps: CodePromptsDeps): {
  disposables: vscode.Disposable[];
  /** `kvlens code --json` of a document's calls (the active editor's by default), once analyzed. */
  report: (uri?: vscode.Uri) => Promise<unknown>;
} {
  const analyses = new CodeAnalyses({
    extensionUri: deps.extensionUri,
    catalog: deps.catalog,
    settings: (uri) => deps.settings(uri),
    log: deps.log,
  });
  const lenses = new CodeLenses(analyses, () => deps.settings().codeLens);
  const diagnostics = vscode.languages.createDiagnosticCollection('kvlens-code');
  const selector: vscode.DocumentSelector = [
    'python',
    'typescript',
    'typescriptreact',
    'javascript',
    'javascriptreact',
  ].map((language) => ({ language }));

  const decorate = (editor: vscode.TextEditor) => {
    const a = analyses.get(editor.document);
    if (!a) return;
    const doc = editor.document;
    const cached: vscode.Range[] = [];
    const breaks: { range: vscode.Range; note: string }[] = [];
    a.report.calls.forEach((c, i) => {
      const site = a.report.sites[i];
      if (!site) return;
      for (const r of staticRanges(site, c))
        cached.push(new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)));
      const hole = c.flag ? breakingHole(site, c, (o) => doc.positionAt(o).line) : undefined;
      if (hole)
        breaks.push({
          range: new vscode.Range(doc.positionAt(hole.start), doc.positionAt(hole.end)),
          note: `changes ${c.breaks!.volatility === 'request' ? 'per request' : c.breaks!.volatility === 'day' ? 'once a day' : 'per session'}: breaks the cache for the ${c.tokensAfter.toLocaleString('en-US')} static tokens after it`,
        });
    });
    if (deps.settings(doc.uri).tint || breaks.length)
      deps.decorations.applyRanges(editor, deps.settings(doc.uri).tint ? cached : [], breaks);
  };
  const isCode = (doc: vscode.TextDocument) =>
    selector.some((s) => typeof s !== 'string' && s.language === doc.languageId);
  const refresh = (uri: vscode.Uri) => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc) return;
    const a = analyses.get(doc);
    const out: vscode.Diagnostic[] = [];
    if (a)
      a.report.calls.forEach((_, i) => {
        const d = breakDiagnostic(doc, a, i);
        if (d) out.push(d);
      });
    diagnostics.set(uri, out);
    lenses.refresh();
    for (const e of vscode.window.visibleTextEditors)
      if (e.document.uri.toString() === uri.toString()) {
        if (a) decorate(e);
        else deps.decorations.clear(e);
      }
  };
  const openNow = () => {
    for (const e of vscode.window.visibleTextEditors) if (isCode(e.document)) analyses.schedule(e.document, true);
  };
  // After activation, not inside it: the first analysis loads the parser.
  const first = setTimeout(openNow, 0);

  const disposables: vscode.Disposable[] = [
    analyses,
    diagnostics,
    { dispose: () => clearTimeout(first) },
    analyses.onDidAnalyze(refresh),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (isCode(doc)) analyses.schedule(doc, true);
    }),
    vscode.workspace.onDidChangeTextDocument((ev) => {
      if (ev.contentChanges.length && isCode(ev.document)) analyses.schedule(ev.document);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (!isCode(doc)) return;
      analyses.forget(doc);
      diagnostics.delete(doc.uri);
    }),
    vscode.window.onDidChangeVisibleTextEditors((eds) => {
      for (const e of eds)
        if (isCode(e.document)) {
          if (analyses.get(e.document)) decorate(e);
          else analyses.schedule(e.document, true);
        }
    }),
    deps.onDidChangeCatalog(() => {
      for (const doc of vscode.workspace.textDocuments)
        if (isCode(doc)) {
          analyses.forget(doc);
          analyses.schedule(doc, true);
        }
    }),
    vscode.languages.registerCodeLensProvider(selector, lenses),
    vscode.languages.registerCodeActionsProvider(selector, new CodeFixActions(analyses, deps.catalog), {
      providedCodeActionKinds: CodeFixActions.kinds,
    }),
    vscode.commands.registerCommand('kvlens.revealCodeBreak', (uri: vscode.Uri, line: number, column: number) => {
      const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
      if (!editor) return;
      const pos = new vscode.Position(line, column);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }),
  ];
  const report = async (uri?: vscode.Uri) => {
    const doc = uri
      ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())
      : vscode.window.activeTextEditor?.document;
    if (!doc) return { error: 'no document' };
    const a = await analyses.current(doc);
    if (!a) return { error: `${doc.uri.path}: no LLM calls read (not Python/TypeScript/JavaScript naming an LLM SDK)` };
    return { file: a.report.file, language: a.report.language, calls: a.report.calls, ms: a.ms };
  };
  disposables.push(vscode.commands.registerCommand('kvlens.codeReport', (uri?: vscode.Uri) => report(uri)));
  return { disposables, report };
}
