import { OpenAiBpeTokenizer } from './openAiBpeTokenizer';
import { loadRanks, preloadRanks, type RankFile } from './rankSource';
import { buildRankTable } from './rankTable';
import { CL100K_SPLIT, O200K_SPLIT, R50K_SPLIT } from './splitPatterns';
import type { Tokenizer } from './types';

// OpenAI's encodings, with gpt-tokenizer's rank data (checked byte for byte against tiktoken's). o200k_harmony has
// o200k_base's ranks and split pattern; it differs only in special tokens, which KV Lens encodes as plain text,
// so both produce the same ids.

export const OPENAI_ENCODINGS = ['o200k_base', 'cl100k_base', 'o200k_harmony', 'r50k_base'] as const;
export type OpenAiEncodingName = (typeof OPENAI_ENCODINGS)[number];

let o200kTable: ReturnType<typeof buildRankTable> | undefined;
const o200k = () => (o200kTable ??= buildRankTable(loadRanks('o200k_base')));

/** The rank file behind each encoding (o200k_harmony shares o200k_base's). */
const RANK_FILE: Record<string, RankFile> = {
  o200k_base: 'o200k_base',
  o200k_harmony: 'o200k_base',
  cl100k_base: 'cl100k_base',
  r50k_base: 'r50k_base',
  claude_estimate: 'o200k_base',
  claude_opus47_estimate: 'o200k_base',
  gemini_estimate: 'o200k_base',
};

/**
 * Resolves once `encoding` can be built synchronously. Only bundles that fetch their rank data wait (the web host);
 * elsewhere it resolves at once. Encodings without OpenAI ranks resolve at once too.
 */
export function preloadEncoding(encoding: string): Promise<void> {
  const f = RANK_FILE[encoding];
  return f ? preloadRanks(f) : Promise.resolve();
}

export const openAiFactories: Record<OpenAiEncodingName, () => Tokenizer> = {
  o200k_base: () => new OpenAiBpeTokenizer('o200k_base', o200k(), O200K_SPLIT),
  cl100k_base: () => new OpenAiBpeTokenizer('cl100k_base', buildRankTable(loadRanks('cl100k_base')), CL100K_SPLIT),
  o200k_harmony: () => new OpenAiBpeTokenizer('o200k_harmony', o200k(), O200K_SPLIT),
  // GPT-2's encoding: the attention panel's models read these ids.
  r50k_base: () => new OpenAiBpeTokenizer('r50k_base', buildRankTable(loadRanks('r50k_base')), R50K_SPLIT),
};
