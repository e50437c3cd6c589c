import { lineKinds, type ContentKind } from '../tokenizer/estimate/contentKind';
import type { Tokenizer } from '../tokenizer/types';
import type { ReplaySummary } from './replay';

/**
 * How far an estimated tokenizer was off in a usage log, per encoding and content kind: the provider's input tokens
 * over KV Lens's estimate, averaged over the requests (`kvlens replay --calibrate` writes factors from it).
 */
export class Calibration {
  private readonly byKind = new Map<string, { encoding: string; kind: ContentKind; requests: number; sum: number }>();

  /** One request: what was sent (its text, for the content kind), the estimate, and the provider's count. */
  add(tokenizer: Tokenizer, sent: string, estimated: number, actual: number): void {
    if (!tokenizer.estimate || estimated <= 0) return;
    const counts = new Map<ContentKind, number>();
    for (const k of lineKinds(sent).kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
    const kind = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'prose';
    const key = `${tokenizer.encoding}:${kind}`;
    const c = this.byKind.get(key) ?? { encoding: tokenizer.encoding, kind, requests: 0, sum: 0 };
    c.requests++;
    c.sum += actual / estimated;
    this.byKind.set(key, c);
  }

  summary(): ReplaySummary['calibration'] {
    return [...this.byKind.values()].map((c) => ({
      encoding: c.encoding,
      kind: c.kind,
      requests: c.requests,
      ratio: Math.round((c.sum / c.requests) * 1000) / 1000,
    }));
  }
}
