// How much to trust a catalog figure and how old it is: the confidence marks every price display shows, and the
// age of a figure group for `kvlens models --stale` and the extension's one-time notice.
import type { Confidence, ModelInfo, Sourced } from './types';

const DAY_MS = 86_400_000;

/** An asOf date as a time: a partial date (YYYY-MM, YYYY) counts from the start of that period, the oldest it can be. */
export function asOfTime(asOf: string): number {
  const [y, m = '01', d = '01'] = asOf.split('-');
  return Date.UTC(Number(y), Number(m) - 1, Number(d));
}

export function ageDays(asOf: string, now: number): number {
  return Math.floor((now - asOfTime(asOf)) / DAY_MS);
}

/** Figures shown without a mark are the provider's own; the others say what they are. */
export function confidenceMark(c: Confidence | undefined): string {
  return c === 'third-party' ? '†' : c === 'assumed' ? '?' : '';
}

/** What to say beside a price that is not the provider's own; undefined for an official one. */
export function confidenceNote(c: Confidence | undefined): string | undefined {
  return c === 'third-party'
    ? 'from a third party'
    : c === 'assumed'
      ? 'assumed (not seen on a current page)'
      : undefined;
}

/** The label of a model's prices: a model the catalog only knows by its family says so, wherever it is shown. */
export function pricesLabel(m: ModelInfo): string {
  return m.family ? `assumed from the family ${m.family.label}` : confidenceLabel(m.prices.confidence);
}

export function confidenceLabel(c: Confidence | undefined): string {
  return c === 'third-party'
    ? 'third-party figure'
    : c === 'assumed'
      ? 'assumed figure'
      : c === 'official'
        ? "provider's page"
        : 'your catalog';
}

export interface StaleGroup {
  readonly model: string;
  readonly group: 'prices' | 'cache';
  readonly asOf: string;
  readonly days: number;
  readonly confidence: Confidence | undefined;
  readonly source: string;
}

/** Figure groups last seen more than `days` days before `now`, oldest first. */
export function staleGroups(models: readonly ModelInfo[], now: number, days: number): StaleGroup[] {
  const out: StaleGroup[] = [];
  for (const m of models)
    for (const [group, g] of [
      ['prices', m.prices],
      ['cache', m.cache],
    ] as [StaleGroup['group'], Sourced][]) {
      const d = ageDays(g.asOf, now);
      if (d > days) out.push({ model: m.id, group, asOf: g.asOf, days: d, confidence: g.confidence, source: g.source });
    }
  return out.sort((a, b) => b.days - a.days || a.model.localeCompare(b.model));
}

/** "shut down on 2026-10-23 (successor gpt-5.6-terra)" or "shuts down on 2027-01-14 …", undefined for a live model. */
export function retirementText(m: ModelInfo, now: number): string | undefined {
  const r = m.retired;
  if (!r) return undefined;
  return `${asOfTime(r.on) <= now ? 'shut down on' : 'shuts down on'} ${r.on}${r.successor ? ` (successor ${r.successor})` : ''}`;
}
