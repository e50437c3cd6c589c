import { costSeries } from './cost';
import { formatUsd } from './money';
import { cacheablePrefix } from './promptCacheable';
import type { Catalog } from './catalog';
import { parsePrompt } from '../prompt/parse';
import { renderPrompt } from '../prompt/render';
import { tokenizerForModel } from './modelTokenizer';

/** What the editor shows about one prompt's price for one model: a cold call, a warm repeat, and how much is cached. */
export interface PromptCostHint {
  readonly model: string;
  /** Where the model came from: the file's own front matter / request body, or the user's default. */
  readonly modelFrom: 'file' | 'default';
  readonly tokens: number;
  readonly exact: boolean;
  readonly encoding: string;
  readonly cachedTokens: number;
  readonly uncachedCall: string;
  readonly warmCall: string;
  readonly savingsPercent: number | undefined;
  readonly source: string;
  readonly asOf: string;
}

export type PromptCostResult = { readonly ok: true; readonly hint: PromptCostHint } | { readonly ok: false; readonly message: string };

/**
 * Prices the first prompt of a document for the model it names (or `defaultModel`): the uncached call and a warm
 * repeat under the model's cache policy. Pure and bounded by the document; callers debounce it.
 */
export function promptCostHint(text: string, fileName: string, catalog: Catalog, defaultModel: string): PromptCostResult {
  const doc = parsePrompt(text, { fileName });
  const prompt = doc.prompts[0];
  if (!prompt) return { ok: false, message: doc.diagnostics[0]?.message ?? 'no prompt found' };
  const fromFile = prompt.model !== undefined;
  const found = catalog.find(prompt.model ?? defaultModel);
  if (!found.ok) return { ok: false, message: fromFile ? `${fileName} names ${found.message}` : `setting kvlens.model: ${found.message}` };
  const model = found.model;
  const { tokenizer } = tokenizerForModel(model);
  const rendered = renderPrompt(prompt, tokenizer);
  const prefix = cacheablePrefix(model, rendered);
  const series = costSeries({ model, tokens: rendered.ids.length, cacheableTokens: prefix.cachedTokens, cacheWriteTokens: prefix.writeTokens, calls: 2 });
  return {
    ok: true,
    hint: {
      model: model.id, modelFrom: fromFile ? 'file' : 'default',
      tokens: rendered.ids.length, exact: tokenizer.exact && model.exactTokenizer && tokenizer.encoding === model.encoding, encoding: tokenizer.encoding,
      cachedTokens: prefix.cachedTokens,
      uncachedCall: formatUsd(series.perCall.uncached.total), warmCall: formatUsd(series.perCall.warmCall.total),
      savingsPercent: series.perCall.uncached.total > 0n
        ? Math.round(Number(((series.perCall.uncached.total - series.perCall.warmCall.total) * 1000n) / series.perCall.uncached.total)) / 10
        : undefined,
      source: model.prices.source, asOf: model.prices.asOf,
    },
  };
}
