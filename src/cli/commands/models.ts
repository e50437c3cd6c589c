import { parseArgs } from 'node:util';
import type { ModelInfo } from '../../core/pricing/types';
import { CliError, type Output } from '../io';
import { catalogFromOptions } from './catalogOption';

export const usage = 'kvlens models [--provider P] [--catalog FILE] [--json]';

const host = (url: string) => url.replace(/^https?:\/\//, '').split(/[/?#]/)[0];

function writes(m: ModelInfo): string {
  const w = m.prices.cacheWrite;
  if (!w) return '–';
  return Object.entries(w).filter(([, v]) => v !== undefined).map(([k, v]) => (k === 'default' ? `$${v}` : `${k} $${v}`)).join(' ');
}

function table(models: readonly ModelInfo[]): string {
  const head = ['model', 'provider', 'input', 'cached', 'write', 'output', 'context', 'cache min/step', 'encoding', 'prices as of', 'source'];
  const body = models.map((m) => [
    m.id, m.provider, `$${m.prices.input}`, m.prices.cachedInput === undefined ? '–' : `$${m.prices.cachedInput}`, writes(m), `$${m.prices.output}`,
    String(m.contextWindow), `${m.cache.minTokens}/${m.cache.granularity}`, `${m.encoding}${m.exactTokenizer ? '' : ' ~'}`,
    m.prices.asOf, host(m.prices.source) + (m.origin && m.origin !== 'builtin' ? ` (from ${m.origin})` : ''),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [
    'Prices in USD per million tokens. ~ = estimated tokenizer. Full sources, dates and notes: kvlens models --json',
    line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line),
  ].join('\n');
}

/** Lists the model catalog (bundled plus --catalog files) with prices, cache rules, sources and dates. */
export async function modelsCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { provider: { type: 'string', short: 'p' }, catalog: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length) throw new CliError(`models takes no FILE (usage: ${usage})`);
  const catalog = catalogFromOptions(values.catalog);
  const models = catalog.list(values.provider);
  if (values.provider && !models.length) {
    const providers = [...new Set(catalog.models.map((m) => m.provider))].join(', ');
    throw new CliError(`no models of provider "${values.provider}" (providers: ${providers})`);
  }
  io.out(values.json ? JSON.stringify({ models }, null, 2) : table(models));
  return 0;
}
