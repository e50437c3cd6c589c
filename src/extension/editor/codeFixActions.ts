import * as vscode from 'vscode';
import { codeFixes } from '../../core/code/codeFixes';
import { codeLanguageOf } from '../../core/code/languages';
import type { Catalog } from '../../core/pricing/catalog';
import { chooseModel } from '../../core/analysis/modelChoice';
import type { CodeAnalyses } from '../analysis/codeAnalyses';
import { breakingHole } from './codeLenses';
import { count, usd } from '../../core/report/numbers';

/**
 * Code actions on a value that breaks a call's cached prefix: move it to the last user message, reduce it to day
 * precision, split the system prompt with a cache breakpoint — each titled with what it saves, computed by the same
 * prefix arithmetic as the lens. Applied as one undoable edit, only when chosen.
 */
export class CodeFixActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly analyses: CodeAnalyses,
    private readonly catalog: () => Catalog,
  ) {}

  async provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    ctx: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    const diags = ctx.diagnostics.filter((d) => d.source === 'KV Lens' && d.code === 'dynamic-before-static');
    if (!diags.length) return [];
    const a = await this.analyses.current(doc);
    const language = codeLanguageOf(doc.fileName, doc.languageId);
    if (!a || !language) return [];
    const text = doc.getText();
    const out: vscode.CodeAction[] = [];
    for (const diag of diags) {
      a.report.calls.forEach((c, i) => {
        const site = a.report.sites[i];
        const hole = site && breakingHole(site, c, (o) => doc.positionAt(o).line);
        if (!hole || !diag.range.isEqual(new vscode.Range(doc.positionAt(hole.start), doc.positionAt(hole.end))))
          return;
        const m = chooseModel(this.catalog(), [{ id: c.modelUsed.id, from: 'file' }]);
        if (!m.ok) return;
        for (const fix of codeFixes({ text, language, site, report: c, model: m.model, hole, now: Date.now() })) {
          const gain = fix.saving
            ? `caches ${count(fix.saving.tokens)} more tokens${fix.kind === 'day-precision' ? ' (all calls of a day but the first)' : ''}: −${usd(fix.saving.perCall)} per call`
            : undefined;
          const action = new vscode.CodeAction(
            gain ? `${fix.title}: ${gain}` : fix.title,
            vscode.CodeActionKind.QuickFix,
          );
          const edit = new vscode.WorkspaceEdit();
          for (const e of fix.edits)
            edit.replace(
              doc.uri,
              new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)),
              e.content,
            );
          action.edit = edit;
          action.diagnostics = [diag];
          action.isPreferred = fix.kind === 'move-to-user';
          out.push(action);
        }
      });
    }
    return out;
  }
}
