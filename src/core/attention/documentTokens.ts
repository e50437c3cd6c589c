// The tokens the attention panel runs: the first `maxTokens` of a text (the model's context) with their offsets, and
// how many lie beyond. The editor host and the start-up benchmark build the panel's text the same way, through here.
import type { Tokenizer } from '../tokenizer/types';

export interface TokenSpan {
  readonly id: number;
  readonly text: string;
  /** UTF-16 offsets in the text read. */
  readonly start: number;
  readonly end: number;
}

export interface DocumentTokens {
  readonly tokens: readonly TokenSpan[];
  /** Tokens beyond the context (not shown). */
  readonly cutTokens: number;
  /** cutTokens is estimated from the shown tokens' length (a big text: counting would tokenize all of it). */
  readonly cutTokensEstimated: boolean;
}

/** Beyond this many characters, the tokens after the model's context are estimated rather than counted. */
export const EXACT_CUT_CHARS = 256 * 1024;

/**
 * Only the prefix the context holds is read and tokenized (`read(from, to)` of a big document is the cost, not its
 * length): tokens are rarely longer than 16 characters, and the last tokens of a cut text may split differently, so
 * the cut keeps a margin and doubles the read until it holds `maxTokens` + 8 tokens.
 */
export function documentTokens(
  tokenizer: Tokenizer,
  read: (from: number, to: number) => string,
  length: number,
  maxTokens: number,
): DocumentTokens {
  let take = Math.min(length, maxTokens * 16),
    text = read(0, take),
    st = tokenizer.tokenize(text);
  while (take < length && st.ids.length <= maxTokens + 8) {
    take = Math.min(length, take * 2);
    text = read(0, take);
    st = tokenizer.tokenize(text);
  }
  const n = Math.min(st.ids.length, maxTokens);
  const tokens = Array.from({ length: n }, (_, i) => ({
    id: st.ids[i],
    text: text.slice(st.offsets[i], st.offsets[i + 1]),
    start: st.offsets[i],
    end: st.offsets[i + 1],
  }));
  const shownChars = st.offsets[n];
  const cutTokensEstimated = take < length && length > EXACT_CUT_CHARS;
  const cutTokens =
    take >= length
      ? st.ids.length - n
      : cutTokensEstimated
        ? Math.round(((length - shownChars) * n) / Math.max(shownChars, 1))
        : Math.max(0, tokenizer.count(read(0, length)) - n);
  return { tokens, cutTokens, cutTokensEstimated };
}
