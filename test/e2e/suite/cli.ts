import path from 'node:path';
import * as vscode from 'vscode';

/** `kvlens …` run in-process from the built CLI bundle of the extension under test; returns its parsed JSON. */
export async function cli(args: string[]): Promise<Record<string, unknown>> {
  const ext = vscode.extensions.getExtension('kvlens.kvlens')!;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main } = require(path.join(ext.extensionPath, 'dist/cli/kvlens.js')) as {
    main(argv: string[], io: { out(t: string): void; err(t: string): void }): Promise<number>;
  };
  const out: string[] = [],
    err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  if (code !== 0) throw new Error(`kvlens ${args.join(' ')} exited ${code}: ${err.join(' ')}`);
  return JSON.parse(out.join(''));
}

/** The fields both `kvlens analyze --json` and kvlens.currentReport carry, with labels that name the baseline left out. */
export function comparable(r: Record<string, unknown>): Record<string, unknown> {
  const d = r.firstDivergence as Record<string, unknown> | null;
  return {
    model: r.model,
    provider: r.provider,
    tokenizer: r.tokenizer,
    tokens: r.tokens,
    reusablePrefixTokens: r.reusablePrefixTokens,
    cachedTokens: r.cachedTokens,
    cacheWriteTokens: r.cacheWriteTokens,
    uncachedTokens: r.uncachedTokens,
    cost: r.cost,
    firstDivergence: d && {
      token: d.token,
      offset: d.offset,
      line: d.line,
      column: d.column,
      before: d.before,
      after: d.after,
    },
    blocks: r.blocks,
    warnings: (r.warnings as { code: string }[]).map((w) => w.code),
  };
}
