import { getTokenizer } from '../tokenizer/registry';
import type { Tokenizer } from '../tokenizer/types';
import type { ModelInfo } from './types';

/**
 * What to count a model's prompts with: its own encoding when registered (the Hugging Face vocabularies only are
 * where a Node adapter loaded them), else the provider's estimate (Gemini), else o200k_base as an estimate.
 * `own` is false for the fallbacks, so callers can say the count is not the model's.
 */
export function tokenizerForModel(model: ModelInfo): {
  readonly tokenizer: Tokenizer;
  readonly own: boolean;
  readonly exact: boolean;
} {
  const own = getTokenizer(model.encoding);
  // Exact only when the model's own encoding counts and the catalog says that encoding is the provider's.
  if (own) return { tokenizer: own, own: true, exact: own.exact && model.exactTokenizer };
  const fallback =
    (model.provider === 'google' ? getTokenizer('gemini_estimate') : undefined) ?? getTokenizer('o200k_base')!;
  return { tokenizer: fallback, own: false, exact: false };
}
