import type { RawRanks } from '../../core/tokenizer/rankTable';
import type { RankFile } from '../../core/tokenizer/rankSource';

/**
 * Web bundles (web extension host, web tokenize worker): the rank data is fetched from dist/ranks/<name>.json of the
 * extension, once, before first use (preloadRanks); loadRanks then answers synchronously. Replaces
 * src/core/tokenizer/rankSource.ts in those bundles (scripts/build.mjs). No Node API.
 */
const cache = new Map<RankFile, RawRanks>();
const loading = new Map<RankFile, Promise<void>>();
let base: string | undefined;

/** The URL of the extension's dist/ranks/ folder (the entry point knows the extension's location). */
export function setRankBase(url: string): void {
  base = url.endsWith('/') ? url : `${url}/`;
}

export function loadRanks(name: RankFile): RawRanks {
  const r = cache.get(name);
  if (!r) throw new Error(`the ${name} tokenizer data is not loaded yet`);
  return r;
}

export function preloadRanks(name: RankFile): Promise<void> {
  if (cache.has(name)) return Promise.resolve();
  let p = loading.get(name);
  if (!p) {
    p = (async () => {
      if (!base) throw new Error('tokenizer data location not set');
      const res = await fetch(`${base}${name}.json`);
      if (!res.ok) throw new Error(`cannot load ${base}${name}.json: HTTP ${res.status}`);
      cache.set(name, (await res.json()) as RawRanks);
    })();
    p.catch(() => loading.delete(name));
    loading.set(name, p);
  }
  return p;
}
