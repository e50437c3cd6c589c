import * as vscode from 'vscode';
import type { CodeCallReport, HoleReport } from '../../core/code/callReport';
import type { CallSite, Hole, TextPiece } from '../../core/code/types';
import type { CodeAnalyses, CodeAnalysis } from '../analysis/codeAnalyses';
import { count, tokens, usd } from '../../core/report/numbers';

/**
 * Prompts in code in the editor: a lens over each LLM call saying what its prompt keeps cached and what breaks it, the
 * static prefix tinted in the source, and a diagnostic on the value that breaks it. Words are made here from the
 * report's fields; the numbers are the CLI's.
 */

const VOL: Record<string, string> = {
  request: 'per request',
  session: 'per session',
  day: 'once a day',
  process: 'fixed per process',
  config: 'from config',
  unknown: 'changes unknown',
};

const at = (h: HoleReport) => `${h.file ? `${h.file}:` : 'line '}${h.line}`;

/** The lens title of one call. */
export function callLensTitle(c: CodeCallReport): string {
  const ex = c.modelUsed.exact;
  const what = c.systemStatic === null && !c.cachedPrefix.tokens ? 'prompt' : 'system';
  const head =
    c.cachedPrefix.tokens === 0
      ? `${what}: no static prefix`
      : c.cachedPrefix.cachedTokens > 0
        ? `${what}: ${tokens(c.cachedPrefix.tokens, ex)} static tokens cached`
        : c.cachedPrefix.reachesMinimum
          ? `${what}: ${tokens(c.cachedPrefix.tokens, ex)} static tokens, not cached (no cache_control)`
          : `${what}: ${tokens(c.cachedPrefix.tokens, ex)} static tokens, below the ${count(c.minTokens)} minimum`;
  const parts = [head];
  if (c.breaks) {
    parts.push(
      `first dynamic value: \`${c.breaks.what}\` at ${at(c.breaks)}, ${VOL[c.breaks.volatility]} → nothing after it is cached${c.lostPerCall !== null ? `: ${usd(c.lostPerCall)} per call` : ''}`,
    );
  } else if (c.cachedPrefix.until) {
    const u = c.cachedPrefix.until;
    parts.push(`then \`${u.what}\` (${VOL[u.volatility]}${u.unknown ? `: ${u.unknown}` : ''})`);
  } else if (c.firstDynamic) parts.push(`\`${c.firstDynamic.what}\` is ${VOL[c.firstDynamic.volatility]}: cached`);
  parts.push(c.modelUsed.id + (c.modelUsed.from === 'call' ? '' : ' (assumed)'));
  return `$(zap) ${parts.join(' · ')}`;
}

/** The hole of a site that a report's `breaks` names (the same value, by its position). */
export function breakingHole(site: CallSite, c: CodeCallReport, lineOf: (offset: number) => number): Hole | undefined {
  if (!c.breaks || c.breaks.file) return undefined;
  for (const part of [...(site.system ?? []), ...(site.firstMessage ? [site.firstMessage] : [])])
    for (const p of part.pieces)
      if (p.kind === 'hole' && !p.file && p.what === c.breaks.what && lineOf(p.start) + 1 === c.breaks.line) return p;
  return undefined;
}

/** The source ranges of a call's static prefix (text of this file before the value that ends it). */
export function staticRanges(site: CallSite, c: CodeCallReport): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const stopLine = c.cachedPrefix.until;
  for (const part of [...(site.system ?? []), ...(site.firstMessage ? [site.firstMessage] : [])])
    for (const p of part.pieces) {
      if (p.kind === 'hole') {
        if (stopLine && p.what === stopLine.what && (p.file ?? '') === (stopLine.file ?? '')) return out;
        continue;
      }
      const t = p as TextPiece;
      if (t.file || t.start < 0 || t.end <= t.start || !t.text.trim()) continue;
      const last = out[out.length - 1];
      if (last && last.end >= t.start - 1 && last.end <= t.start) last.end = t.end;
      else out.push({ start: t.start, end: t.end });
    }
  return out;
}

export class CodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly analyses: CodeAnalyses,
    private readonly enabled: () => boolean,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.enabled()) return [];
    const a = this.analyses.get(doc) ?? this.analyses.last(doc);
    if (!a) return [];
    return a.report.calls.map((c) => {
      const line = Math.min(c.line - 1, doc.lineCount - 1);
      return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title: callLensTitle(c),
        command: c.breaks ? 'kvlens.revealCodeBreak' : '',
        arguments: c.breaks && !c.breaks.file ? [doc.uri, c.breaks.line - 1, c.breaks.column - 1] : undefined,
        tooltip: c.warnings.join('\n') || undefined,
      });
    });
  }
}

/** The diagnostic of one flagged call: on the value that breaks its cached prefix, saying what to do. */
export function breakDiagnostic(doc: vscode.TextDocument, a: CodeAnalysis, i: number): vscode.Diagnostic | undefined {
  const c = a.report.calls[i];
  const site = a.report.sites[i];
  if (!c.flag || !c.breaks || !site) return undefined;
  const hole = breakingHole(site, c, (o) => doc.positionAt(o).line);
  if (!hole) return undefined;
  const range = new vscode.Range(doc.positionAt(hole.start), doc.positionAt(hole.end));
  const cost = c.lostPerCall !== null ? ` (${usd(c.lostPerCall)} per call)` : '';
  const d = new vscode.Diagnostic(
    range,
    `\`${c.breaks.what}\` changes ${VOL[c.breaks.volatility]} (${c.breaks.why}) and sits ahead of ${count(c.tokensAfter)} static prompt tokens of the ${c.sdk} call at line ${c.line}: nothing after it is cached${cost} — move it after the static text`,
    c.breaks.volatility === 'request' && c.wouldReachMinimum
      ? vscode.DiagnosticSeverity.Warning
      : vscode.DiagnosticSeverity.Information,
  );
  d.source = 'KV Lens';
  d.code = 'dynamic-before-static';
  return d;
}
