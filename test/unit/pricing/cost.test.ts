import assert from 'node:assert/strict';
import { findModel } from '../../../src/core/pricing/catalog';
import { cacheableTokens, costOfRequest, costSeries, pricesFor } from '../../../src/core/pricing/cost';
import { toDecimalString } from '../../../src/core/pricing/money';
import type { ModelInfo } from '../../../src/core/pricing/types';
import { documentReport } from '../../../src/core/analysis/documentReport';
import { estimateCost } from '../../../src/core/pricing/costEstimate';
import { loadCatalog } from '../../../src/core/pricing/catalog';
import { getTokenizer } from '../../../src/core/tokenizer/registry';

const model = (id: string): ModelInfo => {
  const f = findModel(id);
  assert.ok(f.ok, id);
  return f.model;
};
const usd = (m: bigint) => toDecimalString(m);

describe('pricing/cost', () => {
  it('time-of-day prices (DeepSeek Flash): the listed price in the peak windows, half off-peak and at weekends', () => {
    const m = model('deepseek-flash');
    const tuesday = (h: number, min = 0) => Date.UTC(2026, 11, 1, h, min);
    const cost = (at?: number) =>
      usd(
        costOfRequest({ model: m, inputTokens: 1_000_000, cachedTokens: 500_000, outputTokens: 1_000_000, at }).total,
      );
    assert.equal(
      cost(tuesday(2)),
      usd(costOfRequest({ model: m, inputTokens: 1_000_000, cachedTokens: 500_000, outputTokens: 1_000_000 }).total),
      'peak = the listed prices (also when no time is given)',
    );
    assert.equal(cost(tuesday(2)), '1.353'); // 0.5M × $0.30 + 0.5M × $0.006 + 1M × $1.20
    assert.equal(cost(tuesday(12)), '0.6765');
    assert.equal(cost(tuesday(3, 59)), '1.353');
    assert.equal(cost(tuesday(4)), '0.6765', 'windows end before their last minute');
    assert.equal(cost(Date.UTC(2026, 11, 5, 2)), '0.6765', 'a Saturday is off-peak');
    // The editor's report is priced at the time it is made, and says so.
    const text = 'Answer from the handbook. '.repeat(400);
    const at = (now: number) =>
      documentReport({
        text,
        fileName: 'p.md',
        model: m,
        tokenizer: getTokenizer('o200k_base')!,
        baseline: { kind: 'steady', label: 'steady' },
        now,
      });
    const peak = at(tuesday(2)),
      off = at(tuesday(12));
    assert.ok(peak.ok && off.ok);
    assert.ok(Math.abs(peak.value.report.cost!.uncached - 2 * off.value.report.cost!.uncached) < 1e-12);
    assert.match(
      peak.value.report.warnings.find((w) => w.code === 'time-of-day-price')!.message,
      /01:00–04:00 and 06:00–10:00 UTC on weekdays.*02:00 UTC \(peak\)/,
    );
    assert.match(
      off.value.report.warnings.find((w) => w.code === 'time-of-day-price')!.message,
      /12:00 UTC \(off-peak\)/,
    );
    // The cost estimate, which has no time, uses the peak rates and says what off-peak costs.
    const est = estimateCost(
      m,
      peak.value.rendered,
      { exact: false, encoding: 'o200k_base' },
      { calls: 1, outputTokens: 0 },
    );
    assert.ok(
      est.notes.some((n) =>
        /peak-hour rates \(01:00–04:00 and 06:00–10:00 UTC on weekdays\); off-peak input \$0\.15, cached \$0\.003, output \$0\.6/.test(
          n,
        ),
      ),
      est.notes.join('\n'),
    );
    // A user catalog's windows are checked.
    const bad = loadCatalog([
      {
        file: 'mine.json',
        text: JSON.stringify({
          models: [
            {
              id: 'deepseek-flash',
              prices: { peakHours: { utc: [['10:00', '09:00']], days: 'sometimes', offPeak: { input: 1 } } },
            },
          ],
        }),
      },
    ]);
    const paths = bad.issues.map((i) => i.path);
    for (const want of [
      'models[0].prices.peakHours.utc',
      'models[0].prices.peakHours.days',
      'models[0].prices.peakHours.offPeak.input',
    ])
      assert.ok(paths.includes(want), paths.join(', '));
  });

  it('Anthropic: a 5m write costs 1.25× input, 1h 2×, a read 0.1×', () => {
    const m = model('claude-sonnet-4-5');
    assert.equal(usd(costOfRequest({ model: m, inputTokens: 10_000 }).total), '0.03');
    assert.equal(
      usd(costOfRequest({ model: m, inputTokens: 10_000, cacheWriteTokens: 10_000, ttl: '5m' }).total),
      '0.0375',
    );
    assert.equal(
      usd(costOfRequest({ model: m, inputTokens: 10_000, cacheWriteTokens: 10_000, ttl: '1h' }).total),
      '0.06',
    );
    assert.equal(usd(costOfRequest({ model: m, inputTokens: 10_000, cachedTokens: 10_000 }).total), '0.003');
  });

  for (const [id, discount] of [
    ['gpt-4o', 50],
    ['gpt-4.1', 75],
    ['gpt-5', 90],
  ] as const) {
    it(`OpenAI ${id}: cached input is ${discount}% off`, () => {
      const m = model(id);
      const full = costOfRequest({ model: m, inputTokens: 1_000_000 }).total;
      const cached = costOfRequest({ model: m, inputTokens: 1_000_000, cachedTokens: 1_000_000 }).total;
      assert.equal(cached * 100n, full * BigInt(100 - discount));
    });
  }

  it('bills cached, written and plain input tokens separately, plus output', () => {
    const c = costOfRequest({
      model: model('claude-haiku-4-5'),
      inputTokens: 6000,
      cachedTokens: 4000,
      cacheWriteTokens: 1000,
      outputTokens: 200,
    });
    assert.equal(usd(c.input), '0.001'); // 1000 × $1/MTok
    assert.equal(usd(c.cachedInput), '0.0004'); // 4000 × $0.10
    assert.equal(usd(c.cacheWrite), '0.00125'); // 1000 × $1.25
    assert.equal(usd(c.output), '0.001'); // 200 × $5
    assert.equal(usd(c.total), '0.00365');
  });

  it('selects the long-context tier above the threshold', () => {
    const m = model('claude-sonnet-4-5');
    assert.equal(pricesFor(m, 200_000).input, '3');
    assert.equal(pricesFor(m, 200_001).input, '6');
    assert.equal(pricesFor(m, 250_000, '5m').cacheWrite, '7.5');
    assert.equal(usd(costOfRequest({ model: m, inputTokens: 250_000, outputTokens: 1000 }).total), '1.5225');
  });

  it('rounds the cacheable prefix to the provider granularity', () => {
    assert.equal(cacheableTokens(model('gpt-5'), 1023), 0);
    assert.equal(cacheableTokens(model('gpt-5'), 1024), 1024);
    assert.equal(cacheableTokens(model('gpt-5'), 2400), 2304);
    assert.equal(cacheableTokens(model('deepseek-v4-flash'), 100), 64);
    assert.equal(cacheableTokens(model('vllm'), 40), 32);
    assert.equal(cacheableTokens(model('sglang'), 41), 41);
  });

  it('break-even: Anthropic pays back its 5m write on call 2, its 1h write on call 3, OpenAI at once', () => {
    const s = model('claude-sonnet-4-5');
    assert.equal(costSeries({ model: s, tokens: 10_000, calls: 10 }).breakEvenCalls, 2);
    assert.equal(costSeries({ model: s, tokens: 10_000, calls: 10, ttl: '1h' }).breakEvenCalls, 3);
    assert.equal(costSeries({ model: model('gpt-5'), tokens: 10_000, calls: 10 }).breakEvenCalls, 1);
    // a provider with no cached discount never pays back
    assert.equal(costSeries({ model: model('gpt-3.5-turbo'), tokens: 10_000, calls: 10 }).breakEvenCalls, null);
    assert.equal(
      costSeries({ model: model('mistral-large-3'), tokens: 10_000, calls: 10 }).breakEvenCalls,
      1,
      'Mistral bills cached tokens at 10 % of input',
    );
    // below the minimum nothing is cached
    assert.equal(costSeries({ model: model('gemini-2.5-pro'), tokens: 1500, calls: 10 }).breakEvenCalls, null);
  });

  it('series: within the TTL one write serves every call', () => {
    const r = costSeries({
      model: model('claude-sonnet-4-5'),
      tokens: 10_000,
      calls: 10,
      ratePerHour: 60,
      outputTokens: 100,
    });
    assert.equal(r.writes, 1);
    // 1 × (0.0375 + 0.0015) + 9 × (0.003 + 0.0015) vs 10 × (0.03 + 0.0015)
    assert.equal(usd(r.totalWithCache), '0.0795');
    assert.equal(usd(r.totalWithoutCache), '0.315');
    assert.equal(r.savingsPercent, 74.8);
  });

  it('series: calls further apart than the TTL re-write the cache every time and never break even', () => {
    const r = costSeries({ model: model('claude-sonnet-4-5'), tokens: 10_000, calls: 10, ratePerHour: 6 }); // every 10 min > 5 min
    assert.equal(r.writes, 10);
    assert.equal(r.breakEvenCalls, null);
    assert.ok(r.totalWithCache > r.totalWithoutCache);
    assert.equal(r.savingsPercent, -25);
    const h = costSeries({ model: model('claude-sonnet-4-5'), tokens: 10_000, calls: 10, ratePerHour: 6, ttl: '1h' });
    assert.equal(h.writes, 1);
  });

  it('adds explicit-cache storage for Gemini when asked', () => {
    const m = model('gemini-2.5-pro');
    const without = costSeries({ model: m, tokens: 100_000, calls: 2, ratePerHour: 1 });
    const withStorage = costSeries({ model: m, tokens: 100_000, calls: 2, ratePerHour: 1, explicitCacheStorage: true });
    // cache lives from the first call to one TTL (1 h) after the second: 2 h × 100k tokens × $4.50/MTok-h = $0.90
    assert.equal(usd(withStorage.storage), '0.9');
    assert.equal(withStorage.totalWithCache - without.totalWithCache, withStorage.storage);
  });
});
