import * as vscode from 'vscode';
import { preloadEncoding } from '../../core/tokenizer/openAiEncodings';
import { getTokenizer } from '../../core/tokenizer/registry';
import type { TokenState, Tokenizer } from '../../core/tokenizer/types';
import type { TokenizeWorker } from './workerProtocol';

/** Documents longer than this (UTF-16 units) are tokenized in full off the host's thread (or in slices). */
export const BIG_DOCUMENT_CHARS = 200_000;
/** Longest a slice of host-thread tokenization may run before yielding. */
const SLICE_MS = 8;

interface Pending {
  readonly encoding: string;
}

/**
 * The plain token count of a prompt document, shown before its first cache report (which then follows every edit):
 * so nothing here runs per keystroke. A big document is tokenized in the tokenize worker (or, without one, in
 * slices of SLICE_MS); get() returns undefined meanwhile ("counting…") and onDidCompute fires when it is ready.
 */
export class DocumentTokens implements vscode.Disposable {
  private readonly states = new Map<string, TokenState>();
  private readonly pending = new Map<string, Pending>();
  private readonly computed = new vscode.EventEmitter<vscode.Uri>();
  private worker: TokenizeWorker | undefined;
  readonly onDidCompute = this.computed.event;

  /** `startWorker` comes from the entry point (node.ts / web.ts), so this file stays free of Node and DOM APIs. */
  constructor(
    private readonly encoding: () => string,
    private readonly startWorker?: () => TokenizeWorker,
  ) {}

  private tokenizer(): Tokenizer {
    const name = this.encoding();
    const t = getTokenizer(name);
    if (!t) throw new Error(`KV Lens: unknown encoding "${name}" in setting kvlens.encoding`);
    return t;
  }

  /** Current token state of a document; undefined while a big document is being counted in the background. */
  get(doc: vscode.TextDocument): TokenState | undefined {
    const key = doc.uri.toString();
    let t: Tokenizer;
    try {
      t = this.tokenizer();
    } catch (e) {
      // The web host fetches the encoding's data first: count once it is there.
      if (!/not loaded yet/.test((e as Error).message)) throw e;
      void preloadEncoding(this.encoding()).then(
        () => this.computed.fire(doc.uri),
        () => undefined,
      );
      return undefined;
    }
    // Any version will do: the count is a placeholder until the first cache report, which then follows the edits.
    const e = this.states.get(key);
    if (e && e.encoding === t.encoding) return e;
    const p = this.pending.get(key);
    if (p && p.encoding === t.encoding) return undefined;
    const text = doc.getText();
    if (text.length <= BIG_DOCUMENT_CHARS) {
      const state = t.tokenize(text);
      this.states.set(key, state);
      return state;
    }
    this.countInBackground(doc.uri, key, t, text);
    return undefined;
  }

  private countInBackground(uri: vscode.Uri, key: string, t: Tokenizer, text: string): void {
    const job: Pending = { encoding: t.encoding };
    this.pending.set(key, job);
    this.states.delete(key);
    const worker = this.workerFor(t.encoding);
    const run = worker ? worker.tokenize(t.encoding, text).catch(() => inSlices(t, text)) : inSlices(t, text);
    void run.then(
      (state) => {
        if (this.pending.get(key) !== job) return; // forgotten, cleared or restarted meanwhile
        this.pending.delete(key);
        this.states.set(key, state);
        this.computed.fire(uri);
      },
      () => {
        if (this.pending.get(key) === job) this.pending.delete(key);
        this.computed.fire(uri); // the next get() tries again (synchronously if the worker is gone)
      },
    );
  }

  private workerFor(encoding: string): TokenizeWorker | undefined {
    if (!this.startWorker) return undefined;
    try {
      this.worker ??= this.startWorker();
    } catch {
      return undefined;
    }
    return this.worker.supports(encoding) ? this.worker : undefined;
  }

  forget(doc: vscode.TextDocument): void {
    this.states.delete(doc.uri.toString());
    this.pending.delete(doc.uri.toString());
  }

  clear(): void {
    this.states.clear();
    this.pending.clear();
  }

  dispose(): void {
    this.clear();
    this.worker?.dispose();
    this.computed.dispose();
  }
}

/** Host-thread fallback: full tokenization in slices of SLICE_MS, yielding to the event loop between them. */
function inSlices(t: Tokenizer, text: string): Promise<TokenState> {
  const job = t.tokenizeInSteps?.(text);
  return new Promise((resolve, reject) => {
    const tick = () => {
      try {
        if (!job) {
          resolve(t.tokenize(text));
          return;
        }
        const s = job.step(SLICE_MS);
        if (s) resolve(s);
        else setTimeout(tick, 0);
      } catch (e) {
        reject(e);
      }
    };
    setTimeout(tick, 0);
  });
}
