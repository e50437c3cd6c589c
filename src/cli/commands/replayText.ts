import type { MissClass } from '../../core/replay/missClass';
import type { ReplaySummary } from '../../core/replay/replay';

// The words of `kvlens replay` for a summary's money, shared by usage logs and agent sessions.

const CLASS_WORDS: Record<MissClass, string> = {
  hit: 'read from cache',
  avoidable: 'avoidable',
  provider: "the provider's side",
  start: 'a cache starts',
  unjudged: 'not judged',
};

export const n = (x: number): string => x.toLocaleString('en-US');

/** The bill, the avoidable misses, the provider's misses apart, then each reason with its class. */
export function moneyLines(s: ReplaySummary, what: 'log' | 'session', unit: 'request' | 'call'): string[] {
  const m = s.money;
  const out = [
    `  cost ${what === 'log' ? 'of the log ' : ''}$${m.actual}; avoidable misses $${m.avoidable} → $${m.withoutAvoidableMisses} had they been avoided`,
  ];
  if (m.byReason.some((r) => r.class === 'provider'))
    out.push(
      `  the provider's misses (it evicted the unchanged prefix or routed the ${unit} elsewhere; not avoidable) $${m.providerSide}`,
    );
  for (const r of m.byReason)
    out.push(
      `    ${r.reason}: ${n(r.requests)} ${unit}${r.requests === 1 ? '' : 's'}, $${r.cost} (${CLASS_WORDS[r.class]})`,
    );
  return out;
}
