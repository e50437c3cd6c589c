// UTF-8 views of a pre-token ("piece") for the byte-level BPE, and the rule that maps token byte boundaries back to
// UTF-16 offsets.

const scratch: number[] = [];

/**
 * The piece's UTF-8 bytes as a byte string (one char per byte). An ASCII piece is returned as is, so callers can
 * tell ASCII by `key.length === piece.length`. Lone surrogates become U+FFFD (EF BF BD), as TextEncoder and
 * tiktoken's JS binding do.
 */
export function toByteString(piece: string): string {
  const n = piece.length;
  let i = 0;
  while (i < n && piece.charCodeAt(i) < 0x80) i++;
  if (i === n) return piece;
  scratch.length = 0;
  for (let k = 0; k < i; k++) scratch.push(piece.charCodeAt(k));
  for (; i < n; i++) {
    let c = piece.charCodeAt(i);
    if (c < 0x80) scratch.push(c);
    else if (c < 0x800) scratch.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (piece.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (piece.charCodeAt(++i) - 0xdc00);
      scratch.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    } else {
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      scratch.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    }
  }
  if (scratch.length <= 8192) return String.fromCharCode.apply(null, scratch);
  // Chunked: fromCharCode.apply has an argument-count limit.
  let out = '';
  for (let k = 0; k < scratch.length; k += 8192) out += String.fromCharCode.apply(null, scratch.slice(k, k + 8192));
  return out;
}

/** UTF-8 length of the UTF-16 unit at piece[i] and how many units it spans (a pair is 4 bytes, 2 units). */
function charAt(piece: string, i: number): number {
  const c = piece.charCodeAt(i);
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < piece.length && (piece.charCodeAt(i + 1) & 0xfc00) === 0xdc00) return 4;
  return 3;
}

/**
 * Writes the UTF-16 start (relative to the piece) of each token of a non-ASCII piece into `starts`. A byte boundary
 * inside a character maps to the end of that character: the character belongs to the token holding its first byte.
 */
export function tokenStarts(piece: string, ids: readonly number[], byteLength: Uint16Array, starts: Int32Array): void {
  let ci = 0,
    cb = 0,
    bytePos = 0;
  for (let k = 0; k < ids.length; k++) {
    while (cb < bytePos) {
      const b = charAt(piece, ci);
      cb += b;
      ci += b === 4 ? 2 : 1;
    }
    starts[k] = ci;
    bytePos += byteLength[ids[k]];
  }
}
