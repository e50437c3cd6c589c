import { lastAtMost } from '../text/sortedSearch';
import type { TokenState } from './types';

// Where an incremental re-tokenization may restart and where it may stop. BPE runs inside each regex piece, so
// only the pieces whose match can differ need re-encoding:
// - Before the edit, a piece's match looks at most a few code points past its end (a contraction "'ll", the char
//   that ends a run) — except white-space runs (`\s+(?!\S)`, `\s*[\r\n]+`, `\s+$`), which look to the run's end.
//   So restart at a piece start at least MARGIN units and BACK_PIECES pieces before the edit whose preceding char
//   is not white space: every piece before it is unaffected.
// - After the edit, the first new piece start (at or past the inserted text) that is also an old piece start
//   (shifted) re-synchronises the streams: the regex has no look-behind, so from there on the pieces are the old ones.

const MARGIN = 16;
const BACK_PIECES = 2;

/** Rust regex `\s` (Unicode White_Space). */
export function isWhiteSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/**
 * What the restart and re-synchronisation rules read of the old tokens: a flat TokenState (flatTokens) or a store
 * kept in chunks (ChunkedTokens) — one rule for both.
 */
export interface OldTokens {
  readonly length: number;
  /** Offset of token i (i < length). */
  offsetAt(i: number): number;
  /** Whether token i begins a pre-token (regex piece). */
  isPieceStart(i: number): boolean;
  /** The last token starting at or before offset x (0 when none). */
  tokenAtOrBefore(x: number): number;
}

/** A full TokenState (with pieceStarts) as OldTokens. */
export function flatTokens(prev: TokenState): OldTokens {
  const { offsets, pieceStarts } = prev,
    n = prev.ids.length;
  return {
    length: n,
    offsetAt: (i) => offsets[i],
    isPieceStart: (i) => pieceStarts![i] === 1,
    tokenAtOrBefore: (x) => lastAtMost(offsets, x, n),
  };
}

function pieceAtOrBefore(old: OldTokens, i: number): number {
  while (i > 0 && !old.isPieceStart(i)) i--;
  return i;
}

/**
 * Index of the old token (a piece start) where re-scanning begins, for an edit starting at `editStart`. `charCodeAt`
 * reads the text before the edit (the same in the old and the new text).
 */
export function restartToken(old: OldTokens, editStart: number, charCodeAt: (i: number) => number): number {
  let t = pieceAtOrBefore(old, old.tokenAtOrBefore(Math.max(0, editStart - MARGIN)));
  for (let k = 0; k < BACK_PIECES && t > 0; k++) t = pieceAtOrBefore(old, t - 1);
  while (t > 0 && isWhiteSpace(charCodeAt(old.offsetAt(t) - 1))) t = pieceAtOrBefore(old, t - 1);
  return t;
}

/**
 * A stop test for the re-scan (new-text piece starts, ascending) and, once it stopped, `tail`: the old token index
 * from which the old tokens are reused (old length when the scan ran to the end).
 */
export function resyncToken(
  old: OldTokens,
  editEnd: number,
  insEnd: number,
  dPos: number,
): { test: (pos: number) => boolean; tail: number } {
  const n = old.length;
  let j = n ? old.tokenAtOrBefore(editEnd) : 0;
  const r = {
    tail: n,
    test: (pos: number): boolean => {
      if (pos < insEnd) return false;
      const op = pos - dPos;
      while (j < n && old.offsetAt(j) < op) j++;
      while (j < n && old.offsetAt(j) === op && !old.isPieceStart(j)) j++;
      if (j < n && old.offsetAt(j) === op) {
        r.tail = j;
        return true;
      }
      return false;
    },
  };
  return r;
}
