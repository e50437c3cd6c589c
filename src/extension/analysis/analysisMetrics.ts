/**
 * How the editor's analyses ran, for the debug command (`kvlens.debug.timings`) and the benchmark: the time of the
 * last analyses, how many followed the edits or took the whole text (and why the live path declined), and each
 * keystroke's wait from the change event to its report being applied.
 */
export class AnalysisMetrics {
  /** ms of the last 200 analyses. */
  readonly timings: number[] = [];
  readonly paths = { live: 0, full: 0, declined: new Map<string, number>() };
  /** Change event → report applied (decorations, status bar, diagnostics: the listeners of onDidAnalyze), in ms. */
  readonly keystrokes: { ms: number; path: 'live' | 'full'; chars: number }[] = [];
  private readonly editedAt = new Map<string, number>();

  /** A change event: the first since the document's last report starts the keystroke's clock. */
  edited(key: string): void {
    if (!this.editedAt.has(key)) this.editedAt.set(key, performance.now());
  }

  /** An analysis was kept. */
  analyzed(path: 'live' | 'full', ms: number): void {
    this.paths[path]++;
    this.timings.push(ms);
    if (this.timings.length > 200) this.timings.splice(0, this.timings.length - 200);
  }

  /** The report of the document's current version was applied: the keystroke it answers is measured. */
  shown(key: string, path: 'live' | 'full', chars: number): void {
    const since = this.editedAt.get(key);
    if (since === undefined) return;
    this.editedAt.delete(key);
    this.keystrokes.push({ ms: performance.now() - since, path, chars });
    if (this.keystrokes.length > 500) this.keystrokes.splice(0, this.keystrokes.length - 500);
  }

  declined(why: string): void {
    this.paths.declined.set(why, (this.paths.declined.get(why) ?? 0) + 1);
  }
}
