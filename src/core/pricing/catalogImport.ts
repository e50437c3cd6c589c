// Reads the two community price tables people keep current — LiteLLM's model_prices_and_context_window.json (USD per
// token) and models.dev's api.json (USD per million tokens, by provider) — into the figures the catalog has, and
// lists where they differ from the catalog in use. Nothing is taken over unless asked: the differences become user
// catalog entries marked third-party, with the table as their source and today as their date.
import type { Catalog } from './catalog';
import type { ModelInfo } from './types';

export type ImportFormat = 'litellm' | 'models.dev';

/** What a table says of one model, in the catalog's units (USD per million tokens as decimal strings). */
export interface ImportedFigures {
  readonly name: string;
  readonly input?: string;
  readonly cachedInput?: string;
  readonly cacheWrite?: { readonly '5m'?: string; readonly '1h'?: string };
  readonly output?: string;
  readonly contextWindow?: number;
}

export interface ImportedTable {
  readonly format: ImportFormat;
  readonly entries: readonly ImportedFigures[];
  readonly skipped: number;
}

export interface FigureChange {
  readonly field: string;
  readonly from: string | number | undefined;
  readonly to: string | number;
}
export interface ModelDiff {
  readonly model: string;
  readonly matchedAs: string;
  readonly changes: readonly FigureChange[];
}
export interface CatalogDiff {
  readonly format: ImportFormat;
  readonly compared: number;
  readonly unchanged: number;
  readonly changed: readonly ModelDiff[];
  readonly notInCatalog: number;
  readonly skipped: number;
}

export class ImportError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A price as the catalog writes it: float noise of the source removed ("2.4999999999999996" → "2.5"). */
function price(v: unknown, perToken: boolean): string | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return undefined;
  const n = Number((perToken ? v * 1e6 : v).toPrecision(10));
  const s = n.toFixed(9).replace(/\.?0+$/, '');
  return s === '' ? '0' : s;
}

function litellm(json: Obj): ImportedTable {
  const entries: ImportedFigures[] = [];
  let skipped = 0;
  for (const [name, v] of Object.entries(json)) {
    if (name === 'sample_spec' || !isObj(v)) continue;
    const input = price(v.input_cost_per_token, true),
      output = price(v.output_cost_per_token, true);
    if (input === undefined || output === undefined) {
      skipped++;
      continue;
    }
    const w5 = price(v.cache_creation_input_token_cost, true),
      w1 = price(v.cache_creation_input_token_cost_above_1hr, true);
    entries.push({
      name,
      input,
      output,
      ...(price(v.cache_read_input_token_cost, true) !== undefined
        ? { cachedInput: price(v.cache_read_input_token_cost, true) }
        : {}),
      ...(w5 || w1 ? { cacheWrite: { ...(w5 ? { '5m': w5 } : {}), ...(w1 ? { '1h': w1 } : {}) } } : {}),
      ...(typeof v.max_input_tokens === 'number' ? { contextWindow: v.max_input_tokens } : {}),
    });
  }
  return { format: 'litellm', entries, skipped };
}

function modelsDev(json: Obj): ImportedTable {
  const entries: ImportedFigures[] = [];
  let skipped = 0;
  for (const [provider, p] of Object.entries(json)) {
    if (!isObj(p) || !isObj(p.models)) continue;
    for (const [id, m] of Object.entries(p.models)) {
      if (!isObj(m) || !isObj(m.cost)) {
        skipped++;
        continue;
      }
      const c = m.cost,
        input = price(c.input, false),
        output = price(c.output, false);
      if (input === undefined || output === undefined) {
        skipped++;
        continue;
      }
      const limit = isObj(m.limit) ? m.limit : {};
      entries.push({
        name: `${provider}/${id}`,
        input,
        output,
        ...(price(c.cache_read, false) !== undefined ? { cachedInput: price(c.cache_read, false) } : {}),
        ...(price(c.cache_write, false) !== undefined ? { cacheWrite: { '5m': price(c.cache_write, false) } } : {}),
        ...(typeof limit.context === 'number' ? { contextWindow: limit.context } : {}),
      });
    }
  }
  return { format: 'models.dev', entries, skipped };
}

/** Recognizes the table by its shape: LiteLLM maps names to per-token costs, models.dev maps providers to models. */
export function parsePriceTable(text: string, where: string): ImportedTable {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ImportError(
      `${where}: not valid JSON (${(e as Error).message}); a cut-off download looks like this — try again`,
    );
  }
  if (!isObj(json)) throw new ImportError(`${where}: expected a JSON object of models`);
  const values = Object.values(json).filter(isObj);
  const table = values.some((v) => isObj(v.models))
    ? modelsDev(json)
    : values.some((v) => 'input_cost_per_token' in v)
      ? litellm(json)
      : undefined;
  if (!table)
    throw new ImportError(
      `${where}: neither LiteLLM's model_prices_and_context_window.json nor models.dev's api.json (no input_cost_per_token, no provider models)`,
    );
  if (!table.entries.length)
    throw new ImportError(
      `${where}: no model with both an input and an output price (${table.skipped} entries skipped)`,
    );
  return table;
}

/** The names a table may use for a catalog model: its id and aliases, bare or behind a provider prefix. */
function matches(m: ModelInfo, name: string): boolean {
  const bare = name.toLowerCase().split('/').pop()!;
  return [m.id, ...(m.aliases ?? [])].some((id) => id.toLowerCase() === bare);
}

export function diffCatalog(catalog: Catalog, table: ImportedTable): CatalogDiff {
  const changed: ModelDiff[] = [];
  let compared = 0,
    unchanged = 0;
  const used = new Set<string>();
  for (const m of catalog.models) {
    // A provider-prefixed name of this provider wins over a bare one (resellers list the same id at other prices).
    const candidates = table.entries.filter((e) => matches(m, e.name));
    const hit =
      candidates.find((e) => e.name.toLowerCase().startsWith(`${m.provider === 'google' ? 'gemini' : m.provider}/`)) ??
      candidates.find((e) => !e.name.includes('/')) ??
      candidates[0];
    if (!hit) continue;
    used.add(hit.name);
    compared++;
    const changes: FigureChange[] = [];
    const cmp = (field: string, from: string | number | undefined, to: string | number | undefined) => {
      if (to === undefined) return;
      if (typeof to === 'string' && typeof from === 'string' ? Number(from) !== Number(to) : from !== to)
        changes.push({ field, from, to });
    };
    cmp('prices.input', m.prices.input, hit.input);
    cmp('prices.cachedInput', m.prices.cachedInput, hit.cachedInput);
    cmp('prices.output', m.prices.output, hit.output);
    if (m.prices.cacheWrite || m.provider === 'anthropic') {
      cmp('prices.cacheWrite.5m', m.prices.cacheWrite?.['5m'] ?? m.prices.cacheWrite?.default, hit.cacheWrite?.['5m']);
      cmp('prices.cacheWrite.1h', m.prices.cacheWrite?.['1h'], hit.cacheWrite?.['1h']);
    }
    cmp('contextWindow', m.contextWindow, hit.contextWindow);
    if (changes.length) changed.push({ model: m.id, matchedAs: hit.name, changes });
    else unchanged++;
  }
  return {
    format: table.format,
    compared,
    unchanged,
    changed,
    notInCatalog: table.entries.length - used.size,
    skipped: table.skipped,
  };
}

/**
 * User catalog entries that take the table's figures: one per changed model, prices marked third-party with the
 * table as their source. `existing` is the user catalog's current entries (kept, and updated where they overlap).
 */
export function entriesFromDiff(
  catalog: Catalog,
  diff: CatalogDiff,
  source: string,
  today: string,
  existing: readonly Obj[],
): Obj[] {
  const out = existing.map((e) => ({ ...e }));
  for (const d of diff.changed) {
    const m = catalog.models.find((x) => x.id === d.model)!;
    let entry = out.find((e) => e.id === d.model);
    if (!entry) {
      entry = { id: d.model };
      out.push(entry);
    }
    const prices: Obj = { ...(isObj(entry.prices) ? entry.prices : {}) };
    for (const c of d.changes) {
      if (c.field === 'contextWindow') {
        entry.contextWindow = c.to;
        continue;
      }
      const key = c.field.slice('prices.'.length);
      if (key.startsWith('cacheWrite.')) {
        const ttl = key.slice('cacheWrite.'.length);
        prices.cacheWrite = {
          ...(m.prices.cacheWrite ?? {}),
          ...(isObj(prices.cacheWrite) ? prices.cacheWrite : {}),
          [ttl]: c.to,
        };
      } else prices[key] = c.to;
    }
    if (Object.keys(prices).length) entry.prices = { ...prices, source, asOf: today, confidence: 'third-party' };
  }
  return out;
}
