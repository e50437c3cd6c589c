// The expected status bar text, computed with OpenAI's tiktoken (the reference KV Lens must match), not with the
// code under test.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { get_encoding } = require('tiktoken') as typeof import('tiktoken');

const encs = new Map<string, ReturnType<typeof get_encoding>>();
const fmt = new Intl.NumberFormat('en-US');

export function tiktokenCount(text: string, encoding: 'o200k_base' | 'cl100k_base' = 'o200k_base'): number {
  let e = encs.get(encoding);
  if (!e) encs.set(encoding, (e = get_encoding(encoding)));
  // KV Lens counts special-token text such as <|endoftext|> as plain text
  return e.encode(text, [], []).length;
}

export function statusText(count: number): string {
  return `$(symbol-numeric) ${fmt.format(count)} tokens`;
}
