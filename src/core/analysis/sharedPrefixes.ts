/**
 * Which prompts share a token prefix with one another: a provider serves that prefix of one request from the cache
 * entry another one wrote, when both go to the same model (the same tokenizer). The Prompt Cache view shows these.
 */

/** A prompt as rendered for one model: its token ids and the source offset of each token. */
export interface RenderedFile {
  readonly model: string;
  readonly encoding: string;
  readonly ids: Uint32Array;
  readonly tokenSource: Int32Array;
}

export interface SharedPrefix<F> {
  readonly other: F;
  /** Tokens the two prompts have in common from the start. */
  readonly tokens: number;
  /** Where, in the first prompt's source, the two part (the offset of its first token that differs). */
  readonly offset: number;
}

/** Shorter shared prefixes are not worth listing: any two prompts share a few tokens of boilerplate. */
export const MIN_SHARED_TOKENS = 16;

export function commonPrefix(a: Uint32Array, b: Uint32Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** The prompts among `others` that share at least MIN_SHARED_TOKENS leading tokens with `f` (same model), longest first. */
export function sharedPrefixes<F extends RenderedFile>(f: F, others: Iterable<F>): SharedPrefix<F>[] {
  const out: SharedPrefix<F>[] = [];
  for (const g of others) {
    if (f === g || f.encoding !== g.encoding || f.model !== g.model) continue;
    const n = commonPrefix(f.ids, g.ids);
    if (n >= MIN_SHARED_TOKENS)
      out.push({
        other: g,
        tokens: n,
        offset: n < f.tokenSource.length ? f.tokenSource[n] : (f.tokenSource[f.tokenSource.length - 1] ?? 0),
      });
  }
  return out.sort((a, b) => b.tokens - a.tokens);
}
