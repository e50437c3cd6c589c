/** The last index i < n with sorted[i] ≤ x (0 when there is none): the lookup every offset index here runs. */
export function lastAtMost(sorted: ArrayLike<number>, x: number, n: number = sorted.length): number {
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= x) lo = mid; else hi = mid - 1;
  }
  return Math.max(0, lo);
}
