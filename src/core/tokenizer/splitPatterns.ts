// Pre-tokenizer ("split") patterns of OpenAI's encodings, written so that JavaScript's regex engine splits exactly
// like tiktoken's Rust regex:
// - Rust's `\s` is the Unicode White_Space property; JavaScript's `\s` differs on U+FEFF (JS: space, Rust: not) and
//   U+0085 (JS: not, Rust: space), so every `\s` is spelled `\p{White_Space}`.
// - Rust's `(?i:'s|…)` folds case by Unicode simple case folding, which adds U+017F (ſ, long s) to `s`; none of the
//   other contraction letters has an extra fold (checked against /x/iu for all code points).
// - cl100k's possessive quantifiers (`?+`, `++`) cannot change the match here: every possessive atom is followed by
//   an atom that cannot match what it gave back. Lone surrogates fall in the same classes as U+FFFD (what tiktoken
//   sees after UTF-8 conversion): neither letter, number nor white space.
// - tiktoken's tables are Unicode 16.0; Node 20.20 knows Unicode 17.0. The letters, marks and digits Unicode 17
//   added are unassigned (so "other") for tiktoken, so they are subtracted from every property class (the `v` flag's
//   `--`). Found by probing every code point against tiktoken 1.0.22 (test/unit/tokenizer/exactness.test.ts keeps
//   checking them). A runtime older than Unicode 16 (e.g. an older Electron) would still differ on Unicode 16's
//   additions.
// Every position matches some alternative, so pieces tile the text; the sticky flag relies on that.

/** Letters, marks and numbers new in Unicode 17.0 (unassigned for tiktoken). */
export const UNICODE_17_ADDITIONS: readonly (readonly [number, number])[] = [
  [0x88f, 0x88f],
  [0xc5c, 0xc5c],
  [0xcdc, 0xcdc],
  [0x1acf, 0x1add],
  [0x1ae0, 0x1aeb],
  [0xa7ce, 0xa7cf],
  [0xa7d2, 0xa7d2],
  [0xa7d4, 0xa7d4],
  [0xa7f1, 0xa7f1],
  [0x10940, 0x10959],
  [0x10ec5, 0x10ec7],
  [0x10efa, 0x10efb],
  [0x11b60, 0x11b67],
  [0x11db0, 0x11ddb],
  [0x11de0, 0x11de9],
  [0x16ea0, 0x16eb8],
  [0x16ebb, 0x16ed3],
  [0x16ff2, 0x16ff6],
  [0x187f8, 0x187ff],
  [0x18d09, 0x18d1e],
  [0x18d80, 0x18df2],
  [0x1e6c0, 0x1e6de],
  [0x1e6e0, 0x1e6f5],
  [0x1e6fe, 0x1e6ff],
  [0x2b73a, 0x2b73f],
  [0x2cea2, 0x2cead],
  [0x323b0, 0x33479],
];
const NEWER = `[${UNICODE_17_ADDITIONS.map(([a, b]) => (a === b ? `\\u{${a.toString(16)}}` : `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`)).join('')}]`;

const WS = String.raw`\p{White_Space}`;
const NOT_WS = String.raw`\P{White_Space}`;
const CONTRACTION = String.raw`'(?:[sS\u017F]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE])`;

/** tiktoken o200k_base / o200k_harmony `pat_str`. */
export const O200K_SPLIT = [
  String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:${CONTRACTION})?`,
  String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?:${CONTRACTION})?`,
  String.raw`\p{N}{1,3}`,
  String.raw` ?[^${WS}\p{L}\p{N}]+[\r\n\/]*`,
  String.raw`${WS}*[\r\n]+`,
  String.raw`${WS}+(?!${NOT_WS})`,
  String.raw`${WS}+`,
].join('|');

/** tiktoken cl100k_base `pat_str`. */
export const CL100K_SPLIT = [
  CONTRACTION,
  String.raw`[^\r\n\p{L}\p{N}]?\p{L}+`,
  String.raw`\p{N}{1,3}`,
  String.raw` ?[^${WS}\p{L}\p{N}]+[\r\n]*`,
  String.raw`${WS}+$`,
  String.raw`${WS}*[\r\n]`,
  String.raw`${WS}+(?!${NOT_WS})`,
  WS,
].join('|');

/** tiktoken r50k_base (GPT-2) `pat_str`: lower-case contractions only, no newline special cases. */
export const R50K_SPLIT = [
  String.raw`'(?:s|t|re|ve|m|ll|d)`,
  String.raw` ?\p{L}+`,
  String.raw` ?\p{N}+`,
  String.raw` ?[^${WS}\p{L}\p{N}]+`,
  String.raw`${WS}+(?!${NOT_WS})`,
  String.raw`${WS}+`,
].join('|');

/** A fresh sticky matcher: set lastIndex to a piece start, test() ends lastIndex at the piece's end. */
export function splitter(pattern: string): RegExp {
  // Every general-category class loses the Unicode 17 additions; White_Space is unchanged.
  const pinned = pattern.replace(/\\p\{(L|Lu|Ll|Lt|Lm|Lo|M|N)\}/g, (m) => `[${m}--${NEWER}]`);
  return new RegExp(pinned, 'vy');
}
