/**
 * Turns per-token UTF-8 byte lengths into UTF-16 token offsets over `text` (the TokenState offsets rule: a token that
 * ends inside a multi-byte character gives that character to the token holding its first byte).
 * Byte-level tokenizers report where tokens end in bytes; editors need UTF-16 positions.
 */
export function offsetsFromByteLengths(
  text: string,
  byteLengths: ArrayLike<number>,
  into: Int32Array,
  at: number,
  base = 0,
): void {
  let i = base; // UTF-16 index of the next code point not yet given to a token
  let bytesBefore = 0; // UTF-8 bytes of text[base, i)
  let boundary = 0; // byte position of the current token end
  for (let t = 0; t < byteLengths.length; t++) {
    boundary += byteLengths[t];
    while (bytesBefore < boundary && i < text.length) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        bytesBefore += 1;
        i += 1;
      } else if (c < 0x800) {
        bytesBefore += 2;
        i += 1;
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        bytesBefore += 4;
        i += 2;
      } else {
        bytesBefore += 3;
        i += 1;
      }
    }
    into[at + t + 1] = i;
  }
}

/** UTF-8 length of a string without allocating (lone surrogates count 3, as TextEncoder writes U+FFFD). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
