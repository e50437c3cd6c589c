import { parseArgs } from 'node:util';
import { encodingNames, getTokenizer } from '../../core/tokenizer/registry';
import { CliError, readTextFile, type Output } from '../io';

export const usage =
  'kvlens tokenize FILE [--encoding NAME] [--json]   (NAME: o200k_base (default), cl100k_base, o200k_harmony, deepseek_v3, llama3, qwen3, gemini_gemma3, claude_estimate, …)';

/** Prints the token ids of a file, identical to tiktoken's encode() for the encoding. */
export async function tokenizeCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      encoding: { type: 'string', short: 'e', default: 'o200k_base' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new CliError(`tokenize takes one FILE (usage: ${usage})`);
  const file = positionals[0];
  const tokenizer = getTokenizer(values.encoding!);
  if (!tokenizer) throw new CliError(`unknown encoding "${values.encoding}" (known: ${encodingNames().join(', ')})`);
  const text = readTextFile(file);
  let ids: Uint32Array;
  try {
    ids = tokenizer.encode(text);
  } catch (e) {
    // a vocabulary file that is missing or corrupt (loaded on first use) is the user's installation, not our bug
    throw new CliError(`encoding ${tokenizer.encoding}: ${(e as Error).message.split('\n')[0]}`);
  }
  // An estimate's ids are stand-ins that only serve prefix comparison; say so rather than pass them off as real.
  const note = tokenizer.estimate
    ? `estimate (${tokenizer.estimate.method}; ±${Math.round(tokenizer.estimate.errorBand * 100)} %): ids are placeholders, not the provider's`
    : undefined;
  if (values.json)
    io.out(
      JSON.stringify({
        encoding: tokenizer.encoding,
        exact: tokenizer.exact,
        count: ids.length,
        ...(note ? { note } : {}),
        ids: Array.from(ids),
      }),
    );
  else
    io.out(
      `${file}: ${ids.length} tokens (${tokenizer.encoding}${tokenizer.exact ? '' : ', estimate'})${note ? `\n${note}` : ''}\n${Array.from(ids).join(' ')}`,
    );
  return 0;
}
