import { encode as encodeO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { encode as encodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encode as encodeHarmony } from 'gpt-tokenizer/encoding/o200k_harmony';
import type { EncodingName, RetokenizeResult, TextEdit, TokenState, Tokenizer } from './types';

// PLACEHOLDER engine (walking skeleton): full re-encode, offsets not yet computed. The token engine replaces it.
const NO_SPECIAL = { disallowedSpecial: new Set<string>() };
function simple(encoding: EncodingName, enc: (t: string, o: typeof NO_SPECIAL) => number[]): Tokenizer {
  const tokenize = (text: string): TokenState => {
    const ids = Uint32Array.from(enc(text, NO_SPECIAL));
    return { encoding, text, ids, offsets: new Int32Array(ids.length + 1) };
  };
  return {
    encoding, exact: true,
    encode: (t) => Uint32Array.from(enc(t, NO_SPECIAL)),
    count: (t) => enc(t, NO_SPECIAL).length,
    tokenize,
    retokenize(prev: TokenState, edit: TextEdit, newText?: string): RetokenizeResult {
      const text = newText ?? prev.text.slice(0, edit.start) + edit.text + prev.text.slice(edit.end);
      const state = tokenize(text);
      let first = 0;
      while (first < state.ids.length && first < prev.ids.length && state.ids[first] === prev.ids[first]) first++;
      return { state, firstChangedToken: first };
    },
  };
}

const factories: Record<string, () => Tokenizer> = {
  o200k_base: () => simple('o200k_base', encodeO200k),
  cl100k_base: () => simple('cl100k_base', encodeCl100k),
  o200k_harmony: () => simple('o200k_harmony', encodeHarmony),
};
const cache = new Map<string, Tokenizer>();

export function encodingNames(): string[] {
  return Object.keys(factories);
}

/** The tokenizer for an encoding name, or undefined when the name is unknown. */
export function getTokenizer(name: EncodingName): Tokenizer | undefined {
  let t = cache.get(name);
  if (!t && Object.hasOwn(factories, name)) cache.set(name, (t = factories[name]()));
  return t;
}
