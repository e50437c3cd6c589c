import { fileModelCandidate } from '../analysis/fileModel';
import { chooseModel } from '../analysis/modelChoice';
import { tokenizerForModel } from './modelTokenizer';
import { parsePrompt } from '../prompt/parse';
import { renderPrompt } from '../prompt/render';
import type { Catalog } from './catalog';
import { cacheKillers, modelView, type CacheKiller, type CostModelFigures } from './costReport';
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

/** Per model, the figures of one prompt. A prompt that does not parse is a problem, said once. */
export function promptCost(p: PromptText, c: CostContext, problems: string[]): CostModelFigures[] {
  const out: CostModelFigures[] = [];
  for (const model of modelsFor(p, c, problems)) {
    const r = render(p.text, p.path, model);
    if ('error' in r) {
      problems.push(`${p.label}: ${r.error}`);
      break;
    }
    out.push(modelView(model, r.rendered, r.tokenizer, r.exact, costInputs(c.assumptions, model)));
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
