import type { PolicySource } from '../cache/types';
import type { MissReason } from './replay';

// Who a cache miss is up to, and what a miss with no cause in the request or its timing most likely was. Only a miss
// whose cause the user controls (an edit, a pause past the TTL, a model switch, a prompt below the minimum) is money
// they could have saved; a prefix the provider dropped or a request it sent to another cache server is the
// provider's, and is totalled apart. Both replayers (usage logs and agent sessions) classify with this one module.

export const SOURCES: readonly PolicySource[] = [
  {
    url: 'https://developers.openai.com/api/docs/guides/prompt-caching',
    asOf: '2026-12-07',
    says: 'Cache Routing: requests are routed to a machine by a hash of the initial prefix (typically the first 256 tokens), combined with prompt_cache_key when given; "If requests for the same prefix and prompt_cache_key combination exceed a certain rate (approximately 15 requests per minute), some may overflow and get routed to additional machines, reducing cache effectiveness." Cache Lookup checks the selected machine only; Cache Miss: no matching prefix found there. In-memory retention: cached prefixes "generally" remain active for 5 to 10 minutes of inactivity.',
  },
  {
    url: 'https://learn.microsoft.com/azure/foundry/openai/how-to/prompt-caching',
    asOf: '2026-12-07',
    says: 'In-memory prompt cache retention: the system typically clears caches within 5 to 10 minutes of inactivity and always removes them within one hour (the same OpenAI models, served by Azure).',
  },
  {
    url: 'https://docs.x.ai/developers/advanced-api-usage/prompt-caching/best-practices',
    asOf: '2026-12-01',
    says: 'Cache entries live per server and can be evicted at any time (load, restarts): hits are not guaranteed.',
  },
];

/**
 * - hit: read from cache (or from one the log did not show being written);
 * - avoidable: a cause the user controls (their edit, their pause, their choice of model or prompt);
 * - provider: the provider no longer held the prefix, or sent the request to a server that did not;
 * - start: a cache starts (the first request, after a compaction or /clear): nothing to read yet;
 * - unjudged: a billed usage record without its request (nothing to compare).
 */
export type MissClass = 'hit' | 'avoidable' | 'provider' | 'start' | 'unjudged';

/** Keyed by the union: a new reason does not compile until it is classed. */
export const MISS_CLASS: Readonly<Record<MissReason, MissClass>> = {
  cached: 'hit',
  'warm-before-log': 'hit',
  'ttl-expired': 'avoidable',
  'prefix-changed': 'avoidable',
  'below-minimum': 'avoidable',
  'breakpoint-limits': 'avoidable',
  'model-switch': 'avoidable',
  'instructions-changed': 'avoidable',
  'tools-changed': 'avoidable',
  evicted: 'provider',
  rerouted: 'provider',
  // Kept for readers of older output: every provider-side miss is now named evicted or rerouted.
  unexplained: 'provider',
  cold: 'start',
  compaction: 'start',
  clear: 'start',
  'not-predicted': 'unjudged',
};

/** Misses whose lost reads are priced (what they cost beyond a cache read): the avoidable and the provider's. */
export const isCostedMiss = (reason: MissReason): boolean =>
  MISS_CLASS[reason] === 'avoidable' || MISS_CLASS[reason] === 'provider';

/** Requests a minute on one prefix (and prompt_cache_key) above which OpenAI overflows them to other machines. */
export const OPENAI_ROUTING_PER_MIN = 15;
/** OpenAI's in-memory retention: "generally" 5 to 10 minutes of inactivity; below 5 minutes a prefix is expected. */
export const OPENAI_MIN_RETENTION_S = 300;

/** The facts a provider-side miss is named from. */
export interface ProviderMissFacts {
  /** The model's cache policy ('openai' routes by prefix hash and prompt_cache_key). */
  readonly policy: string;
  /** Requests with this prefix (or on this cache chain) within the minute up to this one, counting it. */
  readonly perMinute: number;
  /** Seconds since the previous request with this prefix (or of this chain), when there was one. */
  readonly idleSeconds?: number;
  /** The TTL KV Lens assumes for the model (the catalog's ttlSeconds). */
  readonly ttlSeconds: number;
}

export interface ProviderMiss {
  readonly reason: 'evicted' | 'rerouted';
  /** What it was named from (the note words them). */
  readonly facts: ProviderMissFacts;
}

/**
 * What a miss with no cause in the request or its timing (the prefix unchanged, within its TTL) most likely was.
 * OpenAI: a prefix idle less than the 5 minutes its retention starts at is still held somewhere — the request reached
 * a server without it ('rerouted': routing is by a hash of the first ~256 tokens and prompt_cache_key, and overflows
 * to other machines above ~15 requests a minute; an LRU cache drops the newest prefix last, so losing it seconds after
 * it was written is not eviction); idle 5 minutes or more, the in-memory retention ran out early ('evicted') — on
 * models whose in-memory retention is what KV Lens assumes (a TTL of at most 10 minutes; GPT-5.6 and later keep a
 * prefix 30 minutes, so a miss within that is not put down to eviction). Other providers
 * document no routing: the prefix was dropped ('evicted'; xAI says entries can go at any time, Anthropic documents no
 * early eviction, and nothing else explains it).
 */
export function providerMiss(f: ProviderMissFacts): ProviderMiss {
  if (f.policy !== 'openai') return { reason: 'evicted', facts: f };
  const idle = f.idleSeconds;
  const inMemory = f.ttlSeconds <= 2 * OPENAI_MIN_RETENTION_S;
  if (inMemory && idle !== undefined && idle >= OPENAI_MIN_RETENTION_S && f.perMinute <= OPENAI_ROUTING_PER_MIN)
    return { reason: 'evicted', facts: f };
  return { reason: 'rerouted', facts: f };
}

/** The note a provider-side miss carries (the verdict's words; the CLI and the panel show it as is). */
export function providerMissNote(m: ProviderMiss): string {
  const f = m.facts;
  if (m.reason === 'evicted')
    return f.policy === 'openai'
      ? 'idle 5 minutes or more, within the TTL KV Lens assumes: OpenAI keeps an idle prefix "generally" 5 to 10 minutes and had dropped this one (not a cause you control)'
      : 'the prefix was unchanged and within its TTL, yet not read: the provider had dropped it (not a cause you control)';
  return f.perMinute > OPENAI_ROUTING_PER_MIN
    ? `${f.perMinute} requests on this prefix in the last minute: above ~${OPENAI_ROUTING_PER_MIN} a minute OpenAI routes some to other machines, which do not hold it (not a cause you control)`
    : `idle under the ${f.ttlSeconds > 2 * OPENAI_MIN_RETENTION_S ? Math.round(f.ttlSeconds / 60) : 5} minutes OpenAI keeps a prefix: the request most likely reached a server that did not hold it (OpenAI routes by a hash of the prefix and prompt_cache_key; not a cause you control)`;
}
