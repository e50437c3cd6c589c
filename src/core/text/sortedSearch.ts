/** The last index i < n with at(i) ≤ x, for non-decreasing at (0 when there is none). */
export function lastAtMostBy(at: (i: number) => number, n: number, x: number): number {
  let lo = 0,
    hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (at(mid) <= x) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

/** lastAtMostBy over an array: the lookup every offset index here runs. */
export function lastAtMost(sorted: ArrayLike<number>, x: number, n: number = sorted.length): number {
  return lastAtMostBy((i) => sorted[i], n, x);
}
