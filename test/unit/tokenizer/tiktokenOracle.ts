// tiktoken (OpenAI's Rust tokenizer compiled to WASM) is the oracle the engine must match. tiktoken has no
// o200k_harmony; harmony's mergeable ranks and split pattern are o200k_base's (only special tokens differ, and KV
// Lens encodes special-token text as plain text), so harmony is checked against o200k_base.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { get_encoding } = require('tiktoken') as typeof import('tiktoken');

type Enc = ReturnType<typeof get_encoding>;
const encs = new Map<string, Enc>();

export function oracle(encoding: string): Enc {
  const base = encoding === 'o200k_harmony' ? 'o200k_base' : encoding;
  let e = encs.get(base);
  if (!e) encs.set(base, (e = get_encoding(base as 'o200k_base' | 'cl100k_base' | 'r50k_base')));
  return e;
}

/** tiktoken's ids with special-token text treated as plain text. */
export function oracleIds(encoding: string, text: string): number[] {
  return Array.from(oracle(encoding).encode(text, [], []));
}

/**
 * The offsets the documented rule gives for tiktoken's tokens: a token's range starts at the character holding its
 * first byte, or right after that character when the token starts inside it.
 */
export function oracleOffsets(encoding: string, text: string, ids: readonly number[]): number[] {
  const enc = oracle(encoding);
  // UTF-16 index of each byte's character, and whether the byte starts that character.
  const charOf: number[] = [],
    first: boolean[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    for (let k = 0; k < n; k++) {
      charOf.push(i);
      first.push(k === 0);
    }
    if (pair) i++;
  }
  const out: number[] = [];
  let byte = 0;
  for (const id of ids) {
    if (byte >= charOf.length) out.push(text.length);
    else if (first[byte]) out.push(charOf[byte]);
    else {
      const ch = charOf[byte];
      out.push(
        ch +
          (text.charCodeAt(ch) >= 0xd800 &&
          text.charCodeAt(ch) <= 0xdbff &&
          (text.charCodeAt(ch + 1) & 0xfc00) === 0xdc00
            ? 2
            : 1),
      );
    }
    byte += enc.decode_single_token_bytes(id).length;
  }
  out.push(text.length);
  return out;
}
