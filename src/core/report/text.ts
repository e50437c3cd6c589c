import type { DocumentReport } from '../analysis/documentReport';
import type { BlockReport } from '../cache/types';
import { formatUsdNumber } from '../pricing/money';
import type { ModelInfo } from '../pricing/types';

// Words and numbers the status bar, hovers, lenses and hints share, so they say the same thing the same way.

const fmt = new Intl.NumberFormat('en-US');
export const count = (n: number): string => fmt.format(n);
export const usd = formatUsdNumber;
export const share = (a: number, b: number): string => `${b ? Math.round((100 * a) / b) : 0}%`;

/** "1,149" or "≈1,149" for an estimated tokenizer. */
export function tokens(n: number, exact: boolean): string {
  return `${exact ? '' : '≈'}${count(n)}`;
}

/** The block a token belongs to, by the report's per-block starts. */
export function blockOfToken(r: DocumentReport, token: number): BlockReport | undefined {
  const blocks = r.report.blocks;
  for (let i = blocks.length - 1; i >= 0; i--) if (blocks[i].start <= token) return blocks[i];
  return undefined;
}

/** "message 2 (user)" for "messages[2] user", "tools" for "tools (3)", "system" … — a block as people say it. */
export function blockName(b: BlockReport | undefined): string {
  if (!b) return 'the prompt';
  const m = /^(?:messages|input)\[(\d+)\](?:\.content\[\d+\])? (\w+)/.exec(b.label);
  if (m) return `message ${Number(m[1]) + 1} (${m[2]})`;
  if (b.kind === 'tools')
    return b.label.startsWith('tools[') ? `tool ${b.label.replace(/^tools\[\d+\]\s*/, '') || b.label}` : 'tools';
  if (b.kind === 'response_format') return 'the response schema';
  if (b.kind === 'system')
    return b.label.startsWith('system[')
      ? `system block ${Number(/\d+/.exec(b.label)![0]) + 1}`
      : b.label === 'instructions'
        ? 'instructions'
        : 'system';
  if (b.kind === 'text')
    return b.label === 'text' ? 'the prompt' : `section ${Number(/\d+/.exec(b.label)?.[0] ?? 0) + 1}`;
  return b.label;
}

/** "changed since git HEAD", "differs from the version sent at 10:02", "differs from other.prompt.md". */
export function againstBaseline(r: DocumentReport): string {
  const b = r.report.baseline;
  if (b.kind === 'git') return 'changed since git HEAD';
  if (b.kind === 'recorded') return `differs from the version ${b.label.replace(/^sent /, 'sent at ')}`;
  if (b.kind === 'file') return `differs from ${b.label}`;
  return 'differs from what was sent before';
}

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
