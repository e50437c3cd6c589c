// Node worker thread (bundled to dist/extension/tokenize-worker-node.js): full tokenization of large documents
// off the extension host's thread.
import { parentPort } from 'node:worker_threads';
import { openAiFactories } from '../../core/tokenizer/openAiEncodings';
import type { Tokenizer } from '../../core/tokenizer/types';
import { answerTokenizeRequest, type TokenizeRequest } from './workerProtocol';

const cache = new Map<string, Tokenizer>();
parentPort?.on('message', (req: TokenizeRequest) => {
  const { response, transfer } = answerTokenizeRequest(req, openAiFactories, cache);
  parentPort!.postMessage(response, transfer);
});
