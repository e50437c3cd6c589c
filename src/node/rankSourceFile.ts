import fs from 'node:fs';
import path from 'node:path';
import type { RawRanks } from '../core/tokenizer/rankTable';
import type { RankFile } from '../core/tokenizer/rankSource';

/**
 * Node bundles (extension host, tokenize worker, CLI): the rank data is dist/ranks/<name>.json beside dist/<bundle
 * folder>/, read once on first use. Replaces src/core/tokenizer/rankSource.ts in those bundles (scripts/build.mjs).
 */
const cache = new Map<RankFile, RawRanks>();

export function loadRanks(name: RankFile): RawRanks {
  let r = cache.get(name);
  if (!r) {
    const file = path.join(__dirname, '..', 'ranks', `${name}.json`);
    try {
      r = JSON.parse(fs.readFileSync(file, 'utf8')) as RawRanks;
    } catch (e) {
      throw new Error(
        `${file}: cannot load the ${name} tokenizer data (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); reinstall KV Lens`,
        { cause: e },
      );
    }
    cache.set(name, r);
  }
  return r;
}

export async function preloadRanks(_name: RankFile): Promise<void> {}
