/** At most this many keys are remembered (least recently sent first out), so a long log's memory stays flat. */
const MAX_KEYS = 4096;

/**
 * The requests sent with one key (a routing prefix, a cache chain) in the last minute: how many (OpenAI routes a
 * prefix to one cache server only up to ~15 requests a minute) and how long since the one before (how long the prefix
 * sat idle). Only the key's last minute, and its last time, are kept, for the MAX_KEYS keys sent most recently.
 */
export class RecentRequests {
  /** Per key, in the order last sent (a Map keeps insertion order: re-inserting moves a key to the end). */
  private readonly keys = new Map<string, number[]>();

  /**
   * Records a request at `now` (ms): how many with this key fall within the minute up to it (counting it), and the
   * seconds since the key's previous request (undefined for its first, or one forgotten).
   */
  add(key: string, now: number): { perMinute: number; idleSeconds?: number } {
    const before = this.keys.get(key);
    const last = before?.at(-1);
    const times = (before ?? []).filter((t) => now - t < 60_000);
    times.push(now);
    this.keys.delete(key);
    this.keys.set(key, times);
    if (this.keys.size > MAX_KEYS) this.keys.delete(this.keys.keys().next().value!);
    return { perMinute: times.length, ...(last !== undefined ? { idleSeconds: (now - last) / 1000 } : {}) };
  }
}

/** A routing key for a token prefix: FNV-1a over its ids (OpenAI hashes the first ~256 tokens to pick a server). */
export function prefixKey(ids: ArrayLike<number>): string {
  let h1 = 0x811c9dc5,
    h2 = 0x01000193;
  for (let i = 0; i < ids.length; i++) {
    h1 = Math.imul(h1 ^ ids[i], 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ (ids[i] + i), 0x811c9dc5) >>> 0;
  }
  return `${ids.length}:${h1.toString(36)}${h2.toString(36)}`;
}
