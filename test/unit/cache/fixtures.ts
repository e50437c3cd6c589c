import type { RenderedPrompt } from '../../../src/core/cache/types';
import type { CacheRules, ModelInfo } from '../../../src/core/pricing/types';

/** A ModelInfo with the cache rules under test; prices are placeholders unless given. */
export function model(policy: string, cache: Partial<CacheRules> = {}, extra: Partial<ModelInfo> = {}): ModelInfo {
  return {
    id: `${policy}-test`,
    provider: policy,
    displayName: `${policy} test model`,
    encoding: 'o200k_base',
    exactTokenizer: true,
    contextWindow: 1_000_000,
    prices: {
      input: '1',
      cachedInput: '0.1',
      output: '4',
      source: 'https://example.invalid/prices',
      asOf: '2026-12-01',
    },
    cache: {
      policy,
      minTokens: 0,
      granularity: 1,
      ttlSeconds: 300,
      source: 'https://example.invalid/cache',
      asOf: '2026-12-01',
      ...cache,
    },
    ...extra,
  };
}

export const OPENAI = model('openai', { minTokens: 1024, granularity: 128, ttlSeconds: 600, maxTtlSeconds: 86_400 });
export const ANTHROPIC = model(
  'anthropic',
  { minTokens: 1024, granularity: 1, ttlSeconds: 300, maxTtlSeconds: 3600, maxBreakpoints: 4, lookbackBlocks: 20 },
  {
    prices: {
      input: '1',
      cachedInput: '0.1',
      cacheWrite: { '5m': '1.25', '1h': '2' },
      output: '5',
      source: 'https://example.invalid/prices',
      asOf: '2026-12-01',
    },
  },
);

/** Ids 1..n offset by `seed`, so two sequences with different seeds differ from token 0. */
export function seq(n: number, seed = 0): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = seed * 1_000_003 + i + 1;
  return a;
}

export interface PromptSpec {
  /** Token counts of the blocks, in order. */
  readonly blocks: readonly number[];
  /** Indexes of blocks with a breakpoint after them. */
  readonly breakpoints?: readonly number[];
  readonly ttl?: '5m' | '1h';
  readonly automatic?: boolean;
  readonly seed?: number;
  /** Replace token i with this id (to make a version that diverges at i). */
  readonly change?: Readonly<Record<number, number>>;
  readonly exact?: boolean;
}

/** A hand-built RenderedPrompt: each token's source offset is 4 × its index (as if every token were 4 characters). */
export function rendered(spec: PromptSpec): RenderedPrompt {
  const n = spec.blocks.reduce((a, b) => a + b, 0);
  const ids = seq(n, spec.seed ?? 0);
  for (const [i, v] of Object.entries(spec.change ?? {})) ids[Number(i)] = v;
  const blockStart = new Int32Array(spec.blocks.length + 1);
  for (let b = 0; b < spec.blocks.length; b++) blockStart[b + 1] = blockStart[b] + spec.blocks[b];
  const tokenSource = new Int32Array(n);
  for (let i = 0; i < n; i++) tokenSource[i] = 4 * i;
  return {
    ids,
    blockStart,
    tokenSource,
    breakpoints: (spec.breakpoints ?? []).map((b) => ({ token: blockStart[b + 1], block: b, ttl: spec.ttl ?? '5m' })),
    ...(spec.automatic ? { automatic: { ttl: spec.ttl ?? '5m' } } : {}),
    encoding: 'o200k_base',
    exact: spec.exact ?? true,
    blocks: spec.blocks.map((_, b) => ({ label: `block ${b}`, kind: 'message' })),
  };
}

export const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
export const MIN = 60_000;
