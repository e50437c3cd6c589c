/**
 * How many bytes of input one vocabulary piece stands for. @lenml/tokenizers (a port of transformers.js) returns
 * pieces but no offsets, so KV Lens derives offsets from the pieces' byte lengths.
 */

/** GPT-2 byte-level alphabet: printable bytes map to themselves, the other 68 to U+0100… (bytes_to_unicode). */
function byteLevelAlphabet(): Map<number, number> {
  const map = new Map<number, number>();
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let extra = 0;
  for (let b = 0; b < 256; b++) map.set(printable(b) ? b : 256 + extra++, b);
  return map; // char code → byte
}
let alphabet: Map<number, number> | undefined;

/** Bytes of a byte-level BPE piece (Llama 3, Qwen, DeepSeek): one character per byte. */
export function byteLevelPieceLength(piece: string): number {
  alphabet ??= byteLevelAlphabet();
  let n = 0;
  for (let i = 0; i < piece.length; i++) n += alphabet.has(piece.charCodeAt(i)) ? 1 : 0;
  return n;
}

const BYTE_FALLBACK = /^<0x[0-9A-Fa-f]{2}>$/;
const encoder = new TextEncoder();

/** Bytes of a SentencePiece-style piece (Gemma): "▁" is one space, "<0xNN>" one byte, the rest is UTF-8 text. */
export function sentencePieceLength(piece: string): number {
  if (piece.length === 6 && BYTE_FALLBACK.test(piece)) return 1;
  // "▁" (3 bytes in UTF-8) stands for " " (1 byte)
  let spaces = 0;
  for (let i = 0; i < piece.length; i++) if (piece.charCodeAt(i) === 0x2581) spaces++;
  return encoder.encode(piece).length - 2 * spaces;
}
