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
  return c === 32 || (c >= 9 && c <= 13) || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Largest token index i < n with offsets[i] <= x (0 when none). */
function tokenAtOrBefore(offsets: Int32Array, n: number, x: number): number {
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= x) lo = mid; else hi = mid - 1;
  }
  return lo;
}

function pieceAtOrBefore(flags: Uint8Array, i: number): number {
  while (i > 0 && !flags[i]) i--;
  return i;
}

/** Index of the old token (a piece start) where re-scanning begins, for an edit starting at `editStart`. */
export function restartToken(prev: TokenState, editStart: number): number {
  const flags = prev.pieceStarts!, offsets = prev.offsets, text = prev.text;
  let t = pieceAtOrBefore(flags, tokenAtOrBefore(offsets, prev.ids.length, Math.max(0, editStart - MARGIN)));
  for (let k = 0; k < BACK_PIECES && t > 0; k++) t = pieceAtOrBefore(flags, t - 1);
  while (t > 0 && isWhiteSpace(text.charCodeAt(offsets[t] - 1))) t = pieceAtOrBefore(flags, t - 1);
  return t;
}

/**
 * A stop test for the re-scan (new-text piece starts, ascending) and, once it stopped, `tail`: the old token index
 * from which the old tokens are reused (old length when the scan ran to the end).
 */
export function resyncToken(prev: TokenState, editEnd: number, insEnd: number, dPos: number): { test: (pos: number) => boolean; tail: number } {
  const flags = prev.pieceStarts!, offsets = prev.offsets, n = prev.ids.length;
  let j = tokenAtOrBefore(offsets, n, editEnd);
  const r = {
    tail: n,
    test: (pos: number): boolean => {
      if (pos < insEnd) return false;
      const op = pos - dPos;
      while (j < n && offsets[j] < op) j++;
      while (j < n && offsets[j] === op && !flags[j]) j++;
      if (j < n && offsets[j] === op) { r.tail = j; return true; }
      return false;
    },
  };
  return r;
}
