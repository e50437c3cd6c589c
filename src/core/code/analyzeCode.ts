import type { Catalog } from '../pricing/catalog';
import { successorModel } from '../pricing/catalog';
import { tokenizerForModel } from '../pricing/modelTokenizer';
import type { ModelInfo } from '../pricing/types';
import { LineIndex } from '../text/lineIndex';
import { callReport, type CodeCallReport, type ModelFrom } from './callReport';
import { codeLanguageOf, mentionsLlmSdk } from './languages';
import type { ModuleLookup, SourceModule } from './modules';
import type { CodeParsers } from './parser';
import { findPythonCalls } from './python/calls';
import { providerOfModelName, splitModelPrefix } from './sdks';
import type { CallSite, CodeLanguage } from './types';
import { findTypeScriptCalls } from './typescript/calls';
import { WorkspaceModules, type WorkspaceFiles } from './workspaceModules';

/**
 * `kvlens code FILE` and the editor's code lenses: the LLM calls of one source file, each with its cached prefix under
 * the rules of the model it names (or the one chosen), from one core function.
 */

export interface CodeModelOptions {
  readonly catalog: Catalog;
  /** --model: every call is measured with this model. */
  readonly model?: ModelInfo;
  /** --provider: the provider of calls whose code does not say. */
  readonly provider?: string;
  /** The model of the settings (kvlens.model) or the default, for calls that name none. */
  readonly fallback: ModelInfo;
  readonly fallbackFrom: 'settings' | 'default';
}

export interface CodeReport {
  readonly file: string;
  readonly language: CodeLanguage | null;
  readonly calls: readonly CodeCallReport[];
  /** The call sites the calls were read from, in the same order (source ranges of their prompt parts, for the editor). */
  readonly sites: readonly CallSite[];
}

/** Per provider, the model assumed for a call that names none (documented in README: a representative current model). */
const PROVIDER_DEFAULTS: Readonly<Record<string, string>> = {
  openai: 'gpt-4.1',
  anthropic: 'claude-sonnet-4-6',
  google: 'gemini-2.5-flash-lite',
  deepseek: 'deepseek-flash',
  xai: 'grok-4-1-fast-non-reasoning',
  mistral: 'mistral-medium-3.5',
};

export function modelForCall(
  site: CallSite,
  o: CodeModelOptions,
): { model: ModelInfo; from: ModelFrom; warning?: string } {
  if (o.model) return { model: o.model, from: 'flag' };
  const provider = site.provider ?? o.provider ?? null;
  if (site.model) {
    const name = splitModelPrefix(site.model).model;
    const found = o.catalog.find(name);
    if (found.ok) return { model: found.model, from: 'call' };
    const next = successorModel(name);
    if (next)
      return {
        model: next,
        from: 'successor',
        warning: `${site.model} is not in the catalog (retired or superseded): measured as ${next.id}, its successor`,
      };
  }
  const p = provider ?? (site.model ? providerOfModelName(splitModelPrefix(site.model).model) : undefined);
  if (p && o.fallback.provider !== p && PROVIDER_DEFAULTS[p]) {
    const found = o.catalog.find(PROVIDER_DEFAULTS[p]);
    if (found.ok)
      return {
        model: found.model,
        from: 'provider-default',
        warning: `${site.model ? `${site.model} is not in the catalog` : 'the call names no model'}: measured as ${found.model.id} (${p})`,
      };
  }
  return {
    model: o.fallback,
    from: o.fallbackFrom,
    ...(site.model ? { warning: `${site.model} is not in the catalog: measured as ${o.fallback.id}` } : {}),
  };
}

export interface AnalyzeCodeInput {
  readonly text: string;
  readonly fileName: string;
  readonly languageId?: string;
  readonly parsers: CodeParsers;
  readonly models: CodeModelOptions;
  /** The workspace, when imports of its files are to be followed (the editor's folder, the CLI's --workspace). */
  readonly workspace?: WorkspaceFiles;
  readonly now: number;
}

/** The call sites of a file (no pricing): what the finder and folding read. */
export async function findCalls(
  input: Pick<AnalyzeCodeInput, 'text' | 'fileName' | 'languageId' | 'parsers' | 'workspace'>,
): Promise<{ language: CodeLanguage | null; sites: CallSite[]; modules: Map<string, SourceModule> }> {
  const language = codeLanguageOf(input.fileName, input.languageId) ?? null;
  if (!language || !mentionsLlmSdk(input.text)) return { language, sites: [], modules: new Map() };
  await input.parsers.ready(language);
  const tree = input.parsers.parse(language, input.text);
  const mod: SourceModule = { text: input.text, tree, lang: language };
  const modules = new WorkspaceModules(input.parsers, input.workspace, input.fileName);
  try {
    // Fold; when imports of workspace files were met, read them and fold again (a few rounds at most).
    for (let round = 0; ; round++) {
      const sites = run(language, mod, modules);
      if (round >= 3 || !(await modules.loadWanted())) return { language, sites, modules: modules.loaded() };
    }
  } finally {
    tree.delete();
    modules.dispose();
  }
}

function run(language: CodeLanguage, mod: SourceModule, modules: ModuleLookup): CallSite[] {
  return language === 'python' ? findPythonCalls(mod, modules) : findTypeScriptCalls(mod, modules);
}

export async function analyzeCode(input: AnalyzeCodeInput): Promise<CodeReport> {
  const { language, sites, modules } = await findCalls(input);
  const lines = new LineIndex(input.text);
  const otherLines = new Map<string, LineIndex>();
  const linesOf = (file: string) => {
    let l = otherLines.get(file);
    const m = modules.get(file);
    if (!l && m) otherLines.set(file, (l = new LineIndex(m.text)));
    return l;
  };
  const calls = sites.map((site) => {
    const chosen = modelForCall(site, input.models);
    const t = tokenizerForModel(chosen.model);
    return callReport({
      site,
      text: input.text,
      lines,
      model: chosen.model,
      modelFrom: chosen.from,
      tokenizer: t.tokenizer,
      exact: t.exact,
      linesOf,
      now: input.now,
      warnings: chosen.warning ? [chosen.warning] : [],
    });
  });
  return { file: input.fileName, language, calls, sites };
}
