import type { Catalog } from '../pricing/catalog';
import type { ModelInfo } from '../pricing/types';
import type { SourceRange } from '../prompt/types';
import { LineIndex } from '../text/lineIndex';
import type { DocumentReportResult } from './documentReport';

/** The extension's default model (setting kvlens.model's default); the CLI falls back to it too. */
export const DEFAULT_MODEL = 'gpt-4.1';

/** Where the model of a prompt came from, strongest first. */
export type ModelSource = 'flag' | 'file' | 'picked' | 'settings' | 'default';

export interface ModelCandidate {
  readonly id: string | undefined;
  readonly from: ModelSource;
  /** Where the id was read, for messages: "prompts/a.prompt.md:3", "setting kvlens.model in .vscode/settings.json". */
  readonly where?: string;
  /** Further choices after `id` (a prompt file's model list): the first the catalog knows wins. */
  readonly alternatives?: readonly string[];
  /** Where in the file the id is written (a front matter `model:` value), so a problem with it is placed there. */
  readonly range?: SourceRange;
}

export type ModelChoice =
  | { readonly ok: true; readonly model: ModelInfo; readonly from: ModelSource }
  | { readonly ok: false; readonly message: string; readonly from: ModelSource; readonly range?: SourceRange };

/**
 * ARCHITECTURE.md: the model named by the file wins, then a per-file choice, then the workspace setting, then the default
 * (the CLI's --model comes before all). The first candidate with an id decides; an unknown id is an error naming
 * where it came from, never a silent fallback to another model.
 */
export function chooseModel(catalog: Catalog, candidates: readonly ModelCandidate[]): ModelChoice {
  for (const c of [...candidates, { id: DEFAULT_MODEL, from: 'default' as const } as ModelCandidate]) {
    if (!c.id) continue;
    const found = catalog.find(c.id);
    if (found.ok) return { ok: true, model: found.model, from: c.from };
    for (const alt of c.alternatives ?? []) {
      const f = catalog.find(alt);
      if (f.ok) return { ok: true, model: f.model, from: c.from };
    }
    return {
      ok: false,
      from: c.from,
      message: c.where ? `${c.where} names ${found.message}` : found.message,
      ...(c.range ? { range: c.range } : {}),
    };
  }
  return { ok: false, from: 'default', message: 'no model' };
}

/**
 * A model choice that failed, as a document's analysis result: its message, with a diagnostic placed on the line that
 * names the model (a front matter `model:` value), or none when the model came from elsewhere (a setting, a flag).
 */
export function failedChoiceResult(
  choice: Extract<ModelChoice, { ok: false }>,
  text: string,
): Extract<DocumentReportResult, { ok: false }> {
  if (!choice.range) return { ok: false, message: choice.message };
  const { line, column } = new LineIndex(text).position(choice.range.start);
  return {
    ok: false,
    message: choice.message,
    diagnostic: {
      severity: 'warning',
      code: 'unknown-model',
      message: choice.message,
      range: choice.range,
      line,
      column,
    },
  };
}
