/** Growable columns of a token stream under construction: id, UTF-16 start, and whether the token starts a piece. */
export class TokenBuffer {
  ids: Uint32Array;
  starts: Int32Array;
  pieceStarts: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.ids = new Uint32Array(capacity);
    this.starts = new Int32Array(capacity);
    this.pieceStarts = new Uint8Array(capacity);
  }

  reset(): void {
    this.length = 0;
  }

  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.ids.length) return;
    const cap = Math.max(need, this.ids.length * 2);
    const ids = new Uint32Array(cap),
      starts = new Int32Array(cap),
      flags = new Uint8Array(cap);
    ids.set(this.ids.subarray(0, this.length));
    starts.set(this.starts.subarray(0, this.length));
    flags.set(this.pieceStarts.subarray(0, this.length));
    this.ids = ids;
    this.starts = starts;
    this.pieceStarts = flags;
  }

  push(id: number, start: number, pieceStart: 0 | 1): void {
    if (this.length === this.ids.length) this.reserve(1);
    const i = this.length++;
    this.ids[i] = id;
    this.starts[i] = start;
    this.pieceStarts[i] = pieceStart;
  }
}
