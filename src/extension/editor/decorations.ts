import * as vscode from 'vscode';
import type { DocumentReport } from '../../core/analysis/documentReport';
import { breakReason } from '../../core/report/cacheNotes';

/**
 * The cache highlight: the prefix served from cache tinted, the part a breakpoint writes tinted differently, and at
 * the first token that breaks the cache a gutter icon, an overview-ruler mark and an end-of-line note saying why.
 * Decoration types are created once and rebuilt only when the tint setting changes; ranges are a few spans per
 * document (one per block part), set on visible editors only.
 */
export class CacheDecorations implements vscode.Disposable {
  private cached!: vscode.TextEditorDecorationType;
  private write!: vscode.TextEditorDecorationType;
  private breakMark!: vscode.TextEditorDecorationType;
  private tint = true;

  constructor(
    private readonly extensionUri: vscode.Uri,
    tint: boolean,
  ) {
    this.build(tint);
  }

  private build(tint: boolean): void {
    this.tint = tint;
    const none = {};
    this.cached = vscode.window.createTextEditorDecorationType(
      tint
        ? {
            backgroundColor: new vscode.ThemeColor('kvlens.cachedBackground'),
            rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
          }
        : none,
    );
    this.write = vscode.window.createTextEditorDecorationType(
      tint
        ? {
            backgroundColor: new vscode.ThemeColor('kvlens.cacheWriteBackground'),
            rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
          }
        : none,
    );
    this.breakMark = vscode.window.createTextEditorDecorationType({
      gutterIconPath: vscode.Uri.joinPath(this.extensionUri, 'media/icons/cache-break.svg'),
      gutterIconSize: '80%',
      overviewRulerColor: new vscode.ThemeColor('kvlens.cacheBreakForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Full,
      borderColor: new vscode.ThemeColor('kvlens.cacheBreakForeground'),
      borderStyle: 'solid',
      borderWidth: '0 0 0 2px',
      after: { color: new vscode.ThemeColor('kvlens.cacheBreakForeground'), margin: '0 0 0 2em', fontStyle: 'italic' },
    });
  }

  /** Rebuilds the types when the tint setting changed; returns whether it did. */
  setTint(tint: boolean): boolean {
    if (tint === this.tint) return false;
    this.disposeTypes();
    this.build(tint);
    return true;
  }

  apply(editor: vscode.TextEditor, r: DocumentReport | undefined, minTokens = 0): void {
    if (!r) {
      this.clear(editor);
      return;
    }
    const doc = editor.document;
    const toRange = ([s, e]: readonly [number, number]) => new vscode.Range(doc.positionAt(s), doc.positionAt(e));
    editor.setDecorations(this.cached, r.report.ranges.cached.map(toRange));
    editor.setDecorations(this.write, r.report.ranges.write.map(toRange));
    const at = r.report.ranges.breakAt;
    if (at === null) {
      editor.setDecorations(this.breakMark, []);
      return;
    }
    const pos = doc.positionAt(at);
    const line = doc.lineAt(pos.line);
    // The mark covers the first broken character (its left border) to the line end, where the note goes.
    const end = pos.character < line.range.end.character ? line.range.end : pos;
    editor.setDecorations(this.breakMark, [
      {
        range: new vscode.Range(pos, end),
        renderOptions: { after: { contentText: `⟵ ${breakReason(r, minTokens) ?? 'cache breaks here'}` } },
      },
    ]);
  }

  /**
   * Prompts in code: the static prefix of each call tinted in the source, and a break mark with its note on the value
   * that ends it (the same decoration types as prompt files).
   */
  applyRanges(
    editor: vscode.TextEditor,
    cached: readonly vscode.Range[],
    breaks: readonly { readonly range: vscode.Range; readonly note: string }[],
  ): void {
    editor.setDecorations(this.cached, cached);
    editor.setDecorations(this.write, []);
    editor.setDecorations(
      this.breakMark,
      breaks.map((b) => {
        const line = editor.document.lineAt(b.range.start.line);
        return {
          range: new vscode.Range(b.range.start, line.range.end),
          renderOptions: { after: { contentText: `⟵ ${b.note}` } },
        };
      }),
    );
  }

  clear(editor: vscode.TextEditor): void {
    for (const t of [this.cached, this.write, this.breakMark]) editor.setDecorations(t, []);
  }

  private disposeTypes(): void {
    this.cached.dispose();
    this.write.dispose();
    this.breakMark.dispose();
  }

  dispose(): void {
    this.disposeTypes();
  }
}
