import * as vscode from 'vscode';
import { getTokenizer } from '../core/tokenizer/registry';
import type { TokenState, Tokenizer } from '../core/tokenizer/types';

interface Entry {
  version: number;
  state: TokenState;
}

/**
 * Keeps the token state of each prompt document current: re-tokenizes only around each edit (core's incremental
 * engine), so typing in a large prompt stays cheap. States are dropped when documents close.
 */
export class DocumentTokens {
  private readonly states = new Map<string, Entry>();

  constructor(private encoding: () => string) {}

  private tokenizer(): Tokenizer {
    const name = this.encoding();
    const t = getTokenizer(name);
    if (!t) throw new Error(`KV Lens: unknown encoding "${name}" in setting kvlens.encoding`);
    return t;
  }

  /** Current token state of a document, computing it if missing or stale. */
  get(doc: vscode.TextDocument): TokenState {
    const key = doc.uri.toString();
    const t = this.tokenizer();
    const e = this.states.get(key);
    if (e && e.version === doc.version && e.state.encoding === t.encoding) return e.state;
    const state = t.tokenize(doc.getText());
    this.states.set(key, { version: doc.version, state });
    return state;
  }

  /** Applies a change event incrementally when we hold the previous version; otherwise leaves it to get(). */
  applyChange(ev: vscode.TextDocumentChangeEvent): void {
    const key = ev.document.uri.toString();
    const e = this.states.get(key);
    if (!e || ev.contentChanges.length === 0) return;
    const t = this.tokenizer();
    if (e.state.encoding !== t.encoding) { this.states.delete(key); return; }
    let state = e.state;
    if (ev.contentChanges.length === 1) {
      const c = ev.contentChanges[0];
      state = t.retokenize(state, { start: c.rangeOffset, end: c.rangeOffset + c.rangeLength, text: c.text }, ev.document.getText()).state;
    } else {
      // Multi-cursor edits arrive in descending offset order relative to the old text; apply them one by one.
      const sorted = [...ev.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset);
      for (const c of sorted) state = t.retokenize(state, { start: c.rangeOffset, end: c.rangeOffset + c.rangeLength, text: c.text }).state;
    }
    this.states.set(key, { version: ev.document.version, state });
  }

  forget(doc: vscode.TextDocument): void {
    this.states.delete(doc.uri.toString());
  }

  clear(): void {
    this.states.clear();
  }
}
