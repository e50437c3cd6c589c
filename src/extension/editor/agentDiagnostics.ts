import * as vscode from 'vscode';
import { HARNESS_NAMES, warningMessage, type AgentWarning, type AgentWarningCode } from '../../core/agents';
import {
  alwaysApplyBoolean,
  alwaysApplyInsteadOfGlobs,
  applyToEverything,
  cursorFrontMatter,
  descriptionInsteadOfGlobs,
  inheritModel,
  type AgentFix,
} from '../../core/agents/fixes';
import { moveLineToEnd } from '../../core/analysis/fixes';
import type { AgentPlacement, AgentPlacements } from '../analysis/agentPlacements';
import { count } from '../../core/report/numbers';

const W = vscode.DiagnosticSeverity.Warning,
  I = vscode.DiagnosticSeverity.Information,
  E = vscode.DiagnosticSeverity.Error;
const SEVERITY: Record<AgentWarningCode, vscode.DiagnosticSeverity> = {
  'budget-truncated': W,
  'budget-skipped': W,
  'dynamic-content': W,
  'cursor-rule-no-front-matter': W,
  'globs-match-everything': W,
  'skill-description-truncated': W,
  'sub-agent-model-differs': I,
  'import-missing': W,
  'import-cycle': W,
  'import-too-deep': W,
  'import-outside': I,
  'duplicate-text': W,
  'file-too-big': E,
  'not-regular': E,
  'link-outside': E,
  unreadable: E,
  'front-matter-malformed': W,
  'invalid-utf8': W,
  'date-before-instructions': I,
  'untrusted-skipped': I,
  'scan-limit': I,
};

/** The source every KV Lens diagnostic of an instruction file carries (its code is the warning's). */
const SOURCE = 'KV Lens (agents)';

/**
 * Problems-panel entries for an open instruction file: core's warnings about it, on their line, each saying what to do.
 * The same finding from several agents (a date in a file three of them load) is one entry naming them all.
 */
export class AgentDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('kvlens-agents');

  update(doc: vscode.TextDocument, a: AgentPlacement): void {
    const groups = new Map<string, AgentWarning[]>();
    for (const w of [...a.warnings, ...(a.nested?.warnings ?? [])]) {
      const key = `${w.code}:${w.line ?? 0}:${JSON.stringify({ ...w.facts, harness: undefined })}`;
      const g = groups.get(key);
      if (g) {
        if (!g.some((x) => x.harness === w.harness)) g.push(w);
      } else groups.set(key, [w]);
    }
    const out: vscode.Diagnostic[] = [];
    for (const [, ws] of groups) {
      const w = ws[0];
      const line = Math.min(Math.max(0, (w.line ?? 1) - 1), doc.lineCount - 1);
      const also = ws
        .slice(1)
        .map((x) => (x.harness ? HARNESS_NAMES[x.harness] : ''))
        .filter(Boolean);
      const d = new vscode.Diagnostic(
        doc.lineAt(line).range,
        `${warningMessage(w)}${also.length ? ` (also ${also.join(', ')})` : ''}`,
        SEVERITY[w.code] ?? W,
      );
      d.source = SOURCE;
      d.code = w.code;
      out.push(d);
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
 * Code actions for the mechanical fixes (core/agents/fixes.ts), titled with what they do; the document is edited only
 * when one is chosen, as one undoable edit.
 */
export class AgentFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly placements: AgentPlacements) {}

  provideCodeActions(doc: vscode.TextDocument, _r: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const mine = ctx.diagnostics.filter((d) => d.source === SOURCE);
    if (!mine.length) return [];
    const a = this.placements.last(doc);
    const text = doc.getText();
    const tokens = (h: string) => a?.placements.find((p) => p.harness === h)?.tokens;
    const out: vscode.CodeAction[] = [];
    const add = (d: vscode.Diagnostic, title: string, fix: Pick<AgentFix, 'edits'> | undefined, preferred = false) => {
      if (!fix) return;
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      for (const e of fix.edits)
        edit.replace(
          doc.uri,
          new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)),
          e.content,
        );
      action.edit = edit;
      action.diagnostics = [d];
      action.isPreferred = preferred;
      out.push(action);
    };
    for (const d of mine) {
      switch (d.code) {
        case 'cursor-rule-no-front-matter': {
          const desc = cursorFrontMatter(text, 'description');
          add(
            d,
            `Add front matter with a description ("${desc?.description ?? ''}"): Cursor applies the rule when it is relevant`,
            desc,
            true,
          );
          const n = tokens('cursor');
          add(
            d,
            `Add front matter with alwaysApply: true: Cursor sends the rule in every request${n ? ` (≈${count(n)} tokens)` : ''}`,
            cursorFrontMatter(text, 'always'),
          );
          break;
        }
        case 'globs-match-everything': {
          if (/^\s*applyTo\s*:/m.test(text)) {
            add(
              d,
              'Write applyTo as "**": the documented form for instructions on every file (the same files)',
              applyToEverything(text),
              true,
            );
            break;
          }
          const n = tokens('cursor');
          const desc = descriptionInsteadOfGlobs(text);
          add(
            d,
            `Replace the globs with ${desc?.description ? `a description ("${desc.description}")` : 'the description'}: applied when relevant, ${n ? `≈${count(n)} tokens` : 'the rule'} no longer in every request`,
            desc,
            true,
          );
          add(
            d,
            'Replace the globs with alwaysApply: true (the same rule, said plainly)',
            alwaysApplyInsteadOfGlobs(text),
          );
          break;
        }
        case 'sub-agent-model-differs':
          add(d, "Set model: inherit: the sub-agent runs on the main loop's model", inheritModel(text), true);
          break;
        case 'front-matter-malformed':
          add(
            d,
            'Write alwaysApply as the boolean true: Cursor then applies the rule in every request',
            alwaysApplyBoolean(text),
            true,
          );
          break;
        default:
          break;
        case 'dynamic-content': {
          // The whole line moves, as the prompt's fix of a volatile line does (core's moveLineToEnd).
          const m = {
            kind: 'counter' as const,
            start: doc.offsetAt(d.range.start),
            end: doc.offsetAt(d.range.end),
            text: doc.getText(d.range).trim(),
          };
          const fix = moveLineToEnd(text, m);
          if (fix)
            add(
              d,
              `Move line ${d.range.start.line + 1} to the end of the file: the text before it stays cached when it changes`,
              fix,
            );
          break;
        }
      }
    }
    return out;
  }
}
