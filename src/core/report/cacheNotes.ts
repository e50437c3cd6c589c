import type { DocumentReport } from '../analysis/documentReport';
import type { ModelInfo } from '../pricing/types';
import { againstBaseline } from './baseline';
import { blockName, blockOfToken } from './blocks';
import { count, tokens } from './numbers';

// Notes at a place in the prompt: where and why the cache breaks, a prefix below the cache minimum, a breakpoint.

/**
 * Why the cache breaks where it does, in words: which block changed, against which baseline. Below the model's cache
 * minimum nothing is cached with or without the change, and the words say that instead of a count of lost tokens.
 */
export function breakReason(r: DocumentReport, minTokens = 0): string | undefined {
  const d = r.report.firstDivergence;
  if (!d) return undefined;
  const block = blockOfToken(r, d.token);
  const lost = r.report.tokens - d.token;
  if (r.report.tokens < minTokens && r.report.cachedTokens === 0) {
    return `prefix changes here: ${blockName(block)} ${againstBaseline(r)} — but the whole prompt (${tokens(r.report.tokens, r.report.tokenizer.exact)} tokens) is below the ${count(minTokens)}-token cache minimum, so nothing is cached either way`;
  }
  return `cache breaks here: ${blockName(block)} ${againstBaseline(r)} — ${tokens(lost, r.report.tokenizer.exact)} tokens from here on are recomputed`;
}

/** Below-minimum wording with the estimate's band: "≈1,149 tokens (±25 %): may be below the 1,024 minimum". */
export function minimumNote(
  n: number,
  model: ModelInfo,
  exact: boolean,
  band: number | undefined,
  what = 'prompt',
): string | undefined {
  const min = model.cache.minTokens;
  if (min <= 0) return undefined;
  if (!exact && band !== undefined) {
    const lo = Math.floor(n * (1 - band)),
      hi = Math.ceil(n * (1 + band));
    if (hi < min)
      return `${what} ≈${count(n)} tokens (±${Math.round(band * 100)} %): below ${model.id}'s ${count(min)}-token cache minimum — nothing is cached`;
    if (lo < min)
      return `${what} ≈${count(n)} tokens (±${Math.round(band * 100)} %): may be below the ${count(min)} minimum`;
    return undefined;
  }
  if (n >= min) return undefined;
  return `${what} ${count(n)} tokens: ${count(min - n)} short of ${model.id}'s ${count(min)}-token cache minimum — nothing is cached`;
}

/** "⟵ 1,792 tokens · TTL 5m · ≥ 1,024 min ✓" for a breakpoint. */
export function breakpointNote(
  prefix: number,
  ttl: string,
  model: ModelInfo,
  exact: boolean,
  band: number | undefined,
): string {
  const below = minimumNote(prefix, model, exact, band, 'prefix');
  const reach = below
    ? `✗ ${below.replace(/^prefix [^:]*: /, '')}`
    : `✓ reaches the ${count(model.cache.minTokens)} minimum`;
  return `cache breakpoint: ${tokens(prefix, exact)} tokens up to here · TTL ${ttl} · ${reach}`;
}
