import { codeLanguageOf } from './languages';
import type { ModuleLookup, SourceModule } from './modules';
import type { CodeParsers } from './parser';

/**
 * The workspace as the folding sees it: files read by path relative to its root. The CLI reads them from disk under
 * --workspace, the editor through the workspace file system; nothing outside the root is read.
 */
export interface WorkspaceFiles {
  /** The analyzed file's path relative to the root ('/'-separated); undefined when it is outside the workspace. */
  readonly self: string | undefined;
  /** A file's text by relative path; undefined when there is none (or it is no regular file, or too large). */
  read(path: string): Promise<string | undefined>;
}

const MAX_MODULES = 24;

const dirname = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const join = (...parts: string[]) => {
  const out: string[] = [];
  for (const seg of parts.join('/').split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
};

/** Candidate files for an import, best first; none for a package outside the workspace. */
export function moduleCandidates(from: string, spec: string, python: boolean): string[] {
  const dir = dirname(from);
  const out: (string | undefined)[] = [];
  if (python) {
    const dots = /^\.*/.exec(spec)![0].length;
    const rest = spec.slice(dots).replace(/\./g, '/');
    if (dots > 0) {
      let base: string | undefined = dir;
      for (let i = 1; i < dots && base !== undefined; i++) base = join(base, '..');
      if (base === undefined) return [];
      const p = rest ? join(base, rest) : base;
      if (p !== undefined) out.push(`${p}.py`, join(p, '__init__.py'));
    } else {
      // An absolute module: from the root, from src/, and from each folder above the file (a package's root).
      const roots = new Set<string>(['', 'src']);
      for (let d = dir; d; d = dirname(d)) roots.add(d);
      for (const r of roots) {
        const p = join(r, rest);
        if (p !== undefined) out.push(`${p}.py`, join(p, '__init__.py'));
      }
    }
  } else {
    let base: string | undefined;
    if (spec.startsWith('.')) base = join(dir, spec);
    else if (spec.startsWith('@/') || spec.startsWith('~/')) base = join('src', spec.slice(2));
    else return [];
    if (base === undefined) return [];
    const stripped = base.replace(/\.(?:js|mjs|cjs|jsx)$/, '');
    for (const b of stripped !== base ? [stripped, base] : [base])
      for (const ext of [
        '.ts',
        '.tsx',
        '.mts',
        '.cts',
        '.js',
        '.mjs',
        '.cjs',
        '.jsx',
        '/index.ts',
        '/index.tsx',
        '/index.js',
      ])
        out.push(b + ext);
    if (/\.[cm]?[jt]sx?$/.test(base)) out.unshift(base);
    if (spec.startsWith('@/'))
      for (const ext of ['.ts', '.tsx', '.js', '/index.ts']) out.push(`${join(spec.slice(2))}${ext}`);
  }
  return [...new Set(out.filter((p): p is string => !!p))];
}

export class WorkspaceModules implements ModuleLookup {
  private readonly modules = new Map<string, SourceModule>();
  private readonly missing = new Set<string>();
  private readonly wanted = new Map<string, string[]>();
  private readonly self: string;

  constructor(
    private readonly parsers: CodeParsers,
    private readonly files: WorkspaceFiles | undefined,
    fileName: string,
  ) {
    this.self = files?.self ?? fileName.replace(/\\/g, '/');
  }

  resolve(from: SourceModule, spec: string): SourceModule | null | undefined {
    if (!this.files || this.files.self === undefined) return null;
    const python = from.lang === 'python';
    const cands = moduleCandidates(from.file ?? this.self, spec, python).filter((c) => c !== this.self);
    for (const c of cands) {
      const m = this.modules.get(c);
      if (m) return m;
      if (!this.missing.has(c)) {
        if (this.modules.size >= MAX_MODULES) return null;
        this.wanted.set(`${from.file ?? ''}|${spec}`, cands);
        return undefined;
      }
    }
    return null;
  }

  /** Reads the modules asked for since the last call; true when any was read (folding again may learn more). */
  async loadWanted(): Promise<boolean> {
    if (!this.files || !this.wanted.size) return false;
    let any = false;
    const lists = [...this.wanted.values()];
    this.wanted.clear();
    for (const cands of lists) {
      for (const c of cands) {
        if (this.modules.has(c)) break;
        if (this.missing.has(c)) continue;
        const text = await this.files.read(c);
        if (text === undefined) {
          this.missing.add(c);
          continue;
        }
        const lang = codeLanguageOf(c);
        if (!lang) {
          this.missing.add(c);
          continue;
        }
        await this.parsers.ready(lang);
        this.modules.set(c, { text, tree: this.parsers.parse(lang, text), lang, file: c });
        any = true;
        break;
      }
      // Every candidate missing: later lookups answer null at once.
    }
    return any;
  }

  /** The modules read (their text stays usable after dispose()). */
  loaded(): Map<string, SourceModule> {
    return new Map(this.modules);
  }

  dispose(): void {
    for (const m of this.modules.values()) m.tree.delete();
  }
}
