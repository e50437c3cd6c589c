// Compares the catalog's prices with an independently maintained table, @pydantic/genai-prices' bundled data (pinned
// in package.json): for every catalog model the table knows, each of input, cached input, output and the (5-minute or
// default) cache write, at one fixed moment. Used by the cross-check test; the figures it returns are the table the
// test prints.
import { calcPrice } from '@pydantic/genai-prices';
import { scheduledPrices } from '../../../src/core/pricing/cost';
import type { ModelInfo } from '../../../src/core/pricing/types';

/** A weekday at 02:00 UTC: DeepSeek's peak window, the listed (peak) prices apply in both tables. */
export const CROSS_CHECK_AT = Date.UTC(2026, 11, 2, 2, 0);

const PROVIDER_IDS: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  deepseek: 'deepseek',
  xai: 'x-ai',
  mistral: 'mistral',
};
const FIELDS = {
  input: 'input_mtok',
  cachedInput: 'cache_read_mtok',
  output: 'output_mtok',
  cacheWrite: 'cache_write_mtok',
} as const;
export type Field = keyof typeof FIELDS;

export interface Disagreement {
  readonly model: string;
  readonly field: Field;
  readonly catalog: string;
  readonly table: number;
  readonly explained?: string;
}
export interface CrossCheck {
  readonly compared: string[];
  readonly notInTable: string[];
  agreeing: number;
  readonly disagreements: Disagreement[];
  /** Explanations in the catalog for a field that agrees now: stale, to be removed. */
  readonly staleExplanations: { model: string; field: string }[];
}

const base = (v: unknown): number | undefined =>
  typeof v === 'number'
    ? v
    : typeof v === 'object' && v && typeof (v as { base?: unknown }).base === 'number'
      ? (v as { base: number }).base
      : undefined;

function catalogFigure(m: ModelInfo, f: Field): string | undefined {
  const p = scheduledPrices(m.prices, CROSS_CHECK_AT);
  if (f === 'cacheWrite') {
    const w = p.cacheWrite;
    return w ? (w['5m'] ?? w.default ?? w['30m']) : undefined;
  }
  return p[f];
}

export function crossCheck(models: readonly ModelInfo[]): CrossCheck {
  const out: CrossCheck = { compared: [], notInTable: [], agreeing: 0, disagreements: [], staleExplanations: [] };
  for (const m of models) {
    const providerId = PROVIDER_IDS[m.provider];
    if (!providerId || m.family) continue;
    const r = calcPrice({ input_tokens: 1000, output_tokens: 1000 }, m.id, {
      providerId,
      timestamp: new Date(CROSS_CHECK_AT),
    });
    if (!r) {
      out.notInTable.push(m.id);
      continue;
    }
    out.compared.push(m.id);
    const explained = m.prices.disagreements ?? {};
    for (const [field, key] of Object.entries(FIELDS) as [Field, string][]) {
      const ours = catalogFigure(m, field);
      const theirs = base(r.model_price[key]);
      if (ours === undefined || theirs === undefined) continue;
      if (Math.abs(Number(ours) - theirs) <= 1e-9 * Math.max(1, theirs)) {
        out.agreeing++;
        if (explained[field]) out.staleExplanations.push({ model: m.id, field });
        continue;
      }
      out.disagreements.push({
        model: m.id,
        field,
        catalog: ours,
        table: theirs,
        ...(explained[field] ? { explained: explained[field] } : {}),
      });
    }
  }
  return out;
}
