import type { CachePolicy } from '../types';
import { anthropicPolicy } from './anthropic';
import { deepseekPolicy } from './deepseek';
import { googlePolicy } from './google';
import { mistralPolicy } from './mistral';
import { openaiPolicy } from './openai';
import { sglangPolicy } from './sglang';
import { vllmPolicy } from './vllm';
import { xaiPolicy } from './xai';

/** Policy modules by the name a catalog entry's cache.policy uses. */
export const POLICIES: Readonly<Record<string, CachePolicy>> = {
  openai: openaiPolicy,
  anthropic: anthropicPolicy,
  google: googlePolicy,
  deepseek: deepseekPolicy,
  xai: xaiPolicy,
  mistral: mistralPolicy,
  vllm: vllmPolicy,
  sglang: sglangPolicy,
};

export function policyFor(name: string): CachePolicy | undefined {
  return Object.prototype.hasOwnProperty.call(POLICIES, name) ? POLICIES[name] : undefined;
}
