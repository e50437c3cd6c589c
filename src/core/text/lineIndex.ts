/** 1-based line and column (columns count UTF-16 code units), as editors and compilers print them. */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/** What analysis needs of a line index: a few positions per report (LineIndex, or the live path's PieceText). */
export interface LinePositions {
  position(offset: number): LineColumn;
}

/** What analysis reads of a source text: its length and a few windows (a string, or the live path's PieceText). */
export interface SourceText {
  readonly length: number;
  slice(start: number, end: number): string;
}

/**
 * Maps UTF-16 offsets of one text to 1-based line/column. Line breaks are \n, \r\n and a lone \r (as in VS Code),
 * so CRLF files give the same lines as the editor shows. Line starts are found on demand, only as far into the text
 * as the largest offset asked about (a diagnostic at the top of a 50 MB file must not scan all of it); each lookup is
 * then a binary search.
 */
export class LineIndex implements LinePositions {
  private starts: number[] = [0];
  /** Everything before this offset has been scanned for line breaks. */
  private scanned = 0;

  constructor(private readonly text: string) {}

  /** Offsets past the end clamp to the end; negative ones to 0. */
  position(offset: number): LineColumn {
    const o = Math.max(0, Math.min(offset, this.text.length));
    this.scanTo(o + 1);
    const starts = this.starts;
    let lo = 0,
      hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo] + 1 };
  }

  /** The offset of a 1-based line's first character (clamped to the text). */
  lineStart(line: number): number {
    while (this.starts.length < line && this.scanned < this.text.length) this.scanTo(this.scanned + 65536);
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))];
  }

  get lineCount(): number {
    this.scanTo(this.text.length);
    return this.starts.length;
  }

  private scanTo(end: number): void {
    const t = this.text;
    const stop = Math.min(end, t.length);
    let i = this.scanned;
    for (; i < stop; i++) {
      const c = t.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (t.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
    this.scanned = Math.max(this.scanned, i);
  }
}
