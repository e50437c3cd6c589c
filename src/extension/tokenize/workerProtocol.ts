// The message protocol between the extension host and the tokenize worker (Node worker_threads or a Web Worker),
// and both ends of it. No 'vscode' and no Node API here: the web bundle and both worker bundles import it.
import type { TokenState, Tokenizer } from '../../core/tokenizer/types';

export interface TokenizeRequest {
  readonly id: number;
  readonly encoding: string;
  readonly text: string;
  readonly ranksBase?: string;
}
export type TokenizeResponse =
  | { readonly id: number; readonly ids: Uint32Array; readonly offsets: Int32Array; readonly pieceStarts?: Uint8Array }
  | { readonly id: number; readonly error: string };

/** What the host needs from a worker, whatever its kind. */
export interface WorkerPort {
  post(msg: TokenizeRequest): void;
  /** `onFailure` is called when the worker dies or cannot start: pending and later requests are rejected. */
  listen(onMessage: (msg: TokenizeResponse) => void, onFailure: (err: unknown) => void): void;
  terminate(): void;
}

export interface TokenizeWorker {
  /** Which encodings the worker can do (the others are tokenized on the host, in slices). */
  supports(encoding: string): boolean;
  tokenize(encoding: string, text: string): Promise<TokenState>;
  dispose(): void;
}

/** Host side: correlates requests and answers; the text stays on the host (only the arrays come back). */
export function connectTokenizeWorker(
  port: WorkerPort,
  encodings: readonly string[],
  ranksBase?: string,
): TokenizeWorker {
  const waiting = new Map<
    number,
    { encoding: string; text: string; resolve: (s: TokenState) => void; reject: (e: Error) => void }
  >();
  let nextId = 1;
  let failed: Error | undefined;
  port.listen(
    (msg) => {
      const w = waiting.get(msg.id);
      if (!w) return;
      waiting.delete(msg.id);
      if ('error' in msg) w.reject(new Error(msg.error));
      else
        w.resolve({
          encoding: w.encoding,
          text: w.text,
          ids: msg.ids,
          offsets: msg.offsets,
          pieceStarts: msg.pieceStarts,
        });
    },
    (err) => {
      failed = err instanceof Error ? err : new Error(String(err));
      for (const w of waiting.values()) w.reject(failed);
      waiting.clear();
    },
  );
  return {
    supports: (encoding) => !failed && encodings.includes(encoding),
    tokenize(encoding, text) {
      if (failed) return Promise.reject(failed);
      return new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { encoding, text, resolve, reject });
        port.post({ id, encoding, text, ...(ranksBase ? { ranksBase } : {}) });
      });
    },
    dispose() {
      port.terminate();
      for (const w of waiting.values()) w.reject(new Error('tokenize worker stopped'));
      waiting.clear();
    },
  };
}

/** Worker side: tokenizes one request; the arrays are transferred, not copied. */
export function answerTokenizeRequest(
  req: TokenizeRequest,
  factories: Readonly<Record<string, () => Tokenizer>>,
  cache: Map<string, Tokenizer>,
): { response: TokenizeResponse; transfer: ArrayBuffer[] } {
  try {
    let t = cache.get(req.encoding);
    if (!t) {
      if (!Object.hasOwn(factories, req.encoding))
        return { response: { id: req.id, error: `unknown encoding "${req.encoding}"` }, transfer: [] };
      cache.set(req.encoding, (t = factories[req.encoding]()));
    }
    const s = t.tokenize(req.text);
    const transfer = [
      s.ids.buffer,
      s.offsets.buffer,
      ...(s.pieceStarts ? [s.pieceStarts.buffer] : []),
    ] as ArrayBuffer[];
    return { response: { id: req.id, ids: s.ids, offsets: s.offsets, pieceStarts: s.pieceStarts }, transfer };
  } catch (e) {
    return { response: { id: req.id, error: e instanceof Error ? e.message : String(e) }, transfer: [] };
  }
}
