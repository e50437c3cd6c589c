import { parseArgs } from 'node:util';
import { encodingNames, getTokenizer } from '../../core/tokenizer/registry';
import { CliError, readTextFile, type Output } from '../io';

export const usage = 'kvlens tokenize FILE [--encoding o200k_base|cl100k_base|o200k_harmony] [--json]';

/** Prints the token ids of a file, identical to tiktoken's encode() for the encoding. */
export async function tokenizeCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { encoding: { type: 'string', short: 'e', default: 'o200k_base' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new CliError(`tokenize takes one FILE (usage: ${usage})`);
  const file = positionals[0];
  const tokenizer = getTokenizer(values.encoding!);
  if (!tokenizer) throw new CliError(`unknown encoding "${values.encoding}" (known: ${encodingNames().join(', ')})`);
  const text = readTextFile(file);
  const ids = tokenizer.encode(text);
  if (values.json) io.out(JSON.stringify({ encoding: tokenizer.encoding, exact: tokenizer.exact, count: ids.length, ids: Array.from(ids) }));
  else io.out(`${file}: ${ids.length} tokens (${tokenizer.encoding}${tokenizer.exact ? '' : ', estimate'})\n${Array.from(ids).join(' ')}`);
  return 0;
}
