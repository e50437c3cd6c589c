import type { CodeLanguage } from './types';

/**
 * Which grammar reads a file: by VS Code language id when there is one, else by extension. JavaScript is read with the
 * TSX grammar (a superset that also takes JSX); .ts with the TypeScript grammar (which takes `<T>x` casts TSX cannot).
 */
export function codeLanguageOf(fileName: string, languageId?: string): CodeLanguage | undefined {
  switch (languageId) {
    case 'python':
      return 'python';
    case 'typescript':
      return 'typescript';
    case 'typescriptreact':
    case 'javascript':
    case 'javascriptreact':
      return 'tsx';
    default:
      break;
  }
  const ext = /\.([A-Za-z]+)$/.exec(fileName)?.[1]?.toLowerCase();
  switch (ext) {
    case 'py':
    case 'pyi':
      return 'python';
    case 'ts':
    case 'mts':
    case 'cts':
      return 'typescript';
    case 'tsx':
    case 'js':
    case 'jsx':
    case 'mjs':
    case 'cjs':
      return 'tsx';
    default:
      return undefined;
  }
}

/**
 * The cheap test before any parsing: does the text name an LLM SDK at all (an import of one, or its package name)?
 * One pass of one regular expression; files that fail it never load the parser.
 */
const SDK_MENTION =
  /\b(?:openai|anthropic|google\.genai|google\.generativeai|from google import genai|litellm|pydantic_ai|instructor|langchain[\w.]*|langgraph)\b|['"](?:ai|@ai-sdk\/[\w-]+|@anthropic-ai\/sdk|@google\/genai|@google\/generative-ai|@langchain\/[\w-]+|openai|langchain\/[\w/-]+)['"]/;

export function mentionsLlmSdk(text: string): boolean {
  return SDK_MENTION.test(text);
}
