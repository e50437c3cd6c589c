import * as vscode from 'vscode';
import { preloadEncoding } from '../core/tokenizer/openAiEncodings';
import { getTokenizer } from '../core/tokenizer/registry';
import type { TextEdit, TokenState, Tokenizer } from '../core/tokenizer/types';
import type { TokenizeWorker } from './tokenizeWorkerProtocol';

/** Documents longer than this (UTF-16 units) are tokenized in full off the host's thread (or in slices). */
export const BIG_DOCUMENT_CHARS = 200_000;
/** Longest a slice of host-thread tokenization may run before yielding. */
const SLICE_MS = 8;
/** Edits queued while a big document is being counted; past this, counting restarts from the current text. */
const MAX_QUEUED_CHANGES = 2_000;
/** The map holds the only reference to a document's state, so edits may overwrite it in place (no per-keystroke allocation). */
const REUSE = { reusePrevious: true } as const;

interface Entry { version: number; state: TokenState }
interface Pending { version: number; encoding: string; queued: { edits: TextEdit[]; version: number }[] }

/**
 * Keeps the token state of each prompt document current. Edits re-tokenize only around the change (core's
 * incremental engine, ~1 ms on 1 MB), synchronously. A full tokenization of a big document runs in the tokenize
 * worker (or, without one, in slices of SLICE_MS); get() returns undefined meanwhile ("counting…"), edits made in
 * the meantime are queued and replayed, and onDidCompute fires when the state is ready.
 */
export class DocumentTokens implements vscode.Disposable {
  private readonly states = new Map<string, Entry>();
  private readonly pending = new Map<string, Pending>();
  private readonly computed = new vscode.EventEmitter<vscode.Uri>();
  private worker: TokenizeWorker | undefined;
  readonly onDidCompute = this.computed.event;

  /** `startWorker` comes from the entry point (node.ts / web.ts), so this file stays free of Node and DOM APIs. */
  constructor(private readonly encoding: () => string, private readonly startWorker?: () => TokenizeWorker) {}

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
      void preloadEncoding(this.encoding()).then(() => this.computed.fire(doc.uri), () => undefined);
      return undefined;
    }
    const e = this.states.get(key);
    if (e && e.version === doc.version && e.state.encoding === t.encoding) return e.state;
    const p = this.pending.get(key);
    if (p && p.encoding === t.encoding) return undefined;
    const text = doc.getText();
    if (text.length <= BIG_DOCUMENT_CHARS) {
      const state = t.tokenize(text);
      this.states.set(key, { version: doc.version, state });
      return state;
    }
    this.countInBackground(doc.uri, key, doc.version, t, text);
    return undefined;
  }

  private countInBackground(uri: vscode.Uri, key: string, version: number, t: Tokenizer, text: string): void {
    const job: Pending = { version, encoding: t.encoding, queued: [] };
    this.pending.set(key, job);
    this.states.delete(key);
    const worker = this.workerFor(t.encoding);
    const run = worker ? worker.tokenize(t.encoding, text).catch(() => inSlices(t, text)) : inSlices(t, text);
    void run.then((state) => {
      if (this.pending.get(key) !== job) return; // forgotten, cleared or restarted meanwhile
      this.pending.delete(key);
      let v = job.version;
      for (const q of job.queued) {
        for (const edit of q.edits) state = t.retokenize(state, edit, undefined, REUSE).state;
        v = q.version;
      }
      this.states.set(key, { version: v, state });
      this.computed.fire(uri);
    }, () => {
      if (this.pending.get(key) === job) this.pending.delete(key);
      this.computed.fire(uri); // the next get() tries again (synchronously if the worker is gone)
    });
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

  /** Applies a change event incrementally when we hold the previous version; otherwise leaves it to get(). */
  applyChange(ev: vscode.TextDocumentChangeEvent): void {
    const key = ev.document.uri.toString();
    if (ev.contentChanges.length === 0) return;
    // Multi-cursor edits: applied in descending offset order, each edit's old-text offsets stay valid.
    const edits: TextEdit[] = [...ev.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset)
      .map((c) => ({ start: c.rangeOffset, end: c.rangeOffset + c.rangeLength, text: c.text }));
    const p = this.pending.get(key);
    if (p) {
      p.queued.push({ edits, version: ev.document.version });
      if (p.queued.length > MAX_QUEUED_CHANGES) this.pending.delete(key); // next get() counts the current text
      return;
    }
    const e = this.states.get(key);
    if (!e) return;
    const t = this.tokenizer();
    if (e.state.encoding !== t.encoding) { this.states.delete(key); return; }
    let state = e.state;
    if (edits.length === 1) state = t.retokenize(state, edits[0], ev.document.getText(), REUSE).state;
    else for (const edit of edits) state = t.retokenize(state, edit, undefined, REUSE).state;
    this.states.set(key, { version: ev.document.version, state });
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
        if (!job) { resolve(t.tokenize(text)); return; }
        const s = job.step(SLICE_MS);
        if (s) resolve(s); else setTimeout(tick, 0);
      } catch (e) { reject(e); }
    };
    setTimeout(tick, 0);
  });
}
