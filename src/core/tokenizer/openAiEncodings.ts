import cl100kRanks from 'gpt-tokenizer/bpeRanks/cl100k_base';
import o200kRanks from 'gpt-tokenizer/bpeRanks/o200k_base';
import { OpenAiBpeTokenizer } from './openAiBpeTokenizer';
import { buildRankTable, type RawRanks } from './rankTable';
import { CL100K_SPLIT, O200K_SPLIT } from './splitPatterns';
import type { Tokenizer } from './types';

// OpenAI's encodings, with gpt-tokenizer's rank data (checked byte for byte against tiktoken's). o200k_harmony has
// o200k_base's ranks and split pattern; it differs only in special tokens, which KV Lens encodes as plain text,
// so both produce the same ids.

export const OPENAI_ENCODINGS = ['o200k_base', 'cl100k_base', 'o200k_harmony'] as const;
export type OpenAiEncodingName = (typeof OPENAI_ENCODINGS)[number];

let o200kTable: ReturnType<typeof buildRankTable> | undefined;
const o200k = () => (o200kTable ??= buildRankTable(o200kRanks as RawRanks));

export const openAiFactories: Record<OpenAiEncodingName, () => Tokenizer> = {
  o200k_base: () => new OpenAiBpeTokenizer('o200k_base', o200k(), O200K_SPLIT),
  cl100k_base: () => new OpenAiBpeTokenizer('cl100k_base', buildRankTable(cl100kRanks as RawRanks), CL100K_SPLIT),
  o200k_harmony: () => new OpenAiBpeTokenizer('o200k_harmony', o200k(), O200K_SPLIT),
};
