import type { CachePolicy, CacheWarning, PolicyDecision, PolicyInput, PolicySource, RenderedPrompt } from '../types';
import { belowMinimum } from './prefixSteps';
import { tokenCount } from '../tokenSources';

/**
 * Anthropic: nothing is cached unless the request has cache_control breakpoints (at most maxBreakpoints, default 4;
 * more is a 400 error) or top-level automatic caching (a breakpoint on the last block, which uses one of the slots).
 * Each breakpoint writes the prefix up to it; a read needs a live entry that ends exactly at a block boundary no more
 * than lookbackBlocks (default 20) blocks back from a breakpoint. Prefixes shorter than the model's minimum are
 * silently not cached. Render order tools → system → messages, so an edit invalidates everything after it.
 *
 * Lookback reading chosen: the boundaries checked for a breakpoint after block b are the ends of blocks
 * b, b−1, …, b−(lookback−1) — lookback boundaries including the breakpoint's own. The docs say "approximately 20";
 * we take the count literally so tests can pin the edge.
 */
export const SOURCES: readonly PolicySource[] = [
  {
    url: 'https://platform.claude.com/docs/en/build-with-claude/prompt-caching',
    asOf: '2026-12-01',
    says: 'Two ways to cache: top-level automatic caching (breakpoint on the last cacheable block, moving forward as the conversation grows) or explicit cache_control on blocks, up to 4 breakpoints. The cache covers the whole prefix tools → system → messages up to and including the marked block. Default lifetime 5 minutes, refreshed at no cost on each use; 1-hour TTL available. 5m writes cost 1.25× base input, 1h writes 2×, reads 0.1×. Prompts below the minimum cacheable length are not cached, without an error.',
  },
  {
    url: 'https://dev.to/ji_ai/claude-prompt-caching-why-agent-loops-miss-the-20-block-lookback-d36',
    asOf: '2026-12-01',
    says: 'A cache_control breakpoint searches backward through at most 20 content blocks for an existing entry; more blocks than that between the old and the new breakpoint miss the cache and re-write the prefix (secondary source; the official page says "approximately 20 blocks").',
  },
];

const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

interface Point {
  readonly token: number;
  readonly block: number;
  readonly ttl: '5m' | '1h';
  readonly automatic: boolean;
}

function breakpointsOf(prompt: RenderedPrompt): Point[] {
  const points: Point[] = prompt.breakpoints.map((b) => ({ ...b, automatic: false }));
  const blocks = prompt.blockStart.length - 1;
  if (prompt.automatic && blocks > 0)
    points.push({ token: tokenCount(prompt), block: blocks - 1, ttl: prompt.automatic.ttl, automatic: true });
  return points.sort((a, b) => a.token - b.token);
}

/** Lowest token position a breakpoint after block `block` can read from. */
function windowStart(prompt: RenderedPrompt, block: number, lookback: number): number {
  const firstBlock = block - (lookback - 1);
  return firstBlock <= 0 ? 0 : prompt.blockStart[firstBlock + 1];
}

export const anthropicPolicy: CachePolicy = {
  provider: 'anthropic',
  sources: SOURCES,
  decide(input: PolicyInput): PolicyDecision {
    const { prompt, model, entryPrefixes } = input;
    const min = model.cache.minTokens;
    const maxBp = model.cache.maxBreakpoints ?? 4;
    const lookback = model.cache.lookbackBlocks ?? 20;
    const points = breakpointsOf(prompt);
    const none: PolicyDecision = { cachedTokens: 0, cacheWriteTokens: 0, writes: [], warnings: [] };
    if (points.length === 0) {
      return {
        ...none,
        warnings: [
          {
            code: 'no-breakpoint',
            message:
              'no cache_control breakpoint and no top-level automatic caching: Anthropic caches nothing for this request',
          },
        ],
      };
    }
    if (points.length > maxBp) {
      return {
        ...none,
        warnings: [
          {
            code: 'too-many-breakpoints',
            token: points[maxBp].token,
            message: `${points.length} cache breakpoints${points.some((p) => p.automatic) ? ' (counting top-level automatic caching)' : ''}; the API allows ${maxBp} and rejects this request`,
          },
        ],
      };
    }
    const warnings: CacheWarning[] = [];
    // Read: the longest live entry that ends inside some breakpoint's lookback window.
    let cached = 0;
    const windows = points.map((p) => ({ lo: windowStart(prompt, p.block, lookback), hi: p.token }));
    for (const len of entryPrefixes) {
      if (len < min) continue;
      if (windows.some((w) => len >= w.lo && len <= w.hi)) cached = Math.max(cached, len);
    }
    for (const len of entryPrefixes) {
      if (len <= cached || len < min) continue;
      const bp = points.find((p) => p.token >= len);
      if (bp)
        warnings.push({
          code: 'lookback-exceeded',
          token: len,
          message: `a live cache entry ends at token ${len}, more than ${lookback} blocks before the breakpoint at token ${bp.token}: it is written again instead of read — add a breakpoint closer to it`,
        });
    }
    // Writes: every breakpoint whose prefix reaches the minimum; tokens between the read and the last one are billed.
    const writes: { length: number; ttlMs: number }[] = [];
    const byTtl: { '5m': number; '1h': number } = { '5m': 0, '1h': 0 };
    let covered = cached;
    for (const p of points) {
      if (p.token < min) {
        warnings.push({
          ...belowMinimum(
            p.token,
            min,
            `the prefix up to the ${p.automatic ? 'automatic breakpoint' : `breakpoint at token ${p.token}`}`,
          ),
          token: p.token,
        });
        continue;
      }
      writes.push({ length: p.token, ttlMs: TTL_MS[p.ttl] });
      if (p.token > covered) {
        byTtl[p.ttl] += p.token - covered;
        covered = p.token;
      }
    }
    const cacheWriteTokens = byTtl['5m'] + byTtl['1h'];
    return { cachedTokens: cached, cacheWriteTokens, writes, warnings, cacheWriteByTtl: byTtl };
  },
};
