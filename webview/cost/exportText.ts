import type { CostReportState } from '../../src/protocol';
import { baselineShort } from '../../src/core/report/baseline';
import { count, usd } from '../shared/format';

type Row = readonly [string, ...string[]];

/** The retention the figures assume: the chosen TTL's label, as the report's select shows it. */
export function ttlLabel(m: CostReportState['models'][number]): string {
  const chosen = m.ttl ?? m.ttlChoices[0]?.ttl;
  return m.ttlChoices.find((c) => c.ttl === chosen)?.label ?? `${Math.round(m.ttlSeconds / 60)} min`;
}

/** The per-model table as rows: the same cells the report shows. */
export function modelRows(s: CostReportState): Row[] {
  const m = s.models;
  const cell = (f: (x: (typeof m)[number]) => string): string[] => m.map(f);
  const rows: Row[] = [
    ['', ...cell((x) => x.model)],
    ['tokens', ...cell((x) => `${x.exact ? '' : '≈'}${count(x.tokens)}`)],
    ...(s.baseline && m.some((x) => x.nextCall)
      ? [
          [
            `cached tokens (next call, against ${baselineShort(s.baseline)})`,
            ...cell((x) => (x.nextCall ? count(x.nextCall.cachedTokens) : '–')),
          ] as Row,
        ]
      : []),
    ['cached tokens (warm call)', ...cell((x) => count(x.cacheableTokens))],
    ['uncached call', ...cell((x) => usd(x.perCall.uncached))],
    ['first call (cache write)', ...cell((x) => usd(x.perCall.firstCall))],
    ['warm call (cache read)', ...cell((x) => usd(x.perCall.warmCall))],
    [`output (${count(s.inputs.outputTokens)} tokens)`, ...cell((x) => usd(x.perCall.output))],
    ['saving per warm call', ...cell((x) => usd(x.savingPerWarmCall))],
    [
      'break-even',
      ...cell((x) =>
        x.breakEvenCalls === null ? 'never' : `${count(x.breakEvenCalls)} call${x.breakEvenCalls === 1 ? '' : 's'}`,
      ),
    ],
    [
      `per day at ${count(s.inputs.callsPerHour)}/h, no cache`,
      ...cell((x) => (x.perDay ? usd(x.perDay.withoutCache) : '–')),
    ],
    ['per day, with cache', ...cell((x) => (x.perDay ? usd(x.perDay.withCache) : '–'))],
    ['per month, no cache', ...cell((x) => (x.perMonth ? usd(x.perMonth.withoutCache) : '–'))],
    ['per month, with cache', ...cell((x) => (x.perMonth ? usd(x.perMonth.withCache) : '–'))],
    ['retention (write TTL)', ...cell(ttlLabel)],
    ['calls within the TTL', ...cell((x) => `${Math.round(x.warmShare * 100)}%`)],
  ];
  return rows;
}

const mdCell = (c: string) => c.replace(/\|/g, '\\|');

export function toMarkdown(s: CostReportState): string {
  const rows = modelRows(s);
  const [head, ...body] = rows;
  const lines = [
    `**${s.title}** — ${count(s.inputs.callsPerHour)} calls/h, ${count(s.inputs.outputTokens)} output tokens per call`,
    '',
    `| ${head.map(mdCell).join(' | ')} |`,
    `| --- |${head
      .slice(1)
      .map(() => ' ---: |')
      .join('')}`,
    ...body.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
    '',
    ...s.models.map(
      (m) =>
        `- ${m.model}: prices from ${m.prices.source} as of ${m.prices.asOf}${m.prices.confidence && m.prices.confidence !== 'official' ? ` (${m.prices.confidence})` : ''}${m.exact ? '' : ` (token count estimated, ±${Math.round((m.errorBand ?? 0) * 100)} %)`}`,
    ),
  ];
  return lines.join('\n');
}

const csvCell = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

export function toCsv(s: CostReportState): string {
  return modelRows(s)
    .map((r) => r.map(csvCell).join(','))
    .join('\n');
}
