import type { Tokenizer } from './types';

/**
 * The relative error band of a count: none for an exact tokenizer; for an estimate, the band measured for prompts of
 * this kind (requests with tool definitions have their own, wider one where it was measured).
 */
export function errorBandFor(
  tokenizer: Tokenizer,
  blocks: readonly { readonly kind: string }[] | undefined,
): number | undefined {
  const e = tokenizer.estimate;
  if (!e) return undefined;
  return blocks?.some((b) => b.kind === 'tools') && e.toolsErrorBand !== undefined ? e.toolsErrorBand : e.errorBand;
}
