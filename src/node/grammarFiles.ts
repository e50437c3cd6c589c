import fs from 'node:fs';
import path from 'node:path';
import { CodeParsers, GRAMMAR_WASM, RUNTIME_WASM, type WasmLoader } from '../core/code/parser';

/**
 * Node adapter for the tree-sitter WebAssembly files: the shipped bundles read them from dist/grammars (beside
 * dist/cli and dist/extension, copied there by scripts/build.mjs); tests and benchmarks run from out/ and read them
 * from the packages in node_modules.
 */

const PACKAGE_OF: Readonly<Record<string, string>> = {
  [RUNTIME_WASM]: 'web-tree-sitter',
  [GRAMMAR_WASM.python]: 'tree-sitter-python',
  [GRAMMAR_WASM.typescript]: 'tree-sitter-typescript',
  [GRAMMAR_WASM.tsx]: 'tree-sitter-typescript',
};

export function grammarPath(file: string): string | undefined {
  const shipped = path.join(__dirname, '..', 'grammars', file);
  if (fs.existsSync(shipped)) return shipped;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const p = path.join(dir, 'node_modules', PACKAGE_OF[file] ?? '', file);
    if (fs.existsSync(p)) return p;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export const readGrammarFile: WasmLoader = async (file) => {
  const p = grammarPath(file);
  if (!p) throw new Error(`${file}: the code parser's file is missing (dist/grammars); rebuild or reinstall KV Lens`);
  return new Uint8Array(await fs.promises.readFile(p));
};

let shared: CodeParsers | undefined;
/** One set of parsers per process. */
export function nodeCodeParsers(): CodeParsers {
  return (shared ??= new CodeParsers(readGrammarFile));
}
