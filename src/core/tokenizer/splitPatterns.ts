// Pre-tokenizer ("split") patterns of OpenAI's encodings, written so that JavaScript's regex engine splits exactly
// like tiktoken's Rust regex:
// - Rust's `\s` is the Unicode White_Space property; JavaScript's `\s` differs on U+FEFF (JS: space, Rust: not) and
//   U+0085 (JS: not, Rust: space), so every `\s` is spelled `\p{White_Space}`.
// - Rust's `(?i:'s|…)` folds case by Unicode simple case folding, which adds U+017F (ſ, long s) to `s`; none of the
//   other contraction letters has an extra fold (checked against /x/iu for all code points).
// - cl100k's possessive quantifiers (`?+`, `++`) cannot change the match here: every possessive atom is followed by
//   an atom that cannot match what it gave back. Lone surrogates fall in the same classes as U+FFFD (what tiktoken
//   sees after UTF-8 conversion): neither letter, number nor white space.
// Every position matches some alternative, so pieces tile the text; the sticky flag relies on that.

const WS = String.raw`\p{White_Space}`;
const NOT_WS = String.raw`\P{White_Space}`;
const CONTRACTION = String.raw`'(?:[sS\u017F]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE])`;

/** tiktoken o200k_base / o200k_harmony `pat_str`. */
export const O200K_SPLIT = [
  String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:${CONTRACTION})?`,
  String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?:${CONTRACTION})?`,
  String.raw`\p{N}{1,3}`,
  String.raw` ?[^${WS}\p{L}\p{N}]+[\r\n/]*`,
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

/** A fresh sticky matcher: set lastIndex to a piece start, exec() gives the piece there. */
export function splitter(pattern: string): RegExp {
  return new RegExp(pattern, 'uy');
}
