import type * as vscode from 'vscode';

/**
 * When each document is analyzed: at most one run pending per document (a newer request replaces it, after a delay
 * for big documents), the run in flight and its version, and the callers waiting for a version's result. It knows
 * nothing of what a result is but its version; CacheAnalyses says what a run does.
 */
export class DocumentScheduler<R extends { readonly version: number }> {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly waiting = new Map<string, { version: number; resolve: (r: R | undefined) => void }[]>();
  private readonly running = new Map<string, number>();

  constructor(private readonly run: (doc: vscode.TextDocument) => Promise<void>) {}

  /** Runs the document after `delayMs`, replacing a run not yet started. */
  schedule(doc: vscode.TextDocument, delayMs: number): void {
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.run(doc);
      }, delayMs),
    );
  }

  /** Resolves with the result of the document's current version; schedules a run (`schedule`) when none is coming. */
  wait(doc: vscode.TextDocument, schedule: () => void): Promise<R | undefined> {
    const key = doc.uri.toString();
    return new Promise((resolve) => {
      const list = this.waiting.get(key) ?? [];
      list.push({ version: doc.version, resolve });
      this.waiting.set(key, list);
      if (!this.timers.has(key) && this.running.get(key) !== doc.version) schedule();
    });
  }

  /** Marks a run of this version in flight until `work` settles. */
  async during<T>(key: string, version: number, work: () => Promise<T>): Promise<T> {
    this.running.set(key, version);
    try {
      return await work();
    } finally {
      if (this.running.get(key) === version) this.running.delete(key);
    }
  }

  /**
   * A run ended with `result` (undefined: it produced none): its version's waiters get it; those of an older version
   * get what `current` holds (the document moved on). Returns whether some still wait with nothing scheduled.
   */
  settle(doc: vscode.TextDocument, result: R | undefined, current: () => R | undefined): boolean {
    const key = doc.uri.toString();
    const still = (this.waiting.get(key) ?? []).filter((w) => {
      if (result && w.version === result.version) {
        w.resolve(result);
        return false;
      }
      if (w.version < doc.version) {
        w.resolve(current());
        return false;
      }
      return true;
    });
    if (still.length) this.waiting.set(key, still);
    else this.waiting.delete(key);
    return still.length > 0 && !this.timers.has(key);
  }

  /** Cancels the document's pending run and answers its waiters with nothing (it was closed). */
  forget(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    for (const w of this.waiting.get(key) ?? []) w.resolve(undefined);
    this.waiting.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const list of this.waiting.values()) for (const w of list) w.resolve(undefined);
    this.waiting.clear();
  }
}
