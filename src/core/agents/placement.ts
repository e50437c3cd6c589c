// Where one file lands in each agent's request: what the editor shows for an open instruction file. Pure: it reads
// an AgentContext (discoverAgentContext's result, which the editor keeps) and computes nothing from disk.
import { pricesFor } from '../pricing/cost';
import type { Catalog } from '../pricing/catalog';
import { perTokenFromPerMTok, times, toUsdNumber } from '../pricing/money';
import { loadCatalog } from '../pricing/catalog';
import { DEFAULT_REQUESTS_PER_SESSION } from './sessionCost';
import type {
  AgentContext,
  AgentFile,
  HarnessId,
  Layer,
  Loaded,
  LoadReason,
  Role,
  TakesEffect,
  TokenRange,
} from './types';
import type { Confidence } from '../pricing/types';
import { HARNESS_DATA } from './discover';

export interface FilePlacement {
  readonly harness: HarnessId;
  readonly displayName: string;
  readonly path: string;
  readonly kind: AgentFile['kind'];
  readonly loaded: Loaded;
  readonly role: Role | null;
  /** The layer of the request the file's text is in (null when it is not in the main loop's request). */
  readonly layer: Layer | null;
  /** System prompt and tools in front of it. */
  readonly fixedBefore: TokenRange & { readonly source: string; readonly confidence: Confidence };
  /** Tokens of the harness's other instruction files ahead of this one in the same message. */
  readonly instructionTokensBefore: number;
  readonly tokens: number;
  readonly bytesSent: number;
  readonly bytesLost: number;
  readonly takesEffect: TakesEffect;
  /**
   * What an edit of this file re-writes: Copilot re-renders every request, so the next turn re-writes everything
   * after the system prompt (the rest of the instructions and the conversation so far); the others keep the
   * running sessions' caches and write the new prefix at the next session.
   */
  readonly invalidates: {
    readonly when: TakesEffect;
    /** Layers written again from this file on. */
    readonly layers: readonly Layer[];
    /** Tokens of instructions from this file to the end of the harness's instruction text (the conversation adds). */
    readonly instructionTokensAfter: number;
    /** Those tokens written again at the harness model's cache-write price, USD (null when the model has none). */
    readonly writeUsd: number | null;
  };
  readonly reason: LoadReason;
  /** Per session at the harness's model: one write at its TTL, one read per further request; null when not sent. */
  readonly cost: {
    readonly model: string;
    readonly ttl: string;
    readonly requests: number;
    readonly requestsFrom: 'sessions' | 'default';
    readonly writeUsd: number;
    readonly readsUsd: number;
    readonly totalUsd: number;
  } | null;
}

/** The placements of one file (its path as AgentFile.path, or absolute) for every harness that recognises it. */
export function placementsOf(ctx: AgentContext, file: string, catalog: Catalog = loadCatalog()): FilePlacement[] {
  const out: FilePlacement[] = [];
  for (const h of ctx.harnesses) {
    const f = h.files.find((x) => x.abs === file || x.path === file);
    if (!f) continue;
    const inRequest = f.loaded === 'always' || f.loaded === 'on-match' || f.loaded === 'listing';
    const before = h.files.filter(
      (x) => x.loaded === 'always' && x.order !== null && f.order !== null && x.order < f.order,
    );
    const after = h.files.filter(
      (x) => x.loaded === 'always' && x.order !== null && f.order !== null && x.order > f.order,
    );
    const sum = (xs: readonly AgentFile[]) => xs.reduce((s, x) => s + x.tokens, 0);
    const layers = h.layers;
    const layer: Layer | null = inRequest ? (f.loaded === 'listing' ? 'system' : 'instructions') : null;
    const from = layer ? layers.indexOf(layer) : -1;
    let cost: FilePlacement['cost'] = null;
    let rewriteUsd: number | null = null;
    const m = catalog.find(h.model);
    if (inRequest && f.tokens > 0 && m.ok && h.cost) {
      const ttl = h.cost.ttl;
      const p = pricesFor(
        m.model,
        f.tokens,
        /^\d+[smhd]$/.test(ttl) && ttl !== `${m.model.cache.ttlSeconds}s` ? ttl : undefined,
      );
      const w = perTokenFromPerMTok(p.cacheWrite),
        r = perTokenFromPerMTok(p.cachedInput);
      if (w !== undefined) rewriteUsd = toUsdNumber(times(w, f.tokens + sum(after)));
      if (w !== undefined && r !== undefined) {
        const requests = h.cost.requests || DEFAULT_REQUESTS_PER_SESSION;
        const writeUsd = times(w, f.tokens);
        const readsUsd = times(r, f.tokens) * BigInt(Math.max(0, requests - 1));
        cost = {
          model: h.model,
          ttl,
          requests,
          requestsFrom: h.cost.requestsFrom,
          writeUsd: toUsdNumber(writeUsd),
          readsUsd: toUsdNumber(readsUsd),
          totalUsd: toUsdNumber(writeUsd + readsUsd),
        };
      }
    }
    out.push({
      harness: h.harness,
      displayName: h.displayName,
      path: f.path,
      kind: f.kind,
      loaded: f.loaded,
      role: f.role,
      layer,
      fixedBefore: h.fixedLayers,
      instructionTokensBefore: sum(before),
      tokens: f.tokens,
      bytesSent: f.bytesSent,
      bytesLost: f.bytesLost,
      takesEffect: f.takesEffect,
      invalidates: {
        when: f.takesEffect,
        layers: from >= 0 ? layers.slice(from) : [],
        instructionTokensAfter: f.tokens + sum(after),
        writeUsd: rewriteUsd,
      },
      reason: f.reason,
      cost,
    });
  }
  return out;
}

/** The harness rules' sources, for a hover or a report: rule name → source, date, version, confidence. */
export function harnessRuleSources(id: HarnessId) {
  return Object.entries(HARNESS_DATA[id].rules).map(([name, r]) => ({
    name,
    source: r.source,
    asOf: r.asOf,
    agentVersion: r.agentVersion,
    confidence: r.confidence,
    notes: r.notes ?? null,
  }));
}
