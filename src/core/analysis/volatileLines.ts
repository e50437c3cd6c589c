/**
 * Lines that keep changing across a file's history (its recent git versions, its recorded sends): a stronger sign of
 * content that breaks the cache than any pattern. A line is followed through the versions by its anchor — the
 * nearest line above it that is unique and unchanged — and counted as changed each time its text after that anchor
 * differs from the version before.
 */
export interface VolatileLine {
  /** 0-based line of the current text. */
  readonly line: number;
  readonly text: string;
  /** Versions (of `versions` plus the current text) where it differs from the version before. */
  readonly changes: number;
  /** Comparisons made: versions in which the anchor was found, minus one. */
  readonly compared: number;
}

const splitLines = (t: string): string[] => t.split(/\r\n|\n|\r/);
const prepared = new WeakMap<readonly string[], { lines: string[][]; indexes: Map<string, number>[] }>();

function uniqueIndex(lines: readonly string[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!l.trim()) continue;
    seen.set(l, seen.has(l) ? -1 : i);
  }
  return seen;
}

/**
 * `versions` oldest first (they end at the version before `current`). A line counts as volatile when it changed in at
 * least `minChanges` of the comparisons and in at least half of them.
 */
export function volatileLines(current: string, versions: readonly string[], minChanges = 2): VolatileLine[] {
  if (versions.length < 2) return [];
  // The history is the same array from one keystroke to the next: its lines and indexes are computed once.
  let past = prepared.get(versions);
  if (!past)
    prepared.set(
      versions,
      (past = { lines: versions.map(splitLines), indexes: versions.map((v) => uniqueIndex(splitLines(v))) }),
    );
  const all = [...past.lines, splitLines(current)];
  const indexes = [...past.indexes, uniqueIndex(all[all.length - 1])];
  const cur = all[all.length - 1];
  const curIndex = indexes[indexes.length - 1];
  const out: VolatileLine[] = [];
  for (let i = 1; i < cur.length; i++) {
    if (!cur[i].trim() || (curIndex.get(cur[i]) === i && indexes.slice(0, -1).every((ix) => ix.has(cur[i])))) continue; // in every version as is
    let a = i - 1;
    while (a >= 0 && (!cur[a].trim() || curIndex.get(cur[a]) !== a)) a--;
    if (a < 0) continue;
    const anchor = cur[a],
      offset = i - a;
    const values: string[] = [];
    for (let v = 0; v < all.length; v++) {
      const at = indexes[v].get(anchor);
      if (at === undefined || at < 0) continue;
      values.push(all[v][at + offset] ?? '');
    }
    let changes = 0;
    for (let k = 1; k < values.length; k++) if (values[k] !== values[k - 1]) changes++;
    const compared = values.length - 1;
    if (changes >= minChanges && changes * 2 >= compared) out.push({ line: i, text: cur[i], changes, compared });
  }
  return out;
}
