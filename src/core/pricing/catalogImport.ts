// Reads the community price tables people keep current — LiteLLM's model_prices_and_context_window.json (USD per
// token), models.dev's api.json (USD per million tokens, by provider) and pydantic's genai-prices data.json (a list of
// providers, USD per million tokens, prices that change on a date) — into the figures the catalog has, and lists
// where they differ from the catalog in use. Nothing is taken over unless asked: the differences become user
// catalog entries marked third-party, with the table as their source and today as their date.
import type { Catalog } from './catalog';
import type { ModelInfo } from './types';

export type ImportFormat = 'litellm' | 'models.dev' | 'genai-prices';

/** The tables by the names their maintainers give them, for messages and a figure's source. */
export const FORMAT_NAMES: Record<ImportFormat, string> = {
  litellm: "LiteLLM's model_prices_and_context_window.json",
  'models.dev': "models.dev's api.json",
  'genai-prices': "genai-prices' data.json",
};

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

/** A genai-prices figure: a number, or {base, tiers} for prices that rise with the prompt's length (the base is taken). */
function mtok(v: unknown): string | undefined {
  return price(isObj(v) ? v.base : v, false);
}

/**
 * genai-prices' prices of a model: one set, or a list of sets each with an optional `constraint`. The set in force
 * `today` is the latest whose start_date has passed (and whose end_date has not). Prices that depend on the hour
 * (start_time/end_time: DeepSeek's off-peak rates) have no one list price: such a model is skipped, its time-of-day
 * rules stay the catalog's.
 */
function pricesInForce(p: unknown, today: string): Obj | undefined {
  if (isObj(p)) return p;
  if (!Array.isArray(p)) return undefined;
  let best: { prices: Obj; start: string } | undefined;
  for (const c of p) {
    if (!isObj(c) || !isObj(c.prices)) continue;
    const k = isObj(c.constraint) ? c.constraint : {};
    if ('start_time' in k || 'end_time' in k) return undefined;
    const start = typeof k.start_date === 'string' ? k.start_date : '';
    const end = typeof k.end_date === 'string' ? k.end_date : undefined;
    if (start > today || (end !== undefined && end <= today)) continue;
    if (!best || start > best.start) best = { prices: c.prices, start };
  }
  return best?.prices;
}

function genaiPrices(json: unknown[], today: string): ImportedTable {
  const entries: ImportedFigures[] = [];
  let skipped = 0;
  for (const p of json) {
    if (!isObj(p) || typeof p.id !== 'string' || !Array.isArray(p.models)) continue;
    for (const m of p.models) {
      const prices = isObj(m) ? pricesInForce(m.prices, today) : undefined;
      const input = prices && mtok(prices.input_mtok),
        output = prices && mtok(prices.output_mtok);
      if (!isObj(m) || typeof m.id !== 'string' || !prices || input === undefined || output === undefined) {
        skipped++;
        continue;
      }
      const read = mtok(prices.cache_read_mtok),
        write = mtok(prices.cache_write_mtok);
      entries.push({
        name: `${p.id}/${m.id}`,
        input,
        output,
        ...(read !== undefined ? { cachedInput: read } : {}),
        ...(write !== undefined ? { cacheWrite: { '5m': write } } : {}),
        ...(typeof m.context_window === 'number' ? { contextWindow: m.context_window } : {}),
      });
    }
  }
  return { format: 'genai-prices', entries, skipped };
}

/**
 * Recognizes the table by its shape: LiteLLM maps names to per-token costs, models.dev maps providers to models,
 * genai-prices lists providers with their models. `today` (YYYY-MM-DD) picks genai-prices' dated prices.
 */
export function parsePriceTable(
  text: string,
  where: string,
  today = new Date().toISOString().slice(0, 10),
): ImportedTable {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ImportError(
      `${where}: not valid JSON (${(e as Error).message}); a cut-off download looks like this — try again`,
    );
  }
  const table = Array.isArray(json)
    ? json.some((p) => isObj(p) && Array.isArray(p.models))
      ? genaiPrices(json, today)
      : undefined
    : !isObj(json)
      ? undefined
      : Object.values(json).some((v) => isObj(v) && isObj(v.models))
        ? modelsDev(json)
        : Object.values(json).some((v) => isObj(v) && 'input_cost_per_token' in v)
          ? litellm(json)
          : undefined;
  if (!table)
    throw new ImportError(
      `${where}: neither LiteLLM's model_prices_and_context_window.json nor models.dev's api.json nor genai-prices' data.json (no input_cost_per_token, no provider with models)`,
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

/** The names the tables give a catalog provider (LiteLLM's `gemini/`, genai-prices' `google/` and `x-ai/`). */
const PROVIDER_PREFIXES: Record<string, readonly string[]> = {
  google: ['gemini', 'google'],
  xai: ['xai', 'x-ai'],
};

export function diffCatalog(catalog: Catalog, table: ImportedTable): CatalogDiff {
  const changed: ModelDiff[] = [];
  let compared = 0,
    unchanged = 0;
  const used = new Set<string>();
  for (const m of catalog.models) {
    // A provider-prefixed name of this provider wins over a bare one (resellers list the same id at other prices).
    const candidates = table.entries.filter((e) => matches(m, e.name));
    const own = PROVIDER_PREFIXES[m.provider] ?? [m.provider];
    const hit =
      candidates.find((e) => own.some((p) => e.name.toLowerCase().startsWith(`${p}/`))) ??
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
