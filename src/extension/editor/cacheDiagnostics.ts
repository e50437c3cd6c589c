import * as vscode from 'vscode';
import {
  addAnthropicBreakpoint,
  addBreakpointAfter,
  addMarkerBreakpoint,
  applyFix,
  moveLineToEnd,
  removeBreakpoints,
  restoreToolOrder,
  type Fix,
} from '../../core/analysis/fixes';
import { savingOf, savingWhenChanged, type SavingsContext } from '../../core/analysis/fixSavings';
import { tokenAtSource } from '../../core/analysis/reportRanges';
import { findDynamicContent } from '../../core/cache/dynamicContent';
import { sourceAt, tokenAt } from '../../core/cache/tokenSources';
import type { CacheWarning, WarningCode } from '../../core/cache/types';
import { tokenizerForModel } from '../../core/pricing/modelTokenizer';
import type { Analysis, CacheAnalyses } from '../analysis/cacheAnalyses';
import type { Clock } from '../analysis/clock';
import { breakReason } from '../../core/report/cacheNotes';
import { count, usd } from '../../core/report/numbers';

// Only these warnings are problems; keyed by the union so a misspelt code does not compile.
const SEVERITY: Partial<Record<WarningCode, vscode.DiagnosticSeverity>> = {
  'too-many-breakpoints': vscode.DiagnosticSeverity.Error,
  'dynamic-content': vscode.DiagnosticSeverity.Warning,
  'lookback-exceeded': vscode.DiagnosticSeverity.Warning,
  'unknown-policy': vscode.DiagnosticSeverity.Warning,
  'no-breakpoint': vscode.DiagnosticSeverity.Warning,
  'below-minimum': vscode.DiagnosticSeverity.Information,
  expired: vscode.DiagnosticSeverity.Information,
};
const WHAT_TO_DO: Partial<Record<WarningCode, string>> = {
  'no-breakpoint': ' — add a cache_control breakpoint at the end of the static part',
  'below-minimum': ' — add more static content before the dynamic part, or accept that this prompt is not cached',
  'lookback-exceeded': '',
};
const PARSE_SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
} as const;

/** Problems-panel entries for what kills the cache (and for what the file's format gets wrong), each saying what to do. */
export class CacheDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('kvlens');

  update(doc: vscode.TextDocument, a: Analysis): void {
    const out: vscode.Diagnostic[] = [];
    const at = (offset: number) => {
      const p = doc.positionAt(offset);
      return new vscode.Range(p, doc.lineAt(p.line).range.end);
    };
    for (const d of a.parsed.diagnostics) {
      const diag = new vscode.Diagnostic(
        new vscode.Range(doc.positionAt(d.range.start), doc.positionAt(Math.max(d.range.end, d.range.start))),
        d.message,
        PARSE_SEVERITY[d.severity],
      );
      diag.source = 'KV Lens';
      diag.code = d.code;
      out.push(diag);
    }
    if (!a.result.ok) {
      // Placed where core says the problem is (an unknown model: the line that names it), else at the top.
      const where = a.result.diagnostic?.range.start ?? 0;
      if (!a.parsed.diagnostics.some((d) => d.severity === 'error'))
        out.push(
          Object.assign(new vscode.Diagnostic(at(where), a.result.message, vscode.DiagnosticSeverity.Warning), {
            source: 'KV Lens',
            code: a.result.diagnostic?.code ?? 'no-report',
          }),
        );
    } else {
      const r = a.result.value;
      const first = r.version.prompts.at(-1)?.blocks[0]?.range.start ?? 0;
      for (const w of r.report.warnings) {
        const severity = SEVERITY[w.code];
        if (severity === undefined) continue;
        const offset = (w.token !== undefined ? sourceAt(r.rendered, w.token) : undefined) ?? first;
        const diag = new vscode.Diagnostic(at(offset), w.message + (WHAT_TO_DO[w.code] ?? ''), severity);
        diag.source = 'KV Lens';
        diag.code = w.code;
        out.push(diag);
      }
      // Where the cache breaks against what was sent before (a fix may apply: restore the tools' order).
      const brk = breakReason(r, a.model.ok ? a.model.model.cache.minTokens : 0);
      if (brk && r.report.firstDivergence && r.report.baseline.kind !== 'steady') {
        const diag = new vscode.Diagnostic(
          at(r.report.firstDivergence.offset),
          `${brk[0].toUpperCase()}${brk.slice(1)}`,
          vscode.DiagnosticSeverity.Information,
        );
        diag.source = 'KV Lens';
        diag.code = 'prefix-changed';
        out.push(diag);
      }
      // What the history says changes: stronger than any pattern, and only where a large static part follows.
      const large = a.model.ok ? Math.max(a.model.model.cache.minTokens, 256) : 256;
      for (const v of a.volatile) {
        const offset = doc.offsetAt(new vscode.Position(v.line, 0));
        const token = tokenAt(r.rendered, offset);
        const after = r.report.tokens - token;
        if (after < large || !tokenAtSource(r.rendered, offset)) continue;
        const diag = new vscode.Diagnostic(
          at(offset),
          `"${v.text.trim().slice(0, 60)}" changed in ${v.changes} of the last ${v.compared + 1} versions of this file: each change breaks the cache for the ${after} tokens after it — move it after the static part`,
          vscode.DiagnosticSeverity.Warning,
        );
        diag.source = 'KV Lens';
        diag.code = 'volatile-line';
        out.push(diag);
      }
    }
    this.collection.set(doc.uri, out);
  }

  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.collection.dispose();
  }
}

/**
 * Code actions for the mechanical fixes, each titled with what it buys, computed by analyzing the fixed text with the
 * same core function: moving dynamic content after the static part, adding a breakpoint. The document is edited only
 * when the action is chosen, as one undoable edit.
 */
export class CacheFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly analyses: CacheAnalyses,
    private readonly clock: Clock,
  ) {}

  async provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    ctx: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    // Waits for the analysis of this version: right after a baseline change (a commit) the results are re-computed
    // while the diagnostics of the previous run are still shown, and their fixes should not vanish meanwhile.
    // Source files' diagnostics have their own fixes (editor/codeFixActions.ts).
    if (!ctx.diagnostics.some((d) => d.source === 'KV Lens' && d.code !== 'dynamic-before-static')) return [];
    const a = this.analyses.get(doc) ?? (await this.analyses.current(doc));
    if (!a?.result.ok || !a.model.ok || a.version !== doc.version) return [];
    const out: vscode.CodeAction[] = [];
    const r = a.result.value;
    const text = r.version.text;
    const format = r.version.prompts.at(-1)?.format;
    const plain = format === 'text' || format === 'markdown';
    for (const diag of ctx.diagnostics) {
      if (diag.source !== 'KV Lens') continue;
      if (diag.code === 'volatile-line' && plain) {
        const start = doc.offsetAt(diag.range.start),
          end = doc.offsetAt(diag.range.end);
        const m = { kind: 'counter' as const, start, end, text: doc.getText(diag.range).trim() };
        const fix = moveLineToEnd(text, m);
        if (!fix) continue;
        const gain = this.gainWhenChanged(a, text, m, fix);
        out.push(this.action(doc, diag, gain ? `${fix.title}: ${gain}` : fix.title, fix));
        continue;
      }
      if (diag.code === 'prefix-changed' && a.baseline.text !== undefined && !plain) {
        const fix = restoreToolOrder(text, a.baseline.text, r.report.baseline.label);
        if (fix)
          out.push(
            this.action(
              doc,
              diag,
              `${fix.title}: ${this.gain(a, text, applyFix(text, fix), a.baseline.text) ?? 'the cached prefix is back'}`,
              fix,
            ),
          );
        continue;
      }
      const w = r.report.warnings.find(
        (x) =>
          x.code === diag.code &&
          (x.token === undefined || doc.positionAt(sourceAt(r.rendered, x.token) ?? 0).line === diag.range.start.line),
      );
      if (!w) continue;
      let fix: Fix | undefined;
      let gain: string | undefined;
      if (w.code === 'dynamic-content' && plain) {
        const m = this.matchAt(text, sourceAt(r.rendered, w.token!) ?? 0);
        fix = m && moveLineToEnd(text, m);
        if (fix && m) gain = this.gainWhenChanged(a, text, m, fix);
      } else if (w.code === 'no-breakpoint') {
        fix = plain ? addMarkerBreakpoint(text, this.firstDynamic(text, r)) : addAnthropicBreakpoint(text);
        if (fix) gain = this.gain(a, text, applyFix(text, fix));
      } else if (w.code === 'lookback-exceeded') {
        const blocks = r.version.prompts.at(-1)?.blocks ?? [];
        const b = blocks.findIndex((_, i) => r.rendered.blockStart[i + 1] === w.token);
        fix = b >= 0 ? addBreakpointAfter(text, blocks[b].range) : undefined;
      } else if (w.code === 'too-many-breakpoints') {
        const blocks = r.version.prompts.at(-1)?.blocks ?? [];
        const ranges = r.rendered.breakpoints
          .map((b) => blocks[b.block]?.range)
          .filter((x): x is NonNullable<typeof x> => !!x);
        fix = removeBreakpoints(text, ranges, a.model.model.cache.maxBreakpoints ?? 4);
        if (fix) gain = this.gain(a, text, applyFix(text, fix));
      }
      if (!fix) continue;
      out.push(this.action(doc, diag, gain ? `${fix.title}: ${gain}` : fix.title, fix));
    }
    return out;
  }

  private action(doc: vscode.TextDocument, diag: vscode.Diagnostic, title: string, fix: Fix): vscode.CodeAction {
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    const edit = new vscode.WorkspaceEdit();
    for (const e of fix.edits)
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
    action.edit = edit;
    action.diagnostics = [diag];
    action.isPreferred = true;
    return action;
  }

  private matchAt(text: string, offset: number) {
    return findDynamicContent(text, offset, offset + 200, 1)[0];
  }

  private firstDynamic(text: string, r: Extract<Analysis['result'], { ok: true }>['value']): number | undefined {
    const w: CacheWarning | undefined = r.report.warnings.find(
      (x) => x.code === 'dynamic-content' && x.token !== undefined,
    );
    return w ? sourceAt(r.rendered, w.token!) : undefined;
  }

  private context(a: Analysis): SavingsContext | undefined {
    return a.model.ok
      ? {
          fileName: a.uri,
          model: a.model.model,
          tokenizer: tokenizerForModel(a.model.model).tokenizer,
          now: this.clock.now(),
        }
      : undefined;
  }

  /** Saving of the fixed text over the current one (steady state, or against a baseline text), as words. */
  private gain(a: Analysis, before: string, after: string, baseline?: string): string | undefined {
    const c = this.context(a),
      s = c && savingOf(c, before, after, baseline);
    return s ? `caches ${count(s.tokens)} more tokens: −${usd(s.perCall)} per call` : undefined;
  }

  /** What moving the dynamic line saves on the calls where its value changes (the next request differs there). */
  private gainWhenChanged(a: Analysis, text: string, m: { start: number; end: number }, fix: Fix): string | undefined {
    const c = this.context(a),
      s = c && savingWhenChanged(c, text, m, fix);
    return s
      ? `keeps ${count(s.tokens)} more tokens cached on each call where the value changes: −${usd(s.perCall)} per call`
      : undefined;
  }
}
