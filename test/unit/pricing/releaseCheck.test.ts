import assert from 'node:assert/strict';
import { findProvider } from '@pydantic/genai-prices';
import { versionOf } from '../../../src/core/pricing/modelVersion';
import { missingReleases, type SeenModel } from '../../../src/core/pricing/releaseCheck';

// "What changed at the providers": model ids seen in the price cross-check sources that belong to a family the catalog
// knows and are newer than everything it lists there. A release the catalog missed fails here.

/** Every id @pydantic/genai-prices (the pinned cross-check table) names for the providers the catalog prices. */
function genaiPricesIds(): SeenModel[] {
  const out: SeenModel[] = [];
  const equals = (m: unknown): string[] => {
    if (!m || typeof m !== 'object') return [];
    const o = m as Record<string, unknown>;
    if (typeof o.equals === 'string') return [o.equals];
    return [...(Array.isArray(o.or) ? o.or : []), ...(Array.isArray(o.and) ? o.and : [])].flatMap(equals);
  };
  for (const provider of ['openai', 'anthropic', 'google', 'deepseek', 'x-ai', 'mistral']) {
    for (const m of findProvider({ providerId: provider })?.models ?? []) {
      if (m.deprecated) continue;
      for (const id of new Set([m.id, ...equals(m.match)]))
        out.push({ id, source: `@pydantic/genai-prices 0.1.8 (${provider})` });
    }
  }
  return out;
}

/**
 * Ids named on dated stored pages of releases after the table's data (LiteLLM's release notes, the source Update
 * Prices reads; the docs corpus keeps the pages): a release there that the table does not know yet still counts.
 */
const PAGES: SeenModel[] = [
  { id: 'gpt-6.2-astra', source: 'https://github.com/BerriAI/litellm/discussions/52347 (GPT-6.2, 2026-11-17)' },
  { id: 'gpt-6.2-sol', source: 'https://github.com/BerriAI/litellm/discussions/52347 (GPT-6.2, 2026-11-17)' },
];

describe('releases the catalog has not caught up with (family check)', () => {
  it('reads a version from a model name without its date', () => {
    assert.deepEqual(versionOf('gpt-6.2-astra'), [6, 2]);
    assert.deepEqual(versionOf('claude-opus-4-8-20261001'), [4, 8]);
    assert.deepEqual(versionOf('grok-4.20-0309-reasoning'), [4, 20]);
    assert.deepEqual(versionOf('gemini-3.6-flash'), [3, 6]);
  });

  it('finds a newer release of a known family that the catalog lacks, and nothing for listed or older ids', () => {
    const found = missingReleases([
      { id: 'gpt-6.9-astra', source: 'test' },
      { id: 'claude-opus-5-9', source: 'test' },
      { id: 'gpt-6-astra-2026-09-03', source: 'test' },
      { id: 'gpt-5.1-mini', source: 'test' },
      { id: 'some-other-model-7', source: 'test' },
    ]);
    assert.deepEqual(
      found.map((m) => `${m.id} > ${m.newestListed}`),
      ['gpt-6.9-astra > gpt-6.2-astra', 'claude-opus-5-9 > claude-opus-5-5'],
    );
  });

  it('no family in @pydantic/genai-prices or in the dated release pages is newer than its newest catalog entry', () => {
    const seen = [...genaiPricesIds(), ...PAGES];
    assert.ok(seen.length > 100, `${seen.length} ids read`);
    const missing = missingReleases(seen);
    assert.deepEqual(
      missing.map((m) => `${m.id} (${m.family}; newest listed ${m.newestListed}; seen in ${m.source})`),
      [],
    );
  });
});
