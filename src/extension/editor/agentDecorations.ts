import * as vscode from 'vscode';
import { HARNESS_NAMES } from '../../core/agents';
import type { AgentPlacement } from '../analysis/agentPlacements';

/**
 * The tint of an open instruction file: what the agents send in the colour of the cached prefix (it is read from the
 * cache on every request of a session), and what an agent that loads the file never sends — the bytes past Codex's
 * budget, a description past a listing's limit — dimmed on a colour of its own (`kvlens.agentNeverSentBackground`),
 * marked in the overview ruler, with a note where it starts. Types are created once (the sent tint again only when the
 * tint setting changes); ranges are a few spans, set on the visible editors of the file.
 */
export class AgentDecorations implements vscode.Disposable {
  private sent!: vscode.TextEditorDecorationType;
  private readonly cut = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('kvlens.agentNeverSentBackground'),
    opacity: '0.6',
    isWholeLine: false,
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedOpen,
    overviewRulerColor: new vscode.ThemeColor('kvlens.agentNeverSentBackground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  private readonly cutNote = vscode.window.createTextEditorDecorationType({
    after: {
      color: new vscode.ThemeColor('editorCodeLens.foreground'),
      margin: '0 0 0 2em',
      fontStyle: 'italic',
    },
  });
  private tint = true;

  constructor(tint: boolean) {
    this.build(tint);
  }

  private build(tint: boolean): void {
    this.tint = tint;
    this.sent = vscode.window.createTextEditorDecorationType(
      tint
        ? {
            backgroundColor: new vscode.ThemeColor('kvlens.cachedBackground'),
            rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
          }
        : {},
    );
  }

  setTint(tint: boolean): boolean {
    if (tint === this.tint) return false;
    this.sent.dispose();
    this.build(tint);
    return true;
  }

  /** Decorates the editor with a placement of its document's current text (a stale one is left to the next). */
  apply(editor: vscode.TextEditor, a: AgentPlacement): void {
    const doc = editor.document;
    if (a.version !== doc.version) return;
    const range = (s: number, e: number) => new vscode.Range(doc.positionAt(s), doc.positionAt(e));
    editor.setDecorations(
      this.sent,
      a.ranges.sent.map(([s, e]) => range(s, e)),
    );
    editor.setDecorations(
      this.cut,
      a.ranges.cut.map((c) => range(c.start, c.end)),
    );
    editor.setDecorations(
      this.cutNote,
      a.ranges.cut.map((c) => {
        const line = doc.lineAt(doc.positionAt(c.start).line);
        return {
          range: new vscode.Range(line.range.end, line.range.end),
          renderOptions: {
            after: {
              contentText:
                c.why === 'budget'
                  ? `⟵ never sent by ${HARNESS_NAMES[c.harness]}: past its ${c.limit !== null ? `${(c.limit / 1024).toFixed(0)} KiB ` : ''}budget`
                  : `⟵ never listed by ${HARNESS_NAMES[c.harness]}: past ${c.limit ?? 'its'} characters`,
            },
          },
        };
      }),
    );
  }

  clear(editor: vscode.TextEditor): void {
    for (const t of [this.sent, this.cut, this.cutNote]) editor.setDecorations(t, []);
  }

  dispose(): void {
    this.sent.dispose();
    this.cut.dispose();
    this.cutNote.dispose();
  }
}
