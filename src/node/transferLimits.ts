// Shared by the two downloads (models, price tables): what bounds a transfer. A server that sends nothing for a
// while (stall), one that sends a byte a second forever (overall deadline), and one that sends more than asked — a
// 1.5 GB body, or a gzip bomb: the fetch decompresses, so the bytes counted here are the decompressed ones — each
// stop the transfer with their own reason. Also: reading the body chunk by chunk, and telling a connection that broke
// off mid-body from one that never opened.

export type TransferStop = 'stalled' | 'deadline' | 'too-big';

export interface TransferLimitOptions {
  /** Abort when no data has arrived for this long. */
  readonly stallMs: number;
  /** Abort when the whole transfer has not finished in this long. */
  readonly deadlineMs: number;
  /** Abort past this many (decompressed) body bytes. */
  readonly maxBytes: number;
}

export class TransferLimits {
  private readonly controller = new AbortController();
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  /** Why the transfer was stopped, once it was. */
  stopped: TransferStop | undefined;
  received = 0;

  constructor(readonly limits: TransferLimitOptions) {
    // Armed first: when both are due at once (nothing ever arrived), the silence is the better reason to give.
    this.arm();
    this.deadlineTimer = setTimeout(() => this.stop('deadline'), limits.deadlineMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private stop(why: TransferStop): void {
    if (this.stopped) return;
    this.stopped = why;
    this.controller.abort();
  }

  /** Data arrived: the stall wait starts again. */
  arm(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => this.stop('stalled'), this.limits.stallMs);
  }

  /** A size the server announced (content-length, x-linked-size): refused before reading when over the cap. */
  announced(bytes: number | undefined): boolean {
    if (bytes !== undefined && bytes > this.limits.maxBytes) {
      this.stop('too-big');
      return false;
    }
    return true;
  }

  /** Counts a chunk; false (and the transfer stopped) once the cap is passed. */
  count(bytes: number): boolean {
    this.received += bytes;
    if (this.received > this.limits.maxBytes) {
      this.stop('too-big');
      return false;
    }
    return true;
  }

  /** The reason in words, for a message ("no data for 30 s"). */
  describe(): string {
    const s = (ms: number) => `${Math.round(ms / 100) / 10} s`;
    switch (this.stopped) {
      case 'stalled':
        return `no data for ${s(this.limits.stallMs)}`;
      case 'deadline':
        return `not finished within ${s(this.limits.deadlineMs)} (${this.received} bytes received)`;
      case 'too-big':
        return `larger than the ${formatBytes(this.limits.maxBytes)} limit`;
      default:
        return '';
    }
  }

  dispose(): void {
    clearTimeout(this.stallTimer);
    clearTimeout(this.deadlineTimer);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} bytes`;
}

/** undici's ways of saying the other side closed the connection while the body was being read. */
export function brokenConnection(e: unknown): boolean {
  const code = (e as { cause?: { code?: string }; code?: string }).cause?.code ?? (e as { code?: string }).code;
  return (
    code === 'UND_ERR_SOCKET' ||
    code === 'ECONNRESET' ||
    /terminated|other side closed/i.test(String((e as Error).message))
  );
}

/**
 * The chunks of a response body as they arrive, re-arming the stall timer on each and counting them against the cap.
 * Ends by throwing when the limits stopped the transfer, so no caller can take a cut body for a whole one.
 */
export async function* bodyChunks(
  body: ReadableStream<Uint8Array>,
  limits: TransferLimits,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (limits.stopped) throw new Error(`transfer stopped: ${limits.stopped}`);
      if (done) return;
      limits.arm();
      if (!limits.count(value.byteLength)) throw new Error('transfer stopped: too-big');
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
