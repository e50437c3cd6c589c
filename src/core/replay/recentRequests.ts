/**
 * The requests sent with one key (a routing prefix, a cache chain) in the last minute: how many (OpenAI routes a
 * prefix to one cache server only up to ~15 requests a minute) and how long since the one before (how long the prefix
 * sat idle). Only the key's last minute, and its last time, are kept.
 */
export class RecentRequests {
  private readonly times = new Map<string, number[]>();
  private readonly last = new Map<string, number>();

  /**
   * Records a request at `now` (ms): how many with this key fall within the minute up to it (counting it), and the
   * seconds since the key's previous request (undefined for its first).
   */
  add(key: string, now: number): { perMinute: number; idleSeconds?: number } {
    const times = (this.times.get(key) ?? []).filter((t) => now - t < 60_000);
    times.push(now);
    this.times.set(key, times);
    const before = this.last.get(key);
    this.last.set(key, now);
    return { perMinute: times.length, ...(before !== undefined ? { idleSeconds: (now - before) / 1000 } : {}) };
  }
}
