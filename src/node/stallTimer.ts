// Shared by the two downloads (models, price tables): abort a fetch when no data has arrived for a while, read the
// body chunk by chunk, and tell a connection that broke off mid-body from one that never opened.

export class StallTimer {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly ms: number) { this.arm(); }

  get signal(): AbortSignal { return this.controller.signal; }
  get fired(): boolean { return this.controller.signal.aborted; }

  /** Data arrived: the wait starts again. */
  arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(), this.ms);
  }

  stop(): void { clearTimeout(this.timer); }
}

/** undici's ways of saying the other side closed the connection while the body was being read. */
export function brokenConnection(e: unknown): boolean {
  const code = (e as { cause?: { code?: string }; code?: string }).cause?.code ?? (e as { code?: string }).code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || /terminated|other side closed/i.test(String((e as Error).message));
}

/** The chunks of a response body as they arrive, re-arming the stall timer on each. */
export async function* bodyChunks(body: ReadableStream<Uint8Array>, stall: StallTimer): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    stall.arm();
    yield value;
  }
}
