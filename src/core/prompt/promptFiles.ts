import { Minimatch } from 'minimatch';

/** ARCHITECTURE.md "Which files are prompts": the default include globs, matched against workspace-relative paths. */
export const DEFAULT_PROMPT_GLOBS: readonly string[] = [
  '**/*.prompt.md',
  '**/*.prompty',
  '**/*.prompt',
  '**/*.prompt.txt',
  '**/*.prompt.yml',
  '**/*.prompt.yaml',
  '**/prompts/**',
];

/** JSON and JSONL files are prompts only when their content is a request body; these extensions are candidates. */
const REQUEST_BODY_EXTENSIONS = ['.json', '.jsonl'];

export interface PromptFileRules {
  /** Globs (minimatch, matched against the workspace-relative path with '/' separators). A leading '!' excludes. */
  readonly globs: readonly string[];
  /** Whether JSON/JSONL request bodies count as prompts wherever they are. */
  readonly detectRequestBodies: boolean;
}

export const DEFAULT_RULES: PromptFileRules = { globs: DEFAULT_PROMPT_GLOBS, detectRequestBodies: true };

const GLOB_OPTIONS = { dot: true, nocase: false, matchBase: false } as const;

// This check runs on every keystroke; compiling a glob builds a RegExp, so each distinct glob is compiled once.
const compiled = new Map<string, Minimatch>();
function minimatch(path: string, glob: string, options: typeof GLOB_OPTIONS): boolean {
  let m = compiled.get(glob);
  if (!m) {
    if (compiled.size > 256) compiled.clear(); // globs come from settings: a handful, unless edited many times
    compiled.set(glob, (m = new Minimatch(glob, options)));
  }
  return m.match(path);
}

/** Whether a path matches the include globs and none of the '!' excludes. */
export function matchesPromptGlobs(relativePath: string, globs: readonly string[]): boolean {
  const p = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
  let included = false;
  for (const g of globs) {
    if (g.startsWith('!')) {
      if (minimatch(p, g.slice(1), GLOB_OPTIONS)) return false;
    } else if (!included && minimatch(p, g, GLOB_OPTIONS)) {
      included = true;
    }
  }
  return included;
}

/** How much of a JSON/JSONL file's start the request-body check reads; callers may pass only this much. */
export const REQUEST_BODY_SNIFF_CHARS = 65536;

/**
 * Cheap check that a JSON text is an OpenAI (Chat Completions / Responses) or Anthropic Messages request body,
 * or for JSONL, that its first non-empty line is. Looks only at the first 64 KB so huge files stay cheap.
 */
export function looksLikeRequestBody(text: string, jsonl: boolean): boolean {
  let head = text.length > REQUEST_BODY_SNIFF_CHARS ? text.slice(0, REQUEST_BODY_SNIFF_CHARS) : text;
  if (jsonl) head = head.split(/\r?\n/).find((l) => l.trim().length > 0) ?? '';
  if (/^\s*\[\s*\{\s*"role"\s*:/.test(head)) return true; // a bare message array
  return /^\s*\{/.test(head) && /"(messages|input|instructions|system|tools|requests|contents)"\s*:/.test(head);
}

/**
 * A GitHub Models prompt by its content (`gh models` examples are named `sample_prompt.yml`, not `*.prompt.yml`): a
 * top-level `messages:` list whose items have a `role`. Reads only the first 64 KB.
 */
export function looksLikeGithubModels(text: string): boolean {
  const head = text.length > REQUEST_BODY_SNIFF_CHARS ? text.slice(0, REQUEST_BODY_SNIFF_CHARS) : text;
  return /^messages:[ \t]*\r?\n(?:[ \t]*#.*\r?\n)*[ \t]*-[ \t]+role:[ \t]*['"]?(system|developer|user|assistant)\b/m.test(
    head,
  );
}

export function isPromptFile(
  relativePath: string,
  text: string | undefined,
  rules: PromptFileRules = DEFAULT_RULES,
): boolean {
  if (matchesPromptGlobs(relativePath, rules.globs)) return true;
  if (!rules.detectRequestBodies || text === undefined) return false;
  const lower = relativePath.toLowerCase();
  if (/\.ya?ml$/.test(lower)) {
    if (
      rules.globs.some(
        (g) => g.startsWith('!') && minimatch(relativePath.replace(/\\/g, '/'), g.slice(1), GLOB_OPTIONS),
      )
    )
      return false;
    return looksLikeGithubModels(text);
  }
  const ext = REQUEST_BODY_EXTENSIONS.find((e) => lower.endsWith(e));
  if (!ext) return false;
  // An explicit exclude still wins over content detection.
  if (
    rules.globs.some((g) => g.startsWith('!') && minimatch(relativePath.replace(/\\/g, '/'), g.slice(1), GLOB_OPTIONS))
  )
    return false;
  return looksLikeRequestBody(text, ext === '.jsonl');
}
