// Random edits as an editor makes them, for the incremental tokenizer's property test and benchmark: inserts,
// deletes, replacements, typing runs and backspaces, biased toward white space, newlines, apostrophes, digits,
// CJK, emoji (ZWJ sequences, skin tones) and lone surrogates.
import type { TextEdit } from '../../../src/core/tokenizer/types';
import { int, pick } from './sampleTexts';

const SNIPPETS = [
  'a',
  'e',
  'z',
  'Q',
  ' ',
  '  ',
  '   ',
  '\n',
  '\n\n',
  '\r\n',
  '\r',
  '\t',
  ' \n',
  '\n ',
  "'s",
  "'ll",
  "'",
  "'RE",
  "'\u017f",
  '’s',
  'the',
  ' the',
  'The',
  'HELLO',
  'hELLo',
  'x',
  '1',
  '12',
  '123',
  '4567',
  '.',
  ',',
  '//',
  '/*',
  '*/',
  '{',
  '}',
  '()',
  '=>',
  '...',
  '<|endoftext|>',
  '<|im_start|>',
  '你',
  '好',
  '你好世界',
  '。',
  '，',
  '中文テキスト',
  '한국어',
  '🙂',
  '👍🏽',
  '👨‍👩‍👧',
  '🇺🇸',
  '🏽',
  '\u200d',
  'é',
  'e\u0301',
  '\u0301',
  '\u00a0',
  '\u3000',
  '\u2028',
  '\u0085',
  '\ufeff',
  'ß',
  'İ',
  'ǅ',
  '١٢٣',
  'Ⅻ',
  '²',
  '\ud83d',
  '\ude42',
  'https://example.com/a/b',
  '0x1F',
  '$',
  '\\',
  '"',
  '`',
];
const interesting = /[\s'’\p{N}\u0080-\uffff]/u;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** One random edit, as an editor makes them: mostly keystrokes and small pastes, near interesting characters. */
export function randomEdit(
  rnd: () => number,
  text: string,
  cursor: number,
  sizeRange: readonly [number, number] = [12_000, 30_000],
): TextEdit {
  let pos: number;
  const mode = rnd();
  if (mode < 0.3) pos = int(rnd, text.length + 1);
  else if (mode < 0.7) {
    pos = int(rnd, text.length + 1);
    for (let k = 0; pos < text.length && k < 300 && !interesting.test(text[pos]); k++) pos++;
    pos = Math.max(0, Math.min(text.length, pos + int(rnd, 3) - 1));
  } else pos = Math.min(cursor, text.length);
  const small = text.length < sizeRange[0],
    big = text.length > sizeRange[1];
  let del = 0,
    ins = '';
  const kind = rnd();
  const delLen = () => {
    const r = rnd();
    return r < 0.7 ? 1 + int(rnd, 3) : r < 0.95 ? 1 + int(rnd, 60) : 1 + int(rnd, 3000);
  };
  const insText = () => {
    const r = rnd();
    if (r < 0.8) {
      let s = '';
      for (let i = 1 + int(rnd, 3); i > 0; i--) s += pick(rnd, SNIPPETS);
      return s;
    }
    const a = int(rnd, text.length);
    return text.slice(a, a + 1 + int(rnd, r < 0.97 ? 200 : 3000));
  };
  if (mode >= 0.7 && kind < 0.6) {
    // typing run / backspace at the cursor
    if (rnd() < 0.7) ins = pick(rnd, SNIPPETS).slice(0, 1 + int(rnd, 2));
    else {
      del = 1;
      pos = Math.max(0, pos - 1);
    }
  } else if (kind < (big ? 0.2 : small ? 0.6 : 0.4)) ins = insText();
  else if (kind < 0.75) del = delLen();
  else {
    del = delLen();
    ins = insText();
  }
  let end = Math.min(text.length, pos + del);
  if (rnd() < 0.85) {
    // usually keep surrogate pairs whole, like an editor; sometimes split them on purpose
    if (pos > 0 && pos < text.length && isLow(text.charCodeAt(pos))) pos--;
    if (end < text.length && isLow(text.charCodeAt(end))) end++;
  }
  return { start: pos, end, text: ins };
}
