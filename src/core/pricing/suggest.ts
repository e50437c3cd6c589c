/** Edit distance (insert, delete, substitute) between two short strings. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Known ids closest to a mistyped one: by edit distance (ids that contain it, or that it contains, win ties and always qualify),
 * keeping only plausible ones (distance at most a third of the longer id) so "did you mean" never lists noise.
 */
export function suggest(wanted: string, known: readonly string[], max: number): string[] {
  const w = wanted.trim().toLowerCase();
  if (!w) return [];
  const scored = known.map((k) => {
    const contains = k.includes(w) || (w.length >= 4 && w.includes(k));
    return { k, contains, d: distance(w, k) };
  });
  return scored
    .filter((s) => s.contains || s.d <= Math.max(2, Math.floor(Math.max(w.length, s.k.length) / 3)))
    .sort((x, y) => x.d - y.d || Number(y.contains) - Number(x.contains) || x.k.localeCompare(y.k))
    .slice(0, max)
    .map((s) => s.k);
}
