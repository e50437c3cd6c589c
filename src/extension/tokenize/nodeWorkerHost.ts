// Host side of the Node tokenize worker (desktop VS Code, code-server). Imported by node.ts only.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { OPENAI_ENCODINGS } from '../../core/tokenizer/openAiEncodings';
import { connectTokenizeWorker, type TokenizeResponse, type TokenizeWorker } from './workerProtocol';

/** `script` defaults to the worker bundle next to this bundle (dist/extension/). */
export function startNodeTokenizeWorker(script = path.join(__dirname, 'tokenize-worker-node.js')): TokenizeWorker {
  const w = new Worker(script);
  w.unref(); // never keeps the extension host alive
  return connectTokenizeWorker(
    {
      post: (msg) => w.postMessage(msg),
      listen: (onMessage, onFailure) => {
        w.on('message', (m: TokenizeResponse) => onMessage(m));
        w.on('error', onFailure);
        w.on('exit', (code) => onFailure(new Error(`tokenize worker exited with code ${code}`)));
      },
      terminate: () => void w.terminate(),
    },
    OPENAI_ENCODINGS,
  );
}
