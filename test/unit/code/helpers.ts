import fs from 'node:fs';
import path from 'node:path';
import { analyzeCode, findCalls, type CodeReport } from '../../../src/core/code/analyzeCode';
import type { WorkspaceFiles } from '../../../src/core/code/workspaceModules';
import { loadCatalog } from '../../../src/core/pricing/catalog';
import { nodeCodeParsers } from '../../../src/node/grammarFiles';

export const catalog = loadCatalog();
const fallback = catalog.find('gpt-4.1');
if (!fallback.ok) throw new Error('gpt-4.1 missing from the catalog');

/** A workspace of in-memory files (path → text). */
export function memoryWorkspace(self: string, files: Record<string, string>): WorkspaceFiles {
  return { self, read: async (p) => files[p] };
}

/** A workspace folder on disk. */
export function diskWorkspace(root: string, file: string): WorkspaceFiles {
  return {
    self: path.relative(root, file).split(path.sep).join('/'),
    read: async (p) => {
      try {
        return fs.readFileSync(path.join(root, p), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

export async function analyze(
  text: string,
  fileName = 'app.py',
  opts: { workspace?: WorkspaceFiles; model?: string; provider?: string } = {},
): Promise<CodeReport> {
  const m = opts.model ? catalog.find(opts.model) : undefined;
  return analyzeCode({
    text,
    fileName,
    parsers: nodeCodeParsers(),
    models: {
      catalog,
      model: m?.ok ? m.model : undefined,
      provider: opts.provider,
      fallback: fallback.ok ? fallback.model : (undefined as never),
      fallbackFrom: 'default',
    },
    workspace: opts.workspace,
    now: Date.parse('2026-12-01T12:00:00Z'),
  });
}

export async function sites(text: string, fileName = 'app.py') {
  return (await findCalls({ text, fileName, parsers: nodeCodeParsers() })).sites;
}

/** A long static text (enough tokens to pass every minimum), as prompt rules. */
export const RULES = Array.from(
  { length: 400 },
  (_, i) => `Rule ${i + 1}: answer politely and cite the handbook.`,
).join('\n');
