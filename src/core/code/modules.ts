import type { Node, Tree } from 'web-tree-sitter';
import type { CodeLanguage } from './types';

/**
 * Source modules the folding reads: the analyzed file and, when a workspace is given, the files its imports name.
 * Folding is synchronous; a module not read yet is asked for (`wanted`), the driver reads it and folds again.
 */
export interface SourceModule {
  readonly text: string;
  readonly tree: Tree;
  readonly lang: CodeLanguage;
  /** Path relative to the workspace ('/'), or undefined for the analyzed file itself. */
  readonly file?: string;
  /** Module-level bindings by name, built on first use. */
  bindings?: Map<string, Node[]>;
}

export interface ModuleLookup {
  /**
   * The module an import names: the module when it was read; null when it is not a file of the workspace (a package,
   * or no workspace); undefined when it may be one and was not read yet (it is added to `wanted`).
   */
  resolve(from: SourceModule, spec: string): SourceModule | null | undefined;
}

/** A lookup for a file analyzed alone: every import is outside what KV Lens reads. */
export const NO_MODULES: ModuleLookup = { resolve: () => null };

/** The same syntax node (web-tree-sitter hands out a new object for each access, so identity does not tell). */
export function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  if (!a || !b) return a === b || (!a && !b);
  return a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/**
 * The import statements of a module, found from the lines `lines` matches (its match ends with the keyword `import`)
 * rather than by walking the tree: a long module has thousands of top-level statements.
 */
export function importStatements(mod: SourceModule, lines: RegExp, types: readonly string[]): Node[] {
  const statements: Node[] = [];
  for (const m of mod.text.matchAll(lines)) {
    const at = m.index + m[0].length - 6;
    let n: Node | null = mod.tree.rootNode.descendantForIndex(at, at + 6);
    while (n && !types.includes(n.type)) n = n.parent;
    if (n && !statements.some((x) => x.startIndex === n!.startIndex)) statements.push(n);
  }
  return statements;
}

/**
 * Where a prompt expression is folded, for either language: its module, the enclosing function (null at module
 * level), the parameters bound to the arguments of a call being folded, whether it is evaluated once when the module
 * loads (then every run-time value in it is fixed for the process), how deep the folding has gone, and the workspace's
 * other modules.
 */
export interface FoldContext {
  readonly mod: SourceModule;
  readonly fn: Node | null;
  readonly bound?: ReadonlyMap<string, { readonly node: Node | null; readonly ctx: FoldContext }>;
  readonly once: boolean;
  readonly depth: number;
  readonly modules: ModuleLookup;
}
