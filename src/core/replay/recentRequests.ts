/**
 * How many requests with one key (a prefix, a cache chain) were sent in the last minute, counting the one being
 * added: OpenAI routes a prefix to one cache server only up to ~15 requests a minute. Only the key's last minute is
 * kept.
 */
export class RecentRequests {
  private readonly times = new Map<string, number[]>();

  /** Records a request at `now` (ms) and returns how many with this key fall within the minute up to it. */
  add(key: string, now: number): number {
    const times = (this.times.get(key) ?? []).filter((t) => now - t < 60_000);
    times.push(now);
    this.times.set(key, times);
    return times.length;
  }
}
