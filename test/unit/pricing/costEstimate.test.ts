import assert from 'node:assert/strict';
import { estimateCost, estimateJson } from '../../../src/core/pricing/costEstimate';
import { costCurve, modelView, ttlChoices } from '../../../src/core/pricing/costReport';
import { findModel } from '../../../src/core/pricing/catalog';
import { toDecimalString } from '../../../src/core/pricing/money';
import type { ModelInfo } from '../../../src/core/pricing/types';
import { getTokenizer } from '../../../src/core/tokenizer/registry';
import { ANTHROPIC, model, rendered } from '../cache/fixtures';

const usd = (m: bigint) => toDecimalString(m);
const exact = { exact: true, encoding: 'o200k_base' };
const GPT41: ModelInfo = {
  ...model('openai', { minTokens: 1024, granularity: 128, ttlSeconds: 600 }),
  prices: { input: '2', cachedInput: '0.5', output: '8', source: 'https://example.invalid', asOf: '2026-12-01' },
};

describe('cost estimate (the one function behind `kvlens cost` and the cost report)', () => {
  it('OpenAI: 2,006 tokens → 1,920 cached (15 × 128); per call, per day and per month by hand', () => {
    const e = estimateCost(GPT41, rendered({ blocks: [2006] }), exact, {
      calls: 10,
      ratePerHour: 60,
      outputTokens: 500,
    });
    assert.equal(e.cacheableTokens, 1920);
    // uncached: 2006 × $2/M + 500 × $8/M = 0.004012 + 0.004
    assert.equal(usd(e.perCall.uncached), '0.008012');
    // warm: 86 × $2/M + 1920 × $0.5/M + output = 0.000172 + 0.00096 + 0.004
    assert.equal(usd(e.perCall.warmCall), '0.005132');
    assert.equal(usd(e.perCall.firstCall), '0.008012', 'OpenAI bills no write');
    assert.equal(usd(e.perCall.output), '0.004');
    assert.equal(usd(e.savingPerWarmCall), '0.00288');
    assert.equal(e.breakEvenCalls, 1);
    // 60/h, one call a minute, within the 10-minute TTL: every call warm
    assert.equal(e.warmShare, 1);
    assert.equal(usd(e.perDay!.withoutCache), '11.53728');
    assert.equal(usd(e.perDay!.withCache), '7.39008');
    assert.equal(usd(e.perMonth!.withCache), '221.7024');
  });

  it('a share of calls within the TTL mixes warm and first calls', () => {
    const e = estimateCost(GPT41, rendered({ blocks: [2006] }), exact, {
      calls: 10,
      ratePerHour: 60,
      outputTokens: 0,
      warmShare: 0.5,
    });
    // (0.001132 + 0.004012) / 2 × 1440
    assert.equal(usd(e.perDay!.withCache), '3.70368');
  });

  it('Anthropic: a 5-minute write costs 1.25×, a 1-hour write 2×; break-even on call 2 and 3', () => {
    const p = rendered({ blocks: [3000], breakpoints: [0] });
    const five = estimateCost(ANTHROPIC, p, exact, { calls: 10, outputTokens: 0 });
    assert.equal(usd(five.perCall.uncached), '0.003');
    assert.equal(usd(five.perCall.firstCall), '0.00375');
    assert.equal(usd(five.perCall.warmCall), '0.0003');
    assert.equal(five.breakEvenCalls, 2);
    const hour = estimateCost(ANTHROPIC, p, exact, { calls: 10, outputTokens: 0, ttl: '1h' });
    assert.equal(usd(hour.perCall.firstCall), '0.006');
    assert.equal(hour.breakEvenCalls, 3);
    assert.deepEqual(
      ttlChoices(ANTHROPIC).map((c) => c.ttl),
      ['', '5m', '1h'],
    );
  });

  it('Gemini explicit cache: storage per token-hour is added to the day', () => {
    const gem = {
      ...model('google', { minTokens: 1024, granularity: 1, ttlSeconds: 3600 }),
      prices: {
        input: '1',
        cachedInput: '0.1',
        output: '4',
        storagePerHour: '4.5',
        source: 'https://example.invalid',
        asOf: '2026-12-01',
      },
    };
    const p = rendered({ blocks: [10000] });
    const implicit = estimateCost(gem, p, exact, { calls: 10, ratePerHour: 60, outputTokens: 0 });
    const explicit = estimateCost(gem, p, exact, { calls: 10, ratePerHour: 60, outputTokens: 0, explicitCache: true });
    // 10,000 tokens × $4.5 per million per hour × 24 h = $1.08 a day
    assert.equal(usd(explicit.perDay!.withCache - implicit.perDay!.withCache), '1.08');
  });

  it('below the minimum: nothing cached, a warm call costs what an uncached one does, never breaks even, and says why', () => {
    const e = estimateCost(GPT41, rendered({ blocks: [900] }), exact, { calls: 10, ratePerHour: 60, outputTokens: 0 });
    assert.equal(e.cacheableTokens, 0);
    assert.equal(e.perCall.warmCall, e.perCall.uncached);
    assert.equal(e.breakEvenCalls, null);
    assert.equal(e.perDay!.withCache, e.perDay!.withoutCache);
    assert.ok(
      e.notes.some((n) => /only from 1024 tokens/.test(n)),
      e.notes.join(' | '),
    );
  });

  it('an estimated token count carries its error band into the report', () => {
    const claude = (findModel('claude-sonnet-4-5') as { model: ModelInfo }).model;
    const t = getTokenizer('claude_estimate')!;
    const v = modelView(claude, rendered({ blocks: [3000], breakpoints: [0], exact: false }), t, false, {
      calls: 10,
      ratePerHour: 12,
      outputTokens: 100,
    });
    // The measured band of Claude ≤ 4.6 text requests (tokenizer/estimate/claude.ts).
    assert.equal(v.errorBand, 0.1);
    assert.equal(
      estimateJson(
        estimateCost(
          claude,
          rendered({ blocks: [3000], exact: false }),
          { exact: false, encoding: t.encoding, band: 0.25 },
          { calls: 1, outputTokens: 0 },
        ),
        {
          calls: 1,
          outputTokens: 0,
        },
      ).tokenizer.errorBand,
      0.25,
    );
  });

  it('the chart curve: without the cache grows by an uncached call, with it by a warm one after the first', () => {
    const e = estimateCost(GPT41, rendered({ blocks: [2006] }), exact, { calls: 10, outputTokens: 0 });
    const c = costCurve(e);
    assert.equal(c.calls[0], 0);
    assert.equal(c.withCache[0], 0);
    const k = c.calls[1];
    assert.ok(Math.abs(c.withoutCache[1] - k * 0.004012) < 1e-12);
    assert.ok(Math.abs(c.withCache[1] - (0.004012 + (k - 1) * 0.001132)) < 1e-12);
  });
});
