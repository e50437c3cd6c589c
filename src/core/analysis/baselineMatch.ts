import type { TokenIds } from '../cache/tokenSources';

/** Tokens [start, end) of the prompt equal the baseline's tokens [start - shift, end - shift). */
interface Run {
  start: number;
  end: number;
  shift: number;
}

/** Runs kept at most: beyond this the shortest (but the one at token 0) is forgotten, which costs speed, not truth. */
const MAX_RUNS = 32;

/**
 * How far a followed prompt's tokens equal its baseline (the ids the simulator's entries are prefixes of), kept edit
 * by edit so that a report never re-reads the prompt from token 0. What is known is kept as runs: stretches of the
 * prompt equal to the baseline at some shift. An edit keeps the runs before it, cuts the ones it touches and moves the
 * ones after it (their shift changes by the tokens it added). The common prefix is then the run at token 0, extended
 * by comparing only what no run covers — the tokens the edit made — and jumping over a run that lines up with the
 * baseline again (shift 0), as after an edit is undone. O(runs + tokens the edits made), whatever the prompt's length.
 *
 * Without the baseline's ids (its entries are not prefixes of one sequence) nothing is compared here: the prefix is the
 * run at token 0, and the simulator's walk from there (walked()) extends it.
 */
export class BaselineMatch {
  private runs: Run[];

  /** `prefix`: the number of leading tokens known equal (the first full match). */
  constructor(
    private readonly base: Uint32Array | undefined,
    prefix: number,
  ) {
    this.runs = prefix > 0 ? [{ start: 0, end: prefix, shift: 0 }] : [];
  }

  /**
   * The baseline's ids when every entry is a prefix of the longest, else undefined (the prefix is then found by the
   * simulator's own walk, from what is known).
   */
  static baseOf(entries: readonly { readonly ids: Uint32Array }[]): Uint32Array | undefined {
    let longest: Uint32Array | undefined;
    for (const e of entries) if (!longest || e.ids.length > longest.length) longest = e.ids;
    if (!longest) return undefined;
    for (const e of entries) for (let i = 0; i < e.ids.length; i++) if (e.ids[i] !== longest[i]) return undefined;
    return longest;
  }

  /**
   * Tokens [first, end) became [first, newEnd): the ones before `first` are unchanged, the old ones from `end` on are
   * now at newEnd + (… − end).
   */
  edited(first: number, end: number, newEnd: number): void {
    const d = newEnd - end;
    const out: Run[] = [];
    for (const r of this.runs) {
      if (r.end <= first) out.push(r);
      else {
        if (r.start < first) out.push({ start: r.start, end: first, shift: r.shift });
        if (r.end > end) out.push({ start: Math.max(r.start, end) + d, end: r.end + d, shift: r.shift + d });
      }
    }
    this.runs = out;
  }

  /** How many leading tokens of `ids` equal the baseline (with the baseline: exactly; without: what is known). */
  prefix(ids: TokenIds): number {
    const runs = this.runs,
      base = this.base;
    let p = runs[0]?.start === 0 && runs[0].shift === 0 ? runs[0].end : 0;
    if (base) {
      const lim = Math.min(ids.length, base.length);
      let r = 0;
      for (;;) {
        while (r < runs.length && runs[r].end <= p) r++;
        if (p >= lim) break;
        if (r < runs.length && runs[r].start <= p && runs[r].shift === 0) {
          p = runs[r].end;
          continue;
        }
        // Compare up to where a run lines up again (or the end).
        let stop = lim;
        for (let s = r; s < runs.length; s++)
          if (runs[s].shift === 0 && runs[s].start > p) {
            stop = Math.min(runs[s].start, lim);
            break;
          }
        const m = firstDifference(ids, base, p, stop);
        p = m;
        if (m < stop) break;
      }
      p = Math.min(p, lim);
    }
    this.known(p);
    return p;
  }

  /** The simulator's walk showed the first `depth` tokens on the entries' path. */
  walked(depth: number): void {
    if (!this.base) this.known(depth);
  }

  /** Tokens [0, p) are known equal: one run, the others cut to start after it. */
  private known(p: number): void {
    if (p <= 0) return;
    const out: Run[] = [{ start: 0, end: p, shift: 0 }];
    for (const r of this.runs) if (r.end > p) out.push(r.start >= p ? r : { start: p, end: r.end, shift: r.shift });
    if (out.length > MAX_RUNS) {
      const rest = out.slice(1).sort((a, b) => b.end - b.start - (a.end - a.start));
      this.runs = [out[0], ...rest.slice(0, MAX_RUNS - 1).sort((a, b) => a.start - b.start)];
    } else this.runs = out;
  }
}

/** The first i in [from, to) where ids and base differ (to when none), reading ids run by run. */
function firstDifference(ids: TokenIds, base: Uint32Array, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const run = ids.run(i),
      lim = Math.min(run.length, to - i);
    let j = 0;
    while (j < lim && run[j] === base[i + j]) j++;
    i += j;
    if (j < lim) return i;
  }
  return to;
}
