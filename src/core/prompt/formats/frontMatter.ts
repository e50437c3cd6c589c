import { yaml } from './yamlLib';
import type { DiagnosticSink } from '../diagnostics';
import type { SourceRange } from '../types';

/**
 * YAML front matter: a first line `---`, YAML, then a line `---` (or `...`). It is metadata, not sent to the model.
 * Keys KV Lens reads (others are left to the tools that own the file, e.g. VS Code prompt files' `mode`/`tools`):
 *   model:    the model id this prompt is written for (Prompty: model.configuration.name / azure_deployment / model.id)
 *   provider: 'openai' | 'anthropic' | … when the model id alone does not say
 */
export interface FrontMatter {
  readonly data: Readonly<Record<string, unknown>>;
  /** The whole front matter including both delimiter lines. */
  readonly range: SourceRange;
  /** Where the body starts (after the closing delimiter's line break). */
  readonly bodyStart: number;
  /** Source range of each top-level key's value (document offsets). */
  readonly ranges: Readonly<Record<string, SourceRange>>;
}

/** The first line of front matter, at the start of a text (the editor's live path tests a first line with it). */
export const OPEN_FRONT_MATTER = /^---[ \t]*(?:\r\n|\n|\r)/;
const OPEN = new RegExp(OPEN_FRONT_MATTER.source.slice(1), 'y');
const CLOSE = /^(?:---|\.\.\.)[ \t]*(?:\r\n|\n|\r|$)/gm;

export function splitFrontMatter(text: string, start: number, sink: DiagnosticSink): FrontMatter | undefined {
  OPEN.lastIndex = start;
  const open = OPEN.exec(text);
  if (!open) return undefined;
  const yamlStart = start + open[0].length;
  CLOSE.lastIndex = yamlStart;
  const close = CLOSE.exec(text);
  if (!close) {
    sink.warning(
      'front-matter-unclosed',
      'front matter opened with "---" is never closed; reading the whole file as the prompt',
      { start, end: yamlStart },
    );
    return undefined;
  }
  const yamlText = text.slice(yamlStart, close.index);
  const range = { start, end: close.index + close[0].length };
  const doc = yaml().parseDocument(yamlText, { prettyErrors: false, uniqueKeys: false });
  for (const e of doc.errors.slice(0, 10)) {
    const at = yamlStart + (e.pos?.[0] ?? 0);
    sink.error('front-matter-yaml', `front matter: ${e.message.split('\n')[0]}`, {
      start: at,
      end: yamlStart + (e.pos?.[1] ?? 0),
    });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    sink.error('front-matter-yaml', `front matter: ${(e as Error).message}`, { start: yamlStart, end: close.index });
  }
  if (data === null || data === undefined) return { data: {}, range, bodyStart: range.end, ranges: {} };
  if (typeof data !== 'object' || Array.isArray(data)) {
    sink.warning('front-matter-type', 'front matter should be a YAML mapping (key: value lines); ignoring it', {
      start: yamlStart,
      end: close.index,
    });
    return { data: {}, range, bodyStart: range.end, ranges: {} };
  }
  return {
    data: data as Record<string, unknown>,
    range,
    bodyStart: range.end,
    ranges: valueRanges(doc.contents, yamlStart),
  };
}

/** Document ranges of the values of a YAML mapping's keys (yaml nodes carry [start, valueEnd, nodeEnd] ranges). */
export function valueRanges(map: unknown, base: number): Record<string, SourceRange> {
  const { isMap, isScalar } = yaml();
  const out: Record<string, SourceRange> = {};
  if (!isMap(map)) return out;
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const r = (pair.value as { range?: [number, number, number] } | null)?.range;
    if (key !== undefined && r) out[key] = { start: base + r[0], end: base + r[1] };
  }
  return out;
}

/** The model(s) a front matter names: `model: id`, or a list of choices (first known wins); "Auto" names none. */
export function modelKey(
  fm: FrontMatter | undefined,
  sink: DiagnosticSink,
  key = 'model',
): { models: string[]; range?: SourceRange } {
  const v = fm?.data[key];
  const range = fm?.ranges[key];
  if (v === undefined || v === null) return { models: [] };
  const list = Array.isArray(v) ? v : [v];
  const models = list
    .filter((x): x is string => typeof x === 'string' && x.trim() !== '')
    .map((x) => x.trim())
    .filter((x) => !AUTO.test(x));
  if (list.some((x) => typeof x !== 'string'))
    sink.warning(
      'front-matter-type',
      `front matter "${key}" should be a model name or a list of them`,
      range ?? fm!.range,
    );
  return { models, ...(range ? { range } : {}) };
}

/** VS Code's "Auto" model choice (optionally with a vendor suffix): no fixed model. */
const AUTO = /^auto(?:\s*\([^)]*\))?$/i;

/** A string front-matter key, with a warning when it is present but not a string. */
export function stringKey(fm: FrontMatter | undefined, key: string, sink: DiagnosticSink): string | undefined {
  const v = fm?.data[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v.trim()) return v.trim();
  sink.warning('front-matter-type', `front matter "${key}" should be a non-empty string`, fm!.range);
  return undefined;
}
