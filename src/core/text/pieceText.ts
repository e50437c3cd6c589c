import type { LineColumn, LinePositions, SourceText } from './lineIndex';
import { lastAtMost } from './sortedSearch';

/** Pieces are split above this many UTF-16 units and merged below a quarter of it. */
const PIECE = 16 * 1024;

/**
 * A document's text as a list of pieces with running offsets and line-break counts, so an edit costs O(edit + piece
 * + pieces) instead of copying the document (a JS string edit makes a rope that the next character read flattens:
 * 10 MB per keystroke). Lines follow LineIndex: \n, \r\n and a lone \r each end a line.
 */
export class PieceText implements SourceText, LinePositions {
  private pieces: string[] = [];
  /** starts[k] = offset of piece k; starts[pieces] = length. */
  private starts: number[] = [0];
  /** breaks[k] = line breaks before piece k (a \r\n across a piece edge counts in the piece holding the \n). */
  private breaks: number[] = [0];
  /** Line breaks in each piece (given the first character of the next), kept so an edit recounts only its pieces. */
  private own: number[] = [];
  private flat: string | undefined;

  constructor(text: string) {
    for (let i = 0; i < text.length; i += PIECE) this.pieces.push(text.slice(i, i + PIECE));
    this.flat = text;
    this.reindex(0);
  }

  get length(): number {
    return this.starts[this.pieces.length];
  }

  /** Replaces [start, end) with `text`. */
  edit(start: number, end: number, text: string): void {
    this.flat = undefined;
    if (!this.pieces.length) {
      this.pieces = text ? [text] : [];
      this.own = this.pieces.map(() => -1);
      this.reindex(0);
      return;
    }
    const a = this.pieceAt(start),
      b = this.pieceAt(Math.max(start, end - 1));
    const head = this.pieces[a].slice(0, start - this.starts[a]);
    const tail = this.pieces[b].slice(end - this.starts[b]);
    const merged = head + text + tail;
    const repl: string[] = [];
    if (merged.length > 2 * PIECE) for (let i = 0; i < merged.length; i += PIECE) repl.push(merged.slice(i, i + PIECE));
    else if (merged.length) repl.push(merged);
    this.pieces.splice(a, b - a + 1, ...repl);
    this.own.splice(a, b - a + 1, ...repl.map(() => -1));
    // A piece that became small joins its neighbour, so deletes do not leave thousands of slivers.
    let from = a;
    const k = Math.min(a, this.pieces.length - 1);
    if (k >= 0 && this.pieces[k].length < PIECE / 4 && this.pieces.length > 1) {
      const j = k + 1 < this.pieces.length ? k : k - 1;
      this.pieces.splice(j, 2, this.pieces[j] + this.pieces[j + 1]);
      this.own.splice(j, 2, -1);
      from = Math.min(from, j);
    }
    // The piece before may end in a CR whose pairing changed.
    if (from > 0) this.own[from - 1] = -1;
    this.reindex(Math.max(0, from - 1));
  }

  slice(start: number, end: number): string {
    const s = Math.max(0, start),
      e = Math.min(this.length, end);
    if (e <= s) return '';
    if (this.flat !== undefined) return this.flat.slice(s, e);
    const a = this.pieceAt(s),
      b = this.pieceAt(e - 1);
    if (a === b) return this.pieces[a].slice(s - this.starts[a], e - this.starts[a]);
    let out = this.pieces[a].slice(s - this.starts[a]);
    for (let k = a + 1; k < b; k++) out += this.pieces[k];
    return out + this.pieces[b].slice(0, e - this.starts[b]);
  }

  charCodeAt(i: number): number {
    if (!(i >= 0 && i < this.length)) return NaN;
    const k = this.pieceAt(i);
    return this.pieces[k].charCodeAt(i - this.starts[k]);
  }

  /**
   * This version's text, unchanged by later edits: the piece list is copied (O(pieces)), the pieces are shared, so
   * the views of one report read the text they were made from.
   */
  snapshot(): PieceText {
    const copy = Object.create(PieceText.prototype) as PieceText;
    copy.pieces = [...this.pieces];
    copy.starts = [...this.starts];
    copy.breaks = [...this.breaks];
    copy.own = [...this.own];
    copy.flat = this.flat;
    return copy;
  }

  /** The whole text (built once per version, on demand). */
  toString(): string {
    return (this.flat ??= this.pieces.join(''));
  }

  /** 1-based line and column, as LineIndex.position. */
  position(offset: number): LineColumn {
    const o = Math.max(0, Math.min(offset, this.length));
    if (!this.pieces.length) return { line: 1, column: 1 };
    const k = this.pieceAt(Math.min(o, this.length - 1));
    const piece = this.pieces[k];
    const rel = o - this.starts[k];
    const line = this.breaks[k] + countBreaks(piece, 0, rel, this.charCodeAt(this.starts[k + 1])) + 1;
    return { line, column: o - this.lineStartAt(o) + 1 };
  }

  /** The offset where the line holding `o` starts: the last \n, or \r not before \n, before it (searched piece by piece). */
  private lineStartAt(o: number): number {
    if (!this.pieces.length || o <= 0) return 0;
    for (let k = this.pieceAt(o - 1), end = o - 1; k >= 0; k--, end = this.starts[k + 1] - 1) {
      const piece = this.pieces[k],
        base = this.starts[k];
      for (let rel = end - base; rel >= 0;) {
        const lf = piece.lastIndexOf('\n', rel),
          cr = piece.lastIndexOf('\r', rel);
        const at = Math.max(lf, cr);
        if (at < 0) break;
        // A CR right before an LF is half of one break; the LF (found first, being later) ends it.
        if (at === lf || this.charCodeAt(base + at + 1) !== 10) return base + at + 1;
        rel = at - 1;
      }
    }
    return 0;
  }

  private pieceAt(offset: number): number {
    return lastAtMost(this.starts, offset, this.pieces.length);
  }

  /** Running totals from piece `from` on; line breaks are counted only in pieces marked -1 (new or changed). */
  private reindex(from: number): void {
    const n = this.pieces.length;
    this.starts.length = n + 1;
    this.breaks.length = n + 1;
    this.own.length = n;
    if (from === 0) {
      this.starts[0] = 0;
      this.breaks[0] = 0;
    }
    for (let k = from; k < n; k++) {
      const p = this.pieces[k];
      this.starts[k + 1] = this.starts[k] + p.length;
      if (!(this.own[k] >= 0))
        this.own[k] = countBreaks(p, 0, p.length, k + 1 < n ? this.pieces[k + 1].charCodeAt(0) : NaN);
      this.breaks[k + 1] = this.breaks[k] + this.own[k];
    }
  }
}

/** Line breaks ending in s[from, to): \n, and \r not followed by \n (`after` is the char past `to`). */
function countBreaks(s: string, from: number, to: number, after: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  if (s.indexOf('\r', from) < 0) return n;
  for (let i = s.indexOf('\r', from); i >= 0 && i < to; i = s.indexOf('\r', i + 1)) {
    const next = i + 1 < s.length ? s.charCodeAt(i + 1) : after;
    if (next !== 10) n++;
  }
  return n;
}
