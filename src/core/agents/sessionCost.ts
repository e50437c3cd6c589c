// What a harness's always-loaded instruction files cost per session: one cache write at the agent's TTL, then one
// cache read per further request — the requests being the median of the user's own sessions in this folder, or a
// stated default when there are none.
import { pricesFor } from '../pricing/cost';
import { perTokenFromPerMTok, times, toUsdNumber } from '../pricing/money';
import type { ModelInfo } from '../pricing/types';
import type { SessionCost, SessionStats } from './types';

/**
 * Requests in a session when the user has no recorded session here: assumed. Claude Code and Codex sessions of a
 * working day are tens of model calls (each tool call is one); 30 is a round figure in that range, and it is printed
 * as a default wherever it is used.
 */
export const DEFAULT_REQUESTS_PER_SESSION = 30;

export function sessionCost(
  model: ModelInfo,
  tokens: number,
  ttl: string,
  sessions: SessionStats | null,
): SessionCost | null {
  const label = ttl === 'default' ? undefined : ttl;
  const p = pricesFor(model, tokens, label);
  const write = perTokenFromPerMTok(p.cacheWrite);
  const read = perTokenFromPerMTok(p.cachedInput);
  if (write === undefined || read === undefined) return null;
  const requests = sessions && sessions.medianRequests > 0 ? sessions.medianRequests : DEFAULT_REQUESTS_PER_SESSION;
  const writeUsd = times(write, tokens);
  const readsUsd = times(read, tokens) * BigInt(Math.max(0, Math.round(requests) - 1));
  return {
    model: model.id,
    tokens,
    ttl: label ?? `${model.cache.ttlSeconds}s`,
    requests,
    requestsFrom: sessions && sessions.medianRequests > 0 ? 'sessions' : 'default',
    writeUsd: toUsdNumber(writeUsd),
    readsUsd: toUsdNumber(readsUsd),
    totalUsd: toUsdNumber(writeUsd + readsUsd),
  };
}

/** The median of request counts (the lower middle for an even count, so one long session does not lift it). */
export function medianOf(values: readonly number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}
