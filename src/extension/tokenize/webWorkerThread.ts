// Web Worker (bundled to dist/extension/tokenize-worker-web.js): full tokenization of large documents off the web
// extension host's thread. No Node API.
import { openAiFactories, preloadEncoding } from '../../core/tokenizer/openAiEncodings';
import { setRankBase } from './rankSourceFetch';
import type { Tokenizer } from '../../core/tokenizer/types';
import { answerTokenizeRequest, type TokenizeRequest } from './workerProtocol';

const cache = new Map<string, Tokenizer>();
const scope = globalThis as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = async (ev: MessageEvent<TokenizeRequest>) => {
  // The rank data is fetched once from the extension's dist/ranks/, whose URL the host sends along.
  if (ev.data.ranksBase) setRankBase(ev.data.ranksBase);
  try {
    await preloadEncoding(ev.data.encoding);
  } catch (e) {
    scope.postMessage({ id: ev.data.id, error: e instanceof Error ? e.message : String(e) });
    return;
  }
  const { response, transfer } = answerTokenizeRequest(ev.data, openAiFactories, cache);
  scope.postMessage(response, transfer);
};
