import type { ModelInfo } from '../pricing/types';
import type { Tokenizer } from '../tokenizer/types';
import { documentReport } from './documentReport';
import { applyFix, withChangedValue, type Fix } from './fixes';

/**
 * What a code-action fix saves, as the title of the action says it: the tokens it moves into the cached prefix and
 * the money per call, from two cache reports of the same prompt (before and after the fix), each in the steady state
 * or against the request that would come next.
 */

export interface SavingsContext {
  readonly fileName: string;
  readonly model: ModelInfo;
  readonly tokenizer: Tokenizer;
  readonly now: number;
}

export interface Saving {
  /** Tokens more that are read from cache per call. */
  readonly tokens: number;
  /** Input cost saved per call, USD. */
  readonly perCall: number;
}

function report(c: SavingsContext, text: string, baselineText?: string) {
  const res = documentReport({
    text,
    fileName: c.fileName,
    model: c.model,
    tokenizer: c.tokenizer,
    now: c.now,
    baseline:
      baselineText === undefined
        ? { kind: 'steady', label: 'steady' }
        : { kind: 'file', label: 'next request', text: baselineText },
  });
  return res.ok ? res.value.report : undefined;
}

/** The saving of `after` over `before` (steady state, or both against `baseline`); undefined when nothing is gained. */
export function savingOf(c: SavingsContext, before: string, after: string, baseline?: string): Saving | undefined {
  const b = report(c, before, baseline),
    f = report(c, after, baseline);
  if (!b?.cost || !f?.cost) return undefined;
  const tokens = f.cachedTokens - b.cachedTokens;
  return tokens > 0 ? { tokens, perCall: b.cost.withCache - f.cost.withCache } : undefined;
}

/**
 * What moving a dynamic value saves on the calls where it changes: each version is judged against the next request,
 * which differs in that value only (wherever the fix put it).
 */
export function savingWhenChanged(
  c: SavingsContext,
  text: string,
  m: { readonly start: number; readonly end: number },
  fix: Fix,
): Saving | undefined {
  const b = report(c, text, withChangedValue(text, m));
  const fixed = applyFix(text, fix);
  const moved = fixed.indexOf(
    text.slice(m.start, m.end),
    fix.edits[1]?.offset !== undefined ? fix.edits[1].offset - fix.edits[0].length : 0,
  );
  const f =
    moved >= 0
      ? report(c, fixed, withChangedValue(fixed, { start: moved, end: moved + (m.end - m.start) }))
      : undefined;
  if (!b?.cost || !f?.cost) return undefined;
  const tokens = f.cachedTokens - b.cachedTokens;
  return tokens > 0 ? { tokens, perCall: b.cost.withCache - f.cost.withCache } : undefined;
}
