import { documentReport, type BaselineInput } from '../analysis/documentReport';
import { fileModelCandidate } from '../analysis/fileModel';
import { chooseModel } from '../analysis/modelChoice';
import { tokenizerForModel } from './modelTokenizer';
import { parsePrompt } from '../prompt/parse';
import { renderPrompt } from '../prompt/render';
import type { Catalog } from './catalog';
import { cacheKillers, modelView, type CacheKiller, type CostModelFigures } from './costReport';
import type { Tokenizer } from '../tokenizer/types';
import type { ModelInfo } from './types';

/**
 * The cost report's figures from prompt texts: per model for one prompt, or prompt files × models with the top cache
 * killers for the workspace. Everything but reading the files (the panel's job) — so the figures are computed here,
 * the same as `kvlens cost`, and tested without an editor.
 */

/** The report's assumptions, as its fields hold them. */
export interface CostAssumptions {
  readonly callsPerHour: number;
  readonly outputTokens: number;
  /** Share (0–100) of calls arriving within the TTL of the previous one; undefined = from the rate. */
  readonly warmPercent?: number;
  /** Chosen write TTL per model id ('' or missing: the model's default). */
  readonly ttl: Readonly<Record<string, string>>;
}

/** One prompt file × model of the workspace table: a 30-day month without and with the cache. */
export interface WorkspaceCostRow {
  readonly file: string;
  readonly model: string;
  readonly tokens: number;
  readonly exact: boolean;
  readonly monthWithoutCache: number;
  readonly monthWithCache: number;
}

/** A prompt to price: its label for people, its path (which decides how it is parsed) and its text. */
export interface PromptText {
  readonly label: string;
  readonly path: string;
  readonly text: string;
}

export interface CostContext {
  readonly catalog: Catalog;
  /** The models to compare; empty: each prompt's own (the file's, else `defaultModel`). */
  readonly models: readonly ModelInfo[];
  readonly defaultModel: string;
  readonly assumptions: CostAssumptions;
  readonly now: number;
  /**
   * What was sent before, as the editor decided it for this prompt (its status bar's baseline): the next call is
   * priced against it, so the report and the status bar give one figure. Without it there is no next-call row.
   */
  readonly baseline?: BaselineInput;
}

/** The next call against the baseline: what the status bar shows for the same file, model and baseline. */
export interface NextCall {
  readonly tokens: number;
  readonly cachedTokens: number;
  readonly cacheWriteTokens: number;
  /** Input cost of that call with the cache as the provider bills it, and without any cache (USD). */
  readonly withCache?: number;
  readonly uncached?: number;
}

function nextCall(
  p: PromptText,
  model: ModelInfo,
  tokenizer: Tokenizer,
  baseline: BaselineInput,
  now: number,
): NextCall | undefined {
  const r = documentReport({ text: p.text, fileName: p.path, model, tokenizer, baseline, now });
  if (!r.ok) return undefined;
  const rep = r.value.report;
  return {
    tokens: rep.tokens,
    cachedTokens: rep.cachedTokens,
    cacheWriteTokens: rep.cacheWriteTokens,
    ...(rep.cost ? { withCache: rep.cost.withCache, uncached: rep.cost.uncached } : {}),
  };
}

/** The cost estimate's inputs for one model from the report's assumptions. */
export function costInputs(v: CostAssumptions, model: ModelInfo) {
  const ttl = v.ttl[model.id] || undefined;
  return {
    calls: 10,
    ratePerHour: v.callsPerHour > 0 ? v.callsPerHour : undefined,
    outputTokens: v.outputTokens,
    ttl,
    ...(v.warmPercent !== undefined ? { warmShare: v.warmPercent / 100 } : {}),
  };
}

function render(text: string, path: string, model: ModelInfo) {
  const doc = parsePrompt(text, { fileName: path });
  const prompt = doc.prompts[0];
  if (!prompt) return { error: doc.diagnostics[0]?.message ?? 'no prompt found' };
  const { tokenizer, exact } = tokenizerForModel(model);
  return { rendered: renderPrompt(prompt, tokenizer), tokenizer, exact };
}

/** The models a prompt is priced for: the chosen ones, or its own. */
function modelsFor(p: PromptText, c: CostContext, problems: string[]): readonly ModelInfo[] {
  if (c.models.length) return c.models;
  const own = chooseModel(c.catalog, [
    fileModelCandidate(parsePrompt(p.text, { fileName: p.path }), p.text, p.label),
    { id: c.defaultModel, from: 'settings' },
  ]);
  if (!own.ok) problems.push(own.message);
  return own.ok ? [own.model] : [];
}

export type PromptCostView = CostModelFigures & { readonly nextCall?: NextCall };

/**
 * Per model, the figures of one prompt, and with a baseline the next call against it. A prompt that does not parse is
 * a problem, said once.
 */
export function promptCost(p: PromptText, c: CostContext, problems: string[]): PromptCostView[] {
  const out: PromptCostView[] = [];
  for (const model of modelsFor(p, c, problems)) {
    const r = render(p.text, p.path, model);
    if ('error' in r) {
      problems.push(`${p.label}: ${r.error}`);
      break;
    }
    const view = modelView(model, r.rendered, r.tokenizer, r.exact, costInputs(c.assumptions, model));
    const next = c.baseline && nextCall(p, model, r.tokenizer, c.baseline, c.now);
    out.push(next ? { ...view, nextCall: next } : view);
  }
  return out;
}

/** The workspace table (each file × model: a 30-day month with and without the cache) and its top 3 cache killers. */
export function workspaceCost(
  prompts: readonly PromptText[],
  c: CostContext,
  problems: string[],
): { rows: WorkspaceCostRow[]; killers: CacheKiller[] } {
  const rows: WorkspaceCostRow[] = [];
  const killers: CacheKiller[] = [];
  const callsPerMonth = c.assumptions.callsPerHour * 24 * 30;
  for (const p of prompts) {
    for (const model of modelsFor(p, c, [])) {
      const r = render(p.text, p.path, model);
      if ('error' in r) {
        problems.push(`${p.label}: ${r.error}`);
        continue;
      }
      const v = modelView(model, r.rendered, r.tokenizer, r.exact, costInputs(c.assumptions, model));
      rows.push({
        file: p.label,
        model: model.id,
        tokens: v.tokens,
        exact: v.exact,
        monthWithoutCache: v.perMonth?.withoutCache ?? 0,
        monthWithCache: v.perMonth?.withCache ?? 0,
      });
      killers.push(
        ...cacheKillers(p.path, p.text, model, r.tokenizer, callsPerMonth, c.now).map((k) => ({ ...k, file: p.label })),
      );
    }
  }
  killers.sort((a, b) => b.monthlyCost - a.monthlyCost);
  return { rows, killers: killers.slice(0, 3) };
}
