import type { ModelInfo } from '../pricing/types';
import { blockInfo, renderPrompt } from '../prompt/render';
import type { Prompt } from '../prompt/types';
import type { Tokenizer } from '../tokenizer/types';
import type { AnalyzeOptions } from './report';
import type { Simulator } from './simulator';
import type { CacheReport, Millis, RenderedPrompt } from './types';

/** Renders a parsed prompt for the cache engine, keeping each block's label and kind for the per-block breakdown. */
export function renderForCache(prompt: Prompt, tokenizer: Tokenizer): RenderedPrompt {
  const r = renderPrompt(prompt, tokenizer);
  return { ...r, blocks: prompt.blocks.map(blockInfo) };
}

/** analyze() for a parsed prompt: render, then look it up in the simulator (which is left unchanged). */
export function analyzePrompt(
  prompt: Prompt,
  tokenizer: Tokenizer,
  sim: Simulator,
  model: ModelInfo,
  now: Millis,
  opts: AnalyzeOptions = {},
): CacheReport {
  return sim.analyze(renderForCache(prompt, tokenizer), model, now, opts);
}
