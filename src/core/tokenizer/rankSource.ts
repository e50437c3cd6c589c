import cl100kRanks from 'gpt-tokenizer/bpeRanks/cl100k_base';
import o200kRanks from 'gpt-tokenizer/bpeRanks/o200k_base';
import r50kRanks from 'gpt-tokenizer/bpeRanks/r50k_base';
import type { RawRanks } from './rankTable';

/**
 * Where the OpenAI rank data comes from. This default embeds gpt-tokenizer's tables (tests, benchmarks). The shipped
 * bundles swap this module at build time (scripts/build.mjs) for one that reads the one shared file
 * dist/ranks/<name>.json on first use, so no bundle carries a copy and loading a bundle evaluates no table.
 */
export type RankFile = 'o200k_base' | 'cl100k_base' | 'r50k_base';

export function loadRanks(name: RankFile): RawRanks {
  return (name === 'o200k_base' ? o200kRanks : name === 'r50k_base' ? r50kRanks : cl100kRanks) as RawRanks;
}

/** Makes loadRanks(name) answer synchronously (a fetch where files cannot be read synchronously). */
export async function preloadRanks(_name: RankFile): Promise<void> {}
