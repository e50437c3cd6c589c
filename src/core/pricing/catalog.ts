import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js'; // the UMD entry does not bundle
import builtin from './catalog.json';
import families from './families.json';
import names from './modelNames.json';
import { compareVersions, versionOf } from './modelVersion';
import { distance, suggest } from './suggest';
import type { ModelInfo, ProviderId } from './types';
import { validateModel, type CatalogIssue } from './validate';

export type { CatalogIssue } from './validate';

/** A user catalog: the same shape as catalog.json ({ "models": [...] }); an entry whose id exists overrides fields of it. */
export interface UserCatalogSource {
  /** File name, used in every issue so the user knows which file to fix. */
  readonly file: string;
  /** The file's text (JSON with comments allowed). */
  readonly text: string;
}

export type FindResult =
  | { readonly ok: true; readonly model: ModelInfo }
  | { readonly ok: false; readonly message: string; readonly suggestions: readonly string[] };

export interface Catalog {
  readonly models: readonly ModelInfo[];
  /** Problems in user catalogs (and, should it ever happen, the bundled one). Never thrown. */
  readonly issues: readonly CatalogIssue[];
  find(id: string): FindResult;
  list(provider?: ProviderId): readonly ModelInfo[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of plain objects: user fields win, arrays and scalars replace. */
function merge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(base[k]) ? merge(base[k] as Obj, v) : v;
  return out;
}

/** Parses a user catalog text; syntax errors become issues naming the file and position. */
export function parseCatalogText(src: UserCatalogSource): { entries: unknown[]; issues: CatalogIssue[] } {
  const errors: ParseError[] = [];
  const issues: CatalogIssue[] = [];
  let data: unknown;
  try {
    data = parseJsonc(src.text, errors, { allowTrailingComma: true });
  } catch (e) {
    // The parser recurses: a file nested hundreds of thousands deep exhausts the stack rather than failing to parse.
    if (!(e instanceof RangeError)) throw e;
    issues.push({ file: src.file, path: '', message: 'nested too deeply to be a catalog', severity: 'error' });
    return { entries: [], issues };
  }
  if (errors.length) {
    const e = errors[0];
    const before = src.text.slice(0, e.offset);
    const line = before.split('\n').length;
    const column = e.offset - before.lastIndexOf('\n');
    issues.push({
      file: src.file,
      path: `${line}:${column}`,
      message: `invalid JSON (${printParseErrorCode(e.error)})`,
      severity: 'error',
    });
    return { entries: [], issues };
  }
  if (!isObj(data) || !Array.isArray(data.models)) {
    issues.push({
      file: src.file,
      path: 'models',
      message: 'a catalog is an object with a "models" list',
      severity: 'error',
    });
    return { entries: [], issues };
  }
  return { entries: data.models, issues };
}

function normalize(id: string): string {
  return id.trim().toLowerCase();
}

const PREFIXES = new Set(names.providerPrefixes);
/** Display-name form: lower case, runs of spaces and underscores as one dash ("Claude Sonnet 4.5" → claude-sonnet-4.5). */
const dashed = (s: string): string =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');

/**
 * The spellings a name can be looked up under, best first: as written; without a trailing "(copilot)" / "(Preview)"
 * and without provider prefixes ("openrouter/anthropic/…"); the picker-name table; the dashed display form; and that
 * with dots as dashes (claude-sonnet-4.5 → claude-sonnet-4-5).
 */
export function nameCandidates(raw: string): string[] {
  const s = baseName(raw);
  const low = s.toLowerCase();
  const table = (names.names as Record<string, string>)[low];
  const agent = claudeCodeAlias(low);
  const forms = [
    raw.trim(),
    s,
    ...(table ? [table] : []),
    ...(agent ? [agent] : []),
    dashed(s),
    dashed(s).replace(/(\d)\.(\d)/g, '$1-$2'),
  ];
  // Dated snapshots ("gpt-6.2-sol-2026-11-17", "claude-sonnet-5-5-20261001") and moving aliases ("claude-3-opus-latest",
  // "gemini-2.0-flash-001") are the model they stand for.
  const undated = forms
    .map((f) => f.replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|latest|\d{3})$/, ''))
    .filter((f, i) => f !== forms[i]);
  return [...new Set([...forms, ...undated].map(normalize))];
}

/**
 * A Claude Code alias (`sonnet`, `opus`, `haiku`, `opusplan`, with or without `[1m]`): the newest catalog model of the
 * family it names (modelNames.json `claudeCode`), as Claude Code resolves it.
 */
function claudeCodeAlias(low: string): string | undefined {
  const family = (names.claudeCode.aliases as Record<string, string>)[low.replace(/\[1m\]$/, '')];
  return family ? FAMILY_RULES.find((r) => r.re.test(family))?.template : undefined;
}

/** Claude Code's `model: inherit`: the model of the session that runs the sub-agent, i.e. no model of the file's own. */
export function isInheritModel(raw: string): boolean {
  return names.claudeCode.inherit.includes(raw.trim().toLowerCase());
}

export interface FamilyRule {
  readonly pattern: string;
  readonly template: string;
  readonly label: string;
}
const FAMILY_RULES: readonly (FamilyRule & { readonly re: RegExp })[] = (families.families as FamilyRule[]).map(
  (f) => ({ ...f, re: new RegExp(f.pattern) }),
);

/** The family rule (families.json) a model id belongs to, by the first of its spellings that one matches. */
export function familyRuleFor(raw: string): FamilyRule | undefined {
  for (const c of nameCandidates(raw)) {
    const rule = FAMILY_RULES.find((r) => r.re.test(c));
    if (rule) return rule;
  }
  return undefined;
}

/**
 * A model the catalog does not list, counted, cached and priced as its family's template (families.json): every
 * figure marked assumed, the token count never exact, and the rule named in the sources.
 */
function fromFamily(id: string, rule: FamilyRule, t: ModelInfo): ModelInfo {
  const why = `family rule "${rule.label}" (${t.displayName})`;
  return {
    ...t,
    id,
    displayName: `${id} (assumed: ${rule.label})`,
    exactTokenizer: false,
    aliases: [],
    retired: undefined,
    family: { label: rule.label, template: t.id },
    prices: {
      ...t.prices,
      confidence: 'assumed',
      source: `${why}; its figures from ${t.prices.source}`,
      notes: `Not in the catalog: the prices of ${t.displayName}, assumed for ${id}.`,
    },
    cache: { ...t.cache, confidence: 'assumed', source: `${why}; its rules from ${t.cache.source}` },
    notes: `${id} is not in the catalog; its family ${rule.label} is: tokenizer (${t.encoding}), cache rules and prices are ${t.displayName}'s, assumed.`,
    origin: 'family',
  };
}

/** A name without trailing parentheticals ("(copilot)", "(Preview)") and provider prefixes ("openai/"). */
function baseName(raw: string): string {
  let s = raw.trim();
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(/\s*\([^()]*\)\s*$/, '').trim();
  }
  for (let parts = s.split('/'); parts.length > 1 && PREFIXES.has(parts[0].toLowerCase()); parts = parts.slice(1))
    s = parts.slice(1).join('/');
  return s;
}

/** "Auto" (VS Code's automatic model choice): the file names no fixed model. */
export function isAutoModel(raw: string): boolean {
  return (names.auto as string[]).includes(dashed(baseName(raw)));
}

/** The catalog id that replaced a retired or older model id the catalog does not list, if one is known. */
export function successorOf(raw: string): string | undefined {
  const table = names.successors as Record<string, string>;
  for (const c of nameCandidates(raw)) if (table[c]) return table[c];
  return undefined;
}

/**
 * The model a retired or superseded id is best counted with: its successor's, when the bundled catalog has it. Its
 * tokenizer is the nearest to the retired model's own; it is never exact for it.
 */
export function successorModel(raw: string): ModelInfo | undefined {
  const next = successorOf(raw);
  const found = next ? findModel(next) : undefined;
  return found?.ok ? found.model : undefined;
}

/**
 * The bundled catalog with user catalogs applied in order. A user entry with a known id (or alias) is merged into
 * that model; a new id must be a complete entry. Invalid entries are left out and reported — the rest still loads.
 */
export function loadCatalog(userCatalogs: readonly UserCatalogSource[] = []): Catalog {
  const issues: CatalogIssue[] = [];
  const byId = new Map<string, Obj>();
  const origin = new Map<string, string>();
  for (const m of (builtin as { models: Obj[] }).models) {
    byId.set(m.id as string, m);
    origin.set(m.id as string, 'builtin');
  }
  const aliasOf = (id: string): string | undefined => {
    const n = normalize(id);
    for (const [key, m] of byId) {
      if (normalize(key) === n) return key;
      if (Array.isArray(m.aliases) && m.aliases.some((a) => typeof a === 'string' && normalize(a) === n)) return key;
    }
    return undefined;
  };

  for (const src of userCatalogs) {
    const parsed = parseCatalogText(src);
    issues.push(...parsed.issues);
    parsed.entries.forEach((entry, i) => {
      const at = `models[${i}]`;
      if (!isObj(entry) || typeof entry.id !== 'string' || !entry.id) {
        issues.push({
          file: src.file,
          path: `${at}.id`,
          message: 'every entry needs an "id" string',
          severity: 'error',
        });
        return;
      }
      const existing = aliasOf(entry.id);
      const candidate = existing ? merge(byId.get(existing)!, { ...entry, id: existing }) : entry;
      const found = validateModel(candidate, at, src.file);
      if (found.length) {
        issues.push(
          ...found.map((f) => (existing ? f : { ...f, message: `${f.message} (a new model needs a complete entry)` })),
        );
        return;
      }
      byId.set(existing ?? entry.id, candidate);
      origin.set(existing ?? entry.id, src.file);
    });
  }

  const models: ModelInfo[] = [];
  for (const [id, m] of byId) models.push({ ...(m as unknown as ModelInfo), origin: origin.get(id) });
  const index = new Map<string, ModelInfo>();
  for (const m of models) {
    index.set(normalize(m.id), m);
    for (const a of m.aliases ?? []) if (!index.has(normalize(a))) index.set(normalize(a), m);
  }
  // Display names ("Claude Sonnet 4.5", "GPT-5 mini") as the VS Code picker shows them, after ids and aliases.
  for (const m of models) {
    const d = dashed(m.displayName.replace(/\s*\([^()]*\)\s*$/, ''));
    if (!index.has(d)) index.set(d, m);
  }

  return {
    models,
    issues,
    find(id: string): FindResult {
      for (const c of nameCandidates(id)) {
        const m = index.get(c);
        if (m) return { ok: true, model: m };
      }
      const next = successorOf(id);
      if (next && index.has(normalize(next))) {
        return {
          ok: false,
          message: `unknown model "${id}" (not in the catalog: retired or superseded); did you mean ${next}, its successor?`,
          suggestions: [next],
        };
      }
      for (const c of nameCandidates(id)) {
        const rule = FAMILY_RULES.find((r) => r.re.test(c));
        const template = rule && index.get(normalize(rule.template));
        if (rule && template) return { ok: true, model: fromFamily(c, rule, template) };
      }
      // The nearest names (Claude Code's aliases among them), each model once — its aliases and spellings collapse
      // to its id — the five nearest models listed newest first.
      const named = new Map<string, string>([...index].map(([k, m]) => [k, m.id]));
      for (const alias of Object.keys(names.claudeCode.aliases)) {
        const target = claudeCodeAlias(alias);
        if (target && index.has(target)) named.set(alias, index.get(target)!.id);
      }
      const wanted = (baseName(id) || id).toLowerCase();
      const best = new Map<string, number>(); // model id → distance of its nearest name
      for (const k of suggest(wanted, [...named.keys()], 20))
        if (!best.has(named.get(k)!)) best.set(named.get(k)!, distance(wanted, k));
      const near = [...best].slice(0, 5);
      // A clear typo fix (one model strictly nearest) stays first; the rest are listed newest first.
      const clear = near.length > 1 && near[0][1] < near[1][1] ? near[0][0] : undefined;
      const suggestions = [
        ...(clear ? [clear] : []),
        ...near
          .map(([m]) => m)
          .filter((m) => m !== clear)
          .sort((a, b) => compareVersions(versionOf(b), versionOf(a))),
      ];
      const hint = suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ' (see `kvlens models`)';
      return { ok: false, message: `unknown model "${id}"${hint}`, suggestions };
    },
    list(provider?: ProviderId) {
      return provider ? models.filter((m) => m.provider === provider) : models;
    },
  };
}

let defaultCatalog: Catalog | undefined;
function builtinCatalog(): Catalog {
  return (defaultCatalog ??= loadCatalog());
}

/** A model of the bundled catalog by id or alias (case-insensitive). */
export function findModel(id: string): FindResult {
  return builtinCatalog().find(id);
}

/** Models of the bundled catalog, optionally of one provider. */
export function listModels(provider?: ProviderId): readonly ModelInfo[] {
  return builtinCatalog().list(provider);
}

/** Issues of the bundled catalog itself (a test asserts there are none). */
export function validateBuiltin(): CatalogIssue[] {
  return (builtin as { models: unknown[] }).models.flatMap((m, i) => validateModel(m, `models[${i}]`, 'catalog.json'));
}
