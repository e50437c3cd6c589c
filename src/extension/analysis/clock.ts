/**
 * The extension's clock. Core never reads the time itself; the extension reads it here, so the integration tests
 * can move it forward and watch a recorded send's TTL run out without waiting minutes.
 */
export class Clock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  /** Tests only: shifts what now() returns by `ms` from the real time. */
  setOffset(ms: number): void {
    this.offsetMs = ms;
  }
}
