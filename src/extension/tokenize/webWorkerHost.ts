// Host side of the Web Worker tokenizer (vscode.dev, github.dev). Imported by web.ts only; no Node API.
import { OPENAI_ENCODINGS } from '../../core/tokenizer/openAiEncodings';
import {
  connectTokenizeWorker,
  type TokenizeRequest,
  type TokenizeResponse,
  type TokenizeWorker,
} from './workerProtocol';

/**
 * `scriptUrl` is dist/extension/tokenize-worker-web.js. The extension's files are usually served from another
 * origin than the extension host runs on, so the script is fetched and started from a blob: URL.
 */
export function startWebTokenizeWorker(scriptUrl: string, ranksBase: string): TokenizeWorker {
  const ready: Promise<Worker> = (async () => {
    if (typeof Worker === 'undefined') throw new Error('Web Workers are not available in this extension host');
    const res = await fetch(scriptUrl);
    if (!res.ok) throw new Error(`cannot load ${scriptUrl}: HTTP ${res.status}`);
    const blobUrl = URL.createObjectURL(new Blob([await res.text()], { type: 'text/javascript' }));
    return new Worker(blobUrl);
  })();
  return connectTokenizeWorker(
    {
      post: (msg: TokenizeRequest) =>
        void ready.then(
          (w) => w.postMessage(msg),
          () => undefined,
        ),
      listen: (onMessage, onFailure) => {
        ready.then((w) => {
          w.onmessage = (ev: MessageEvent<TokenizeResponse>) => onMessage(ev.data);
          w.onerror = (ev) => onFailure(new Error(ev.message || 'tokenize worker failed'));
        }, onFailure);
      },
      terminate: () =>
        void ready.then(
          (w) => w.terminate(),
          () => undefined,
        ),
    },
    OPENAI_ENCODINGS,
    ranksBase,
  );
}
