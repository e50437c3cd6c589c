import type { Catalog } from '../pricing/catalog';
import type { ModelInfo } from '../pricing/types';
import { ReasonAgreement } from './providerReasons';
import { MISS_CLASS } from './missClass';
import type { MissReason, ReplaySummary, RequestVerdict } from './replay';

// The running totals of a replay, shared by both replayers (usage logs: Replayer; agent sessions: SessionReplayer):
// the counts, the hit rates' numerators and denominators, the money by reason, the problems (bounded), the models
// the catalog did not know (said once each) and the provider's own reasons compared with ours. Each replayer judges a
// request its own way and hands the tally what it found; what a summary says is computed here, once.

/** At most this many problems are kept (a broken log could have one per line). */
const MAX_PROBLEMS = 100;

/** What one judged request adds to the totals. */
export interface Counted {
  readonly verdict: RequestVerdict['verdict'];
  readonly reason: MissReason;
  /** Cached tokens predicted, and the tokens they were predicted for; absent when nothing was predicted. */
  readonly predicted?: { readonly cached: number; readonly of: number };
  /** What the provider reported: cached and all input tokens, and the bill (USD); absent without usage. */
  readonly actual?: { readonly cached: number; readonly input: number; readonly cost: number };
  /** What the tokens not read from cache cost beyond a cache read (USD); totalled by the reason's class. */
  readonly missCost: number;
}

export class ReplayTally {
  private requests = 0;
  private matched = 0;
  private mismatched = 0;
  private unverified = 0;
  /** Lines that could not be replayed. */
  skipped = 0;
  private readonly predicted = { cached: 0, of: 0 };
  private readonly actual = { cached: 0, of: 0 };
  private money = 0;
  private avoidable = 0;
  private providerSide = 0;
  private readonly byReason = new Map<MissReason, { requests: number; cost: number }>();
  private readonly problemList: { line: number; message: string }[] = [];
  private readonly warned = new Set<string>();
  readonly agreement = new ReasonAgreement();

  add(c: Counted): void {
    this.requests++;
    if (c.verdict === 'match') this.matched++;
    else if (c.verdict === 'mismatch') this.mismatched++;
    else this.unverified++;
    if (c.predicted) {
      this.predicted.cached += c.predicted.cached;
      this.predicted.of += c.predicted.of;
    }
    if (c.actual) {
      this.actual.cached += c.actual.cached;
      this.actual.of += c.actual.input;
      this.money += c.actual.cost;
    }
    const cls = MISS_CLASS[c.reason];
    if (cls === 'avoidable') this.avoidable += c.missCost;
    else if (cls === 'provider') this.providerSide += c.missCost;
    if (c.reason !== 'cached') {
      const r = this.byReason.get(c.reason) ?? { requests: 0, cost: 0 };
      r.requests++;
      r.cost += c.missCost;
      this.byReason.set(c.reason, r);
    }
  }

  problem(line: number, message: string): void {
    if (this.problemList.length < MAX_PROBLEMS) this.problemList.push({ line, message });
  }

  get problems(): readonly { readonly line: number; readonly message: string }[] {
    return this.problemList;
  }

  /**
   * The catalog's model for an id; an id it does not know is said once (at its first line) and `fallback` is used,
   * `instead` saying how ("replayed with", "priced as").
   */
  modelOf(catalog: Catalog, id: string | undefined, fallback: string, line: number, instead: string): ModelInfo {
    if (id) {
      const f = catalog.find(id);
      if (f.ok) return f.model;
      if (!this.warned.has(id)) {
        this.warned.add(id);
        this.problem(line, `${f.message}; ${instead} ${fallback}`);
      }
    }
    const d = catalog.find(fallback);
    if (!d.ok) throw new Error(d.message);
    return d.model;
  }

  /** The counts, hit rates and money of a summary, rounded as every summary shows them. */
  figures(): Pick<
    ReplaySummary,
    'requests' | 'matched' | 'mismatched' | 'unverified' | 'skipped' | 'hitRate' | 'money'
  > {
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    const usd = (x: number) => Math.round(x * 1e6) / 1e6;
    return {
      requests: this.requests,
      matched: this.matched,
      mismatched: this.mismatched,
      unverified: this.unverified,
      skipped: this.skipped,
      hitRate: {
        predicted: this.predicted.of ? r3(this.predicted.cached / this.predicted.of) : 0,
        actual: this.actual.of ? r3(this.actual.cached / this.actual.of) : null,
      },
      money: {
        actual: usd(this.money),
        avoidable: usd(this.avoidable),
        withoutAvoidableMisses: usd(Math.max(0, this.money - this.avoidable)),
        providerSide: usd(this.providerSide),
        byReason: [...this.byReason]
          .map(([reason, v]) => ({ reason, class: MISS_CLASS[reason], requests: v.requests, cost: usd(v.cost) }))
          .sort((a, b) => b.cost - a.cost || b.requests - a.requests),
      },
    };
  }
}
