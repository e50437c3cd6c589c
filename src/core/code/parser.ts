import { Language, Parser, type Tree } from 'web-tree-sitter';
import type { CodeLanguage } from './types';

/**
 * The tree-sitter runtime and grammars, loaded on first use from WebAssembly files the host reads (the CLI from
 * dist/grammars on disk, the Node extension host likewise, the web worker host through the workspace file system).
 * Nothing here runs before a file that calls an LLM SDK is analyzed: a module that only imports this one costs its
 * evaluation, not the WebAssembly compile.
 */

/** The files a host must provide: the runtime and one grammar per language. */
export const RUNTIME_WASM = 'web-tree-sitter.wasm';
export const GRAMMAR_WASM: Readonly<Record<CodeLanguage, string>> = {
  python: 'tree-sitter-python.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
};

/** Reads one of the files above (bytes). */
export type WasmLoader = (file: string) => Promise<Uint8Array>;

let runtime: Promise<void> | undefined;

/** Parsers per language, created once per loader (the runtime is process-wide: one WebAssembly instance). */
export class CodeParsers {
  private readonly languages = new Map<CodeLanguage, Promise<Language>>();
  private readonly parsers = new Map<CodeLanguage, Parser>();

  constructor(private readonly load: WasmLoader) {}

  /** Loads the runtime and the language's grammar (once); later calls resolve at once. */
  async ready(lang: CodeLanguage): Promise<void> {
    if (this.parsers.has(lang)) return;
    runtime ??= this.load(RUNTIME_WASM).then((wasmBinary) => Parser.init({ wasmBinary }));
    try {
      await runtime;
    } catch (e) {
      runtime = undefined;
      throw e;
    }
    let language = this.languages.get(lang);
    if (!language) {
      language = this.load(GRAMMAR_WASM[lang]).then((bytes) => Language.load(bytes));
      this.languages.set(lang, language);
      language.catch(() => this.languages.delete(lang));
    }
    const l = await language;
    if (!this.parsers.has(lang)) {
      const p = new Parser();
      p.setLanguage(l);
      this.parsers.set(lang, p);
    }
  }

  isReady(lang: CodeLanguage): boolean {
    return this.parsers.has(lang);
  }

  /**
   * Parses `text` (after ready(lang)); with `old` (a tree of the previous text, already edited with tree.edit) only
   * the changed part is re-parsed. The caller deletes the tree it no longer needs (it lives in WebAssembly memory).
   */
  parse(lang: CodeLanguage, text: string, old?: Tree): Tree {
    const p = this.parsers.get(lang);
    if (!p) throw new Error(`the ${lang} grammar is not loaded yet`);
    const tree = p.parse(text, old ?? null);
    if (!tree) throw new Error(`tree-sitter could not parse this ${lang} text`);
    return tree;
  }
}
