/** gpt-tokenizer's rank data: index = rank; a string for tokens that are valid UTF-8, else the raw bytes. */
export type RawRanks = readonly (string | readonly number[] | undefined)[];

/**
 * Mergeable ranks keyed by "byte strings": one char per byte (code 0–255), so a byte sequence is looked up with a
 * plain string Map and an ASCII piece is its own key. Built from the bytes, never from decoded text, because a
 * decoder that drops a leading U+FEFF is how gpt-tokenizer mis-encodes "\uFEFF".
 */
export interface RankTable {
  readonly rank: Map<string, number>;
  /** UTF-8 byte length of each rank's token (0 for holes). */
  readonly byteLength: Uint16Array;
}

export function buildRankTable(raw: RawRanks): RankTable {
  const rank = new Map<string, number>();
  const byteLength = new Uint16Array(raw.length);
  const utf8 = new TextEncoder();
  const buf = new Uint8Array(1024);
  for (let r = 0; r < raw.length; r++) {
    const v = raw[r];
    if (v === undefined) continue;
    let key: string;
    if (typeof v === 'string') {
      if (isAscii(v)) key = v;
      else {
        const n = utf8.encodeInto(v, buf).written;
        key = String.fromCharCode.apply(null, buf.subarray(0, n) as unknown as number[]);
      }
    } else key = String.fromCharCode.apply(null, v as number[]);
    rank.set(key, r);
    byteLength[r] = key.length;
  }
  return { rank, byteLength };
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
