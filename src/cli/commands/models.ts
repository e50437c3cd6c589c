import { parseArgs } from 'node:util';
import { confidenceMark, retirementText, staleGroups } from '../../core/pricing/freshness';
import FAMILIES from '../../core/pricing/families.json';
import { familyNote } from '../../core/pricing/cost';
import type { ModelInfo } from '../../core/pricing/types';
import { CliError, type Output } from '../io';
import { catalogFromOptions } from './catalogOption';

export const usage = 'kvlens models [ID] [--provider P] [--stale [DAYS]] [--families] [--catalog FILE] [--json]';

const host = (source: string) =>
  /^https?:\/\//.test(source) ? source.replace(/^https?:\/\//, '').split(/[/?#]/)[0] : source.split(/ \(| and |, /)[0];

function writes(m: ModelInfo): string {
  const w = m.prices.cacheWrite;
  if (!w) return '–';
  return Object.entries(w)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (k === 'default' ? `$${v}` : `${k} $${v}`))
    .join(' ');
}

function table(models: readonly ModelInfo[], now: number): string {
  const head = [
    'model',
    'provider',
    'input',
    'cached',
    'write',
    'output',
    'context',
    'cache min/step',
    'encoding',
    'prices as of',
    'source',
    'status',
  ];
  const body = models.map((m) => [
    m.id,
    m.provider,
    `$${m.prices.input}${confidenceMark(m.prices.confidence)}`,
    m.prices.cachedInput === undefined ? '–' : `$${m.prices.cachedInput}`,
    writes(m),
    `$${m.prices.output}`,
    String(m.contextWindow),
    `${m.cache.minTokens}${m.cache.minTokensReported ? `–${m.cache.minTokensReported.tokens}` : ''}/${m.cache.granularity}${confidenceMark(m.cache.confidence)}`,
    `${m.encoding}${m.exactTokenizer ? '' : ' ~'}`,
    m.prices.asOf,
    m.family
      ? `assumed from the family ${m.family.label}`
      : host(m.prices.source) + (m.origin && m.origin !== 'builtin' ? ` (from ${m.origin})` : ''),
    retirementText(m, now) ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    'Prices in USD per million tokens. ~ = estimated tokenizer; † = figures from a third party, ? = assumed (from memory or a sibling',
    "model), unmarked = the provider's page; a cache minimum a–b = documented a, users report b. Sources, dates, notes: kvlens models --json",
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n');
}

/** Lists the model catalog (bundled plus --catalog files) with prices, cache rules, sources and dates. */
export async function modelsCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      provider: { type: 'string', short: 'p' },
      catalog: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      stale: { type: 'boolean', default: false },
      families: { type: 'boolean', default: false },
    },
  });
  if (values.families) {
    const rules = FAMILIES.families;
    io.out(
      values.json
        ? JSON.stringify({ families: rules }, null, 2)
        : [
            "An id the catalog does not list takes the rules and prices of its family's model (assumed, never exact):",
            ...rules.map((r) => `  ${r.label.padEnd(28)} ${r.template.padEnd(24)} ${r.pattern}`),
          ].join('\n'),
    );
    return 0;
  }
  // `--stale` takes an optional DAYS: a number right after it arrives as a positional.
  const days =
    values.stale && positionals.length === 1 && /^\d+$/.test(positionals[0]) ? Number(positionals.shift()) : 90;
  if (positionals.length > 1) throw new CliError(`models takes at most one model ID (usage: ${usage})`);
  const now = Date.now();
  const catalog = catalogFromOptions(values.catalog);
  if (positionals.length === 1) {
    // One id, resolved as every command resolves it: aliases, dated snapshots, provider prefixes, family rules.
    const f = catalog.find(positionals[0]);
    if (!f.ok) throw new CliError(f.message);
    const m = f.model;
    io.out(
      values.json
        ? JSON.stringify({ model: m }, null, 2)
        : [table([m], now), ...(m.family ? ['', familyNote(m)] : []), ...(m.notes ? ['', m.notes] : [])].join('\n'),
    );
    return 0;
  }
  const models = catalog.list(values.provider);
  if (values.provider && !models.length) {
    const providers = [...new Set(catalog.models.map((m) => m.provider))].join(', ');
    throw new CliError(`no models of provider "${values.provider}" (providers: ${providers})`);
  }
  if (values.stale) {
    const stale = staleGroups(models, now, days);
    if (values.json) io.out(JSON.stringify({ days, stale }, null, 2));
    else if (!stale.length) io.out(`No figures older than ${days} days.`);
    else {
      const rows = stale.map(
        (s) =>
          `${s.model.padEnd(30)} ${s.group.padEnd(7)} ${s.asOf.padEnd(11)} ${String(s.days).padStart(5)} days  ${s.confidence ?? 'user'}  ${s.source}`,
      );
      io.out(
        [
          `${stale.length} figure groups last seen more than ${days} days ago (refresh with kvlens catalog update --from FILE|URL):`,
          ...rows,
        ].join('\n'),
      );
    }
    return 0;
  }
  io.out(values.json ? JSON.stringify({ models }, null, 2) : table(models, now));
  return 0;
}
