import * as vscode from 'vscode';
import { promptCostHint, type PromptCostResult } from '../core/pricing/promptCost';
import type { UserCatalog } from './userCatalog';

/** Parsing and rendering a whole request body is O(document); live pricing stops above this size. */
const MAX_LIVE_CHARS = 2 * 1024 * 1024;
const DEBOUNCE_MS = 300;

/**
 * Prices the active prompt for its model after the user pauses typing, so the status bar tooltip can say what a
 * cold call and a warm repeat cost. The token count itself stays per keystroke; this is the slower, debounced part.
 */
export class CostHints implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last: { uri: string; version: number; model: string; result: PromptCostResult } | undefined;
  private readonly computed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidCompute = this.computed.event;

  constructor(private readonly catalog: UserCatalog, private readonly defaultModel: () => string) {}

  /** The hint for this document version, if computed; schedules the computation otherwise. */
  get(doc: vscode.TextDocument): PromptCostResult | undefined {
    const l = this.last;
    if (l && l.uri === doc.uri.toString() && l.version === doc.version && l.model === this.defaultModel()) return l.result;
    this.schedule(doc);
    return undefined;
  }

  invalidate(): void {
    this.last = undefined;
  }

  private schedule(doc: vscode.TextDocument): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const text = doc.getText();
      let result: PromptCostResult;
      try {
        result = text.length > MAX_LIVE_CHARS
          ? { ok: false, message: `too large to price live (${(text.length / 1048576).toFixed(1)} MB); run \`kvlens cost\`` }
          : promptCostHint(text, doc.uri.path, this.catalog.current, this.defaultModel());
      } catch (e) {
        // A bug of ours must not take the status bar down with it; say so in the tooltip instead.
        result = { ok: false, message: `internal error while pricing: ${(e as Error).message}` };
      }
      this.last = { uri: doc.uri.toString(), version: doc.version, model: this.defaultModel(), result };
      this.computed.fire(doc.uri);
    }, DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.computed.dispose();
  }
}
