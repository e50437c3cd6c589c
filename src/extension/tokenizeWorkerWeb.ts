// Web Worker (bundled to dist/extension/tokenize-worker-web.js): full tokenization of large documents off the web
// extension host's thread. No Node API.
import { openAiFactories } from '../core/tokenizer/openAiEncodings';
import type { Tokenizer } from '../core/tokenizer/types';
import { answerTokenizeRequest, type TokenizeRequest } from './tokenizeWorkerProtocol';

const cache = new Map<string, Tokenizer>();
const scope = globalThis as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (ev: MessageEvent<TokenizeRequest>) => {
  const { response, transfer } = answerTokenizeRequest(ev.data, openAiFactories, cache);
  scope.postMessage(response, transfer);
};
