import type { Tokenizer } from '../types';
import { CLAUDE_ESTIMATE, CLAUDE_OPUS47_ESTIMATE } from './claude';
import { GEMINI_ESTIMATE } from './gemini';
import { createProxyEstimate } from './proxyEstimate';

/** The estimated encodings, for the registry; `proxy` gives the o200k_base tokenizer they scale. */
export function estimateFactories(proxy: () => Tokenizer): Record<string, () => Tokenizer> {
  return {
    [CLAUDE_ESTIMATE.encoding]: () => createProxyEstimate(proxy(), CLAUDE_ESTIMATE),
    [CLAUDE_OPUS47_ESTIMATE.encoding]: () => createProxyEstimate(proxy(), CLAUDE_OPUS47_ESTIMATE),
    [GEMINI_ESTIMATE.encoding]: () => createProxyEstimate(proxy(), GEMINI_ESTIMATE),
  };
}
