import assert from 'node:assert/strict';
import { Simulator } from '../../../src/core/cache/simulator';
import { POLICIES } from '../../../src/core/cache/policies/index';
import { steppedHit, wholeBlocks } from '../../../src/core/cache/policies/prefixSteps';
import { findModel } from '../../../src/core/pricing/catalog';
import type { ModelInfo } from '../../../src/core/pricing/types';
import { ANTHROPIC, MIN, model, OPENAI, rendered, T0 } from './fixtures';

const codes = (r: { warnings: readonly { code: string }[] }) => r.warnings.map((w) => w.code);

/** Sends `first` at T0, then analyzes `second` at T0 + `after` ms. */
function twice(m: typeof OPENAI, first: ReturnType<typeof rendered>, second: ReturnType<typeof rendered>, after = MIN) {
  const sim = new Simulator();
  const r1 = sim.request(first, m, T0);
  return { r1, r2: sim.request(second, m, T0 + after), sim };
}

describe('cache policies', () => {
  it('every policy carries sources with a URL, a date and what it says', () => {
    for (const [name, p] of Object.entries(POLICIES)) {
      assert.ok(p.sources && p.sources.length > 0, name);
      for (const s of p.sources!) {
        assert.match(s.url, /^https:\/\//, name);
        assert.match(s.asOf, /^\d{4}-\d{2}-\d{2}$/, name);
        assert.ok(s.says.length > 20, name);
      }
    }
  });

  describe('step arithmetic', () => {
    it('steppedHit: nothing below the minimum, then minimum + whole steps', () => {
      assert.equal(steppedHit(1023, 1024, 128), 0);
      assert.equal(steppedHit(1024, 1024, 128), 1024);
      assert.equal(steppedHit(1151, 1024, 128), 1024);
      assert.equal(steppedHit(1152, 1024, 128), 1152);
      assert.equal(steppedHit(2006, 1024, 128), 1920);
      assert.equal(steppedHit(37, 0, 1), 37);
    });
    it('wholeBlocks rounds down to the block', () => {
      assert.equal(wholeBlocks(15, 16), 0);
      assert.equal(wholeBlocks(16, 16), 16);
      assert.equal(wholeBlocks(99, 16), 96);
    });
  });

  describe('openai', () => {
    it('documented example: a 2006-token prompt sent again reads 1920 cached tokens', () => {
      const p = rendered({ blocks: [2006] });
      const { r1, r2 } = twice(OPENAI, p, p);
      assert.equal(r1.cachedTokens, 0);
      assert.equal(r2.cachedTokens, 1920);
      assert.equal(r2.reusablePrefixTokens, 2006);
      assert.equal(r2.cacheWriteTokens, 0);
      assert.equal(r2.uncachedTokens, 86);
      assert.equal(r2.firstDivergence, null);
    });
    it('exact minimum caches, one below caches nothing and says so', () => {
      const at = rendered({ blocks: [1024] });
      assert.equal(twice(OPENAI, at, at).r2.cachedTokens, 1024);
      const below = rendered({ blocks: [1023] });
      const { r2 } = twice(OPENAI, below, below);
      assert.equal(r2.cachedTokens, 0);
      assert.ok(codes(r2).includes('below-minimum'));
    });
    it('hits come in 128-token steps from the divergence down', () => {
      const base = rendered({ blocks: [3000] });
      for (const [divergeAt, expected] of [
        [1151, 1024],
        [1152, 1152],
        [1153, 1152],
        [1279, 1152],
        [1280, 1280],
        [1023, 0],
      ] as const) {
        const { r2 } = twice(OPENAI, base, rendered({ blocks: [3000], change: { [divergeAt]: 7 } }));
        assert.equal(r2.reusablePrefixTokens, divergeAt, `diverge at ${divergeAt}`);
        assert.equal(r2.cachedTokens, expected, `diverge at ${divergeAt}`);
        assert.equal(r2.firstDivergence?.token, divergeAt);
      }
    });
    it('in-memory TTL: a hit one second before expiry, a miss one second after', () => {
      const p = rendered({ blocks: [2048] });
      assert.equal(twice(OPENAI, p, p, 599_000).r2.cachedTokens, 2048);
      const late = twice(OPENAI, p, p, 601_000).r2;
      assert.equal(late.cachedTokens, 0);
      assert.ok(codes(late).includes('expired'));
    });
    it('a model with a cache-write price bills the written tail', () => {
      const m = model(
        'openai',
        { minTokens: 1024, granularity: 128 },
        {
          prices: {
            input: '1',
            cachedInput: '0.1',
            output: '4',
            cacheWrite: { default: '1.25' },
            source: 'https://example.invalid',
            asOf: '2026-12-01',
          },
        },
      );
      const p = rendered({ blocks: [2006] });
      const { r1, r2 } = twice(m, p, p);
      assert.equal(r1.cacheWriteTokens, 2006);
      assert.equal(r2.cacheWriteTokens, 86);
    });
  });

  describe('anthropic', () => {
    it('no breakpoint and no automatic caching: nothing cached, and KV Lens says why', () => {
      const p = rendered({ blocks: [2000, 100] });
      const { r2 } = twice(ANTHROPIC, p, p);
      assert.equal(r2.cachedTokens, 0);
      assert.equal(r2.cacheWriteTokens, 0);
      assert.ok(codes(r2).includes('no-breakpoint'));
    });
    it('a breakpoint writes at 1.25× then reads at 0.1×', () => {
      const p = rendered({ blocks: [2000, 100], breakpoints: [0] });
      const { r1, r2 } = twice(ANTHROPIC, p, p);
      assert.equal(r1.cacheWriteTokens, 2000);
      assert.equal(r1.cachedTokens, 0);
      assert.equal(r1.uncachedTokens, 100);
      assert.equal(r2.cachedTokens, 2000);
      assert.equal(r2.cacheWriteTokens, 0);
      // USD per MTok in the fixture: input 1, read 0.1, 5m write 1.25
      assert.deepEqual(r1.cost, { currency: 'USD', uncached: 0.0021, withCache: 0.0026, savingsPercent: -23.8 });
      assert.deepEqual(r2.cost, { currency: 'USD', uncached: 0.0021, withCache: 0.0003, savingsPercent: 85.7 });
    });
    it('over 4 breakpoints is an error the API returns; automatic caching uses a slot', () => {
      const five = rendered({ blocks: [300, 300, 300, 300, 300, 300], breakpoints: [0, 1, 2, 3, 4] });
      const r = new Simulator().request(five, ANTHROPIC, T0);
      assert.deepEqual(codes(r), ['too-many-breakpoints']);
      assert.equal(r.cacheWriteTokens, 0);
      const four = rendered({ blocks: [1100, 300, 300, 300, 300], breakpoints: [0, 1, 2, 3] });
      assert.ok(!codes(new Simulator().request(four, ANTHROPIC, T0)).includes('too-many-breakpoints'));
      const fourPlusAuto = rendered({ blocks: [1100, 300, 300, 300, 300], breakpoints: [0, 1, 2, 3], automatic: true });
      assert.ok(codes(new Simulator().request(fourPlusAuto, ANTHROPIC, T0)).includes('too-many-breakpoints'));
    });
    it('exact minimum is written; one token below is silently skipped by the API and flagged here', () => {
      const at = rendered({ blocks: [1024, 50], breakpoints: [0] });
      const r = twice(ANTHROPIC, at, at);
      assert.equal(r.r1.cacheWriteTokens, 1024);
      assert.equal(r.r2.cachedTokens, 1024);
      const below = rendered({ blocks: [1023, 50], breakpoints: [0] });
      const b = twice(ANTHROPIC, below, below);
      assert.equal(b.r1.cacheWriteTokens, 0);
      assert.equal(b.r2.cachedTokens, 0);
      assert.ok(codes(b.r2).includes('below-minimum'));
    });
    it('automatic caching puts the breakpoint on the last block and moves with the conversation', () => {
      const turn1 = rendered({ blocks: [1500, 100], automatic: true });
      const turn2 = rendered({ blocks: [1500, 100, 80, 60], automatic: true });
      const { r1, r2 } = twice(ANTHROPIC, turn1, turn2);
      assert.equal(r1.cacheWriteTokens, 1600);
      assert.equal(r2.cachedTokens, 1600);
      assert.equal(r2.cacheWriteTokens, 140);
      assert.equal(r2.firstDivergence, null);
    });
    it('lookback: an entry 20 block boundaries back is read, 21 back is written again', () => {
      // 40 blocks of 110 tokens; the first request caches the prefix up to block 9 (1100 tokens).
      const blocks = Array(40).fill(110);
      const first = rendered({ blocks, breakpoints: [9] });
      const within = twice(ANTHROPIC, first, rendered({ blocks, breakpoints: [28] })).r2; // ends of blocks 28..9
      assert.equal(within.cachedTokens, 1100);
      assert.equal(within.cacheWriteTokens, 29 * 110 - 1100);
      const beyond = twice(ANTHROPIC, first, rendered({ blocks, breakpoints: [29] })).r2; // ends of blocks 29..10
      assert.equal(beyond.cachedTokens, 0);
      assert.equal(beyond.cacheWriteTokens, 30 * 110);
      assert.ok(codes(beyond).includes('lookback-exceeded'));
      const fixed = twice(ANTHROPIC, first, rendered({ blocks, breakpoints: [15, 29] })).r2;
      assert.equal(fixed.cachedTokens, 1100);
    });
    it('5-minute TTL: expires one second after 5 min; a hit refreshes it', () => {
      const p = rendered({ blocks: [2000, 10], breakpoints: [0] });
      assert.equal(twice(ANTHROPIC, p, p, 5 * MIN - 1000).r2.cachedTokens, 2000);
      assert.equal(twice(ANTHROPIC, p, p, 5 * MIN + 1000).r2.cachedTokens, 0);
      const sim = new Simulator();
      sim.request(p, ANTHROPIC, T0);
      assert.equal(sim.request(p, ANTHROPIC, T0 + 4 * MIN).cachedTokens, 2000);
      assert.equal(sim.request(p, ANTHROPIC, T0 + 8 * MIN).cachedTokens, 2000, 'refreshed at 4 min, alive at 8');
      assert.equal(sim.analyze(p, ANTHROPIC, T0 + 13 * MIN + 1000).cachedTokens, 0);
    });
    it('1-hour TTL entries outlive 5 minutes and their writes are split by TTL', () => {
      const p = rendered({ blocks: [2000, 10], breakpoints: [0], ttl: '1h' });
      const { r1, r2 } = twice(ANTHROPIC, p, p, 59 * MIN);
      assert.equal(r1.cacheWriteTokens, 2000);
      assert.equal(r1.cost?.withCache, 0.00401); // 2000 × $2 (1h write) + 10 × $1, per MTok
      assert.equal(r2.cachedTokens, 2000);
      // A 1h system block then a 5m message block: each written part at its own price.
      const mixed = new Simulator().request(
        rendered({ blocks: [2000, 1000, 10], breakpoints: [0, 1], ttl: '1h' }),
        ANTHROPIC,
        T0,
      );
      assert.equal(mixed.cacheWriteTokens, 3000);
      const two = rendered({ blocks: [2000, 1000, 10], breakpoints: [0], ttl: '1h' });
      const twoTtl = { ...two, breakpoints: [...two.breakpoints, { token: 3000, block: 1, ttl: '5m' as const }] };
      assert.equal(new Simulator().request(twoTtl, ANTHROPIC, T0).cost?.withCache, 0.00526); // 2000×2 + 1000×1.25 + 10×1
    });
    it('an edit in the system block invalidates every later breakpoint (tools → system → messages)', () => {
      const v1 = rendered({ blocks: [1200, 1500, 300], breakpoints: [0, 1, 2] });
      const v2 = rendered({ blocks: [1200, 1500, 300], breakpoints: [0, 1, 2], change: { 1300: 5 } });
      const { r2 } = twice(ANTHROPIC, v1, v2);
      assert.equal(r2.cachedTokens, 1200);
      assert.equal(r2.cacheWriteTokens, 1800);
      assert.deepEqual(
        r2.blocks.map((b) => b.status),
        ['cached', 'uncached', 'uncached'],
      );
      assert.equal(r2.firstDivergence?.token, 1300);
    });
  });

  describe('google', () => {
    const GEMINI = model('google', { minTokens: 2048, granularity: 1, ttlSeconds: 3600 });
    it('implicit caching from the exact minimum, nothing one below', () => {
      const at = rendered({ blocks: [2048] });
      assert.equal(twice(GEMINI, at, at).r2.cachedTokens, 2048);
      const below = rendered({ blocks: [2047] });
      const r = twice(GEMINI, below, below).r2;
      assert.equal(r.cachedTokens, 0);
      assert.ok(codes(r).includes('below-minimum'));
    });
    it('an explicit cache (breakpoint) is read whole by a later prompt that starts with it', () => {
      const first = rendered({ blocks: [3000, 100], breakpoints: [0] });
      const later = rendered({ blocks: [3000, 100], change: { 3050: 9 } });
      const r = twice(GEMINI, first, later, 59 * MIN).r2;
      assert.equal(r.cachedTokens, 3050);
      assert.equal(twice(GEMINI, first, later, 61 * MIN).r2.cachedTokens, 0);
    });
  });

  describe('deepseek', () => {
    const DEEPSEEK = model('deepseek', { minTokens: 64, granularity: 64, ttlSeconds: 3600 });
    it('A+B then A+C reads whole units of A; the common prefix A becomes a unit for A+D', () => {
      const sim = new Simulator();
      sim.request(rendered({ blocks: [1000, 200] }), DEEPSEEK, T0);
      const r2 = sim.request(rendered({ blocks: [1000, 200], change: { 1000: 11 } }), DEEPSEEK, T0 + MIN);
      assert.equal(r2.cachedTokens, 960);
      const r3 = sim.request(rendered({ blocks: [1000, 200], change: { 1000: 12 } }), DEEPSEEK, T0 + 2 * MIN);
      assert.equal(r3.cachedTokens, 1000);
    });
    it('a multi-turn request hits the whole previous request (unit at the end of the input)', () => {
      const r = twice(DEEPSEEK, rendered({ blocks: [130] }), rendered({ blocks: [130, 40] })).r2;
      assert.equal(r.cachedTokens, 130);
    });
    it('below the 64-token unit nothing is cached', () => {
      const p = rendered({ blocks: [63] });
      assert.equal(twice(DEEPSEEK, p, p).r2.cachedTokens, 0);
    });
  });

  describe('vllm and sglang', () => {
    const VLLM = model('vllm', { granularity: 16, ttlSeconds: 0 });
    const SGLANG = model('sglang', { granularity: 1, ttlSeconds: 0 });
    it('vLLM reads whole 16-token blocks and always recomputes the last token', () => {
      for (const [n, expected] of [
        [100, 96],
        [97, 96],
        [96, 80],
        [16, 0],
        [17, 16],
      ] as const) {
        const p = rendered({ blocks: [n] });
        assert.equal(twice(VLLM, p, p).r2.cachedTokens, expected, `n=${n}`);
      }
      const r = twice(VLLM, rendered({ blocks: [200] }), rendered({ blocks: [200], change: { 40: 3 } })).r2;
      assert.equal(r.cachedTokens, 32);
    });
    it('vLLM block size comes from the model (32)', () => {
      const p = rendered({ blocks: [100] });
      assert.equal(twice(model('vllm', { granularity: 32, ttlSeconds: 0 }), p, p).r2.cachedTokens, 96);
      assert.equal(
        twice(model('vllm', { granularity: 32, ttlSeconds: 0 }), p, rendered({ blocks: [100], change: { 63: 1 } })).r2
          .cachedTokens,
        32,
      );
    });
    it('SGLang matches at token level (page size 1) and pages when configured', () => {
      const p = rendered({ blocks: [100] });
      assert.equal(twice(SGLANG, p, rendered({ blocks: [100], change: { 41: 3 } })).r2.cachedTokens, 41);
      assert.equal(twice(SGLANG, p, p).r2.cachedTokens, 99);
      assert.equal(
        twice(model('sglang', { granularity: 8, ttlSeconds: 0 }), p, rendered({ blocks: [100], change: { 41: 3 } })).r2
          .cachedTokens,
        40,
      );
    });
    it('no TTL: entries stay until evicted', () => {
      const p = rendered({ blocks: [100] });
      assert.equal(twice(SGLANG, p, p, 30 * 24 * 60 * MIN).r2.cachedTokens, 99);
    });
  });

  describe('xai and mistral', () => {
    it('automatic prefix caching with the catalog minimum and step', () => {
      const XAI = model('xai', { minTokens: 128, granularity: 128, ttlSeconds: 600 });
      const p = rendered({ blocks: [1000] });
      assert.equal(twice(XAI, p, p).r2.cachedTokens, 896);
      const MISTRAL = model('mistral', { minTokens: 0, granularity: 1, ttlSeconds: 300 });
      assert.equal(twice(MISTRAL, p, rendered({ blocks: [1000], change: { 555: 1 } })).r2.cachedTokens, 555);
    });
  });

  describe("documented examples, with the catalog's own models", () => {
    const catalogModel = (id: string) => (findModel(id) as { model: ModelInfo }).model;
    it('xAI Usage & Pricing: turns of 50, 120 and 200 prompt tokens read 0, 50 and 120 cached tokens', () => {
      const grok = catalogModel('grok-4-1-fast-reasoning');
      const sim = new Simulator();
      const turn = (n: number) => rendered({ blocks: [n] });
      assert.deepEqual(
        [50, 120, 200].map((n, i) => sim.request(turn(n), grok, T0 + i * 1000).cachedTokens),
        [0, 50, 120],
      );
    });
    it('Mistral: cached in 64-token blocks, nothing under 64 tokens, billed at 10 % of input', () => {
      const large = catalogModel('mistral-large-3');
      const p = rendered({ blocks: [1000] });
      const r = twice(large, p, p).r2;
      assert.equal(r.cachedTokens, 960);
      assert.equal(twice(large, rendered({ blocks: [63] }), rendered({ blocks: [63] })).r2.cachedTokens, 0);
      assert.equal(Number(large.prices.cachedInput), Number(large.prices.input) / 10);
    });
  });

  it('an unknown policy caches nothing and says so', () => {
    const p = rendered({ blocks: [3000] });
    const r = twice(model('nope'), p, p).r2;
    assert.equal(r.cachedTokens, 0);
    assert.ok(codes(r).includes('unknown-policy'));
  });
});
