import { openAiFactories } from './openAiEncodings';
import type { EncodingName, Tokenizer } from './types';
import { estimateFactories } from './estimate/factories';

/**
 * Every encoding KV Lens knows, by name. Add an encoding with one import and one entry; a factory runs on first
 * use only (rank tables are large).
 */
export const factories: Record<string, () => Tokenizer> = {
  ...openAiFactories,
  ...estimateFactories(() => getTokenizer('o200k_base')!),
};

const cache = new Map<string, Tokenizer>();

export function encodingNames(): string[] {
  return Object.keys(factories);
}

/** The tokenizer for an encoding name, or undefined when the name is unknown. */
export function getTokenizer(name: EncodingName): Tokenizer | undefined {
  let t = cache.get(name);
  if (!t && Object.hasOwn(factories, name)) cache.set(name, (t = factories[name]()));
  return t;
}

/**
 * Adds (or replaces) an encoding at run time. Adapters use it for tokenizers whose vocabulary is read from disk
 * (src/node/hfTokenizerFiles.ts), which core cannot do itself.
 */
export function registerTokenizer(name: string, factory: () => Tokenizer): void {
  factories[name] = factory;
  cache.delete(name);
}
