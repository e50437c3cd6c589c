import assert from 'node:assert/strict';
import { analyzeVersions, renderVersion } from '../../../src/core/analysis/versions';
import { findModel, listModels } from '../../../src/core/pricing/catalog';
import { pricesFor } from '../../../src/core/pricing/cost';
import { tokenizerForModel } from '../../../src/core/pricing/modelTokenizer';
import type { ModelInfo } from '../../../src/core/pricing/types';
import { crossCheck } from './priceCrossCheck';

const model = (id: string): ModelInfo => {
  const f = findModel(id);
  if (!f.ok) throw new Error(f.message);
  return f.model;
};
const RULES = Array.from(
  { length: 600 },
  (_, i) => `Rule ${i + 1}: answer the customer politely and cite the policy.`,
).join('\n');

function report(id: string, now: number) {
  const m = model(id);
  const r = renderVersion('p.prompt.md', 'p.prompt.md', RULES, tokenizerForModel(m).tokenizer);
  if (!r.ok) throw new Error(r.message);
  return analyzeVersions(r.version, [], m, now);
}

describe('the catalog as the providers publish it now (December 2026)', () => {
  it('agrees with an independently maintained price table, or says why not, field by field', () => {
    const r = crossCheck(listModels());
    const rows = r.disagreements.map(
      (d) =>
        `  ${d.model} ${d.field}: catalog $${d.catalog}, table $${d.table}${d.explained ? ` — explained: ${d.explained.slice(0, 90)}…` : ' — UNEXPLAINED'}`,
    );
    console.log(
      `      @pydantic/genai-prices: ${r.compared.length} models compared, ${r.agreeing} figures agree, ${r.disagreements.length} differ (${r.disagreements.filter((d) => d.explained).length} explained); not in that table: ${r.notInTable.join(', ')}`,
    );
    if (rows.length) console.log(rows.join('\n'));
    assert.ok(r.compared.length >= 50, `only ${r.compared.length} models compared`);
    assert.deepEqual(
      r.disagreements.filter((d) => !d.explained),
      [],
      'every disagreement must be explained in prices.disagreements (a newer official page, a tier, a self-hosted model)',
    );
    assert.deepEqual(r.staleExplanations, [], 'an explanation for a figure that now agrees is stale: remove it');
  });

  it('lists the models released or renamed since the last refresh, and the aliases still served', () => {
    for (const id of [
      'gpt-6.2-sol',
      'gemini-3.1-pro-preview',
      'gemini-3.1-flash-lite',
      'gemini-3.5-flash',
      'gemini-3.5-flash-lite',
      'gemini-3.6-flash',
      'gemini-3.7-flash',
      'gemini-3.8-flash',
      'grok-4.3',
      'grok-4.6',
      'grok-4.7',
      'claude-fable-5',
      'claude-fable-5-2',
    ]) {
      const m = model(id);
      assert.equal(m.id, id);
      assert.equal(m.family, undefined, `${id} is listed, not assumed`);
    }
    for (const [alias, id] of [
      ['claude-sonnet-4-0', 'claude-sonnet-4'],
      ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
      ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
      ['claude-opus-4-0', 'claude-opus-4'],
      ['deepseek-v4-flash', 'deepseek-flash'],
      ['deepseek-chat', 'deepseek-flash'],
      ['gemini-3.1-flash-lite-preview', 'gemini-3.1-flash-lite'],
    ]) {
      assert.equal(model(alias).id, id, alias);
    }
    // Dated snapshots are the model they snapshot; a provider prefix is stripped first.
    assert.equal(model('gpt-6.2-sol-2026-11-17').id, 'gpt-6.2-sol');
    assert.equal(model('anthropic/claude-sonnet-5-5-20261001').id, 'claude-sonnet-5-5');
  });

  it("an unknown id of a known family gets the family's tokenizer, rules and prices, marked assumed, never exact", () => {
    const m = model('gpt-6.3-sol');
    assert.equal(m.family?.template, 'gpt-6.2-sol');
    assert.equal(m.encoding, 'o200k_base');
    assert.equal(m.prices.confidence, 'assumed');
    assert.equal(m.cache.confidence, 'assumed');
    assert.match(m.prices.source, /family rule "GPT-6\.x Sol"/);
    assert.equal(m.exactTokenizer, false);
    const r = report('gpt-6.3-sol', Date.UTC(2026, 11, 4, 12));
    assert.equal(r.tokenizer.exact, false, 'an assumed model is never exact');
    assert.ok(
      r.warnings.some(
        (w) => w.code === 'model-assumed' && /assumed from the family GPT-6\.x Sol \(gpt-6\.2-sol\)/.test(w.message),
      ),
      JSON.stringify(r.warnings),
    );
    for (const [id, template] of [
      ['openai/gpt-6.2-terra', 'gpt-6.1-terra'],
      ['gpt-6.1-luna', 'gpt-6-luna'],
      ['claude-opus-5-7', 'claude-opus-5-5'],
      ['claude-mythos-5-1', 'claude-fable-5-2'],
      ['gemini-3.9-flash', 'gemini-3.8-flash'],
      ['gemini-3.9-flash-lite', 'gemini-3.5-flash-lite'],
      ['gemini-3.2-pro-preview', 'gemini-3.1-pro-preview'],
      ['grok-4.8', 'grok-4.7'],
      ['gpt-5.7', 'gpt-5.5'],
    ]) {
      assert.equal(model(id).family?.template, template, id);
    }
    // A typo is not a family member: it gets a suggestion, not a silent guess.
    const typo = findModel('gpt-5-mni');
    assert.ok(!typo.ok && /did you mean gpt-5-mini/.test(typo.message));
    assert.ok(!findModel('qwerty-zzz').ok);
  });

  it('a scheduled price change applies from its day on, and a report before it says it is coming', () => {
    const m = model('gemini-3.8-flash');
    const before = pricesFor(m, 10_000, undefined, Date.UTC(2026, 11, 31, 23, 59));
    const after = pricesFor(m, 10_000, undefined, Date.UTC(2027, 0, 1, 0, 0));
    assert.deepEqual([before.input, before.cachedInput, before.output], ['0.75', '0.075', '3.75']);
    assert.deepEqual([after.input, after.cachedInput, after.output], ['1.5', '0.15', '7.5']);
    const now = report('gemini-3.8-flash', Date.UTC(2026, 11, 4, 12));
    assert.ok(
      now.warnings.some((w) => w.code === 'price-change' && /change on 2027-01-01: input \$1\.5/.test(w.message)),
    );
    const later = report('gemini-3.8-flash', Date.UTC(2027, 0, 5, 12));
    assert.ok(!later.warnings.some((w) => w.code === 'price-change'));
    assert.ok(
      later.cost!.uncached > now.cost!.uncached * 1.9,
      `${later.cost!.uncached} vs ${now.cost!.uncached}: the whole request at the new price`,
    );
  });

  it('every DeepSeek model is priced by time of day (official page, since 2026-08-16): off-peak is half of peak', () => {
    const ds = listModels('deepseek');
    assert.ok(ds.length >= 2);
    for (const m of ds) {
      const h = m.prices.peakHours;
      assert.ok(h, `${m.id} has peak hours`);
      assert.equal(m.prices.confidence, 'official', m.id);
      assert.equal(Number(h.offPeak.input) * 2, Number(m.prices.input), m.id);
      assert.equal(Number(h.offPeak.output) * 2, Number(m.prices.output), m.id);
      const weekdayPeak = pricesFor(m, 1000, undefined, Date.UTC(2026, 11, 2, 2, 0));
      const weekdayNight = pricesFor(m, 1000, undefined, Date.UTC(2026, 11, 2, 20, 0));
      const saturday = pricesFor(m, 1000, undefined, Date.UTC(2026, 11, 5, 2, 0));
      assert.equal(weekdayPeak.input, m.prices.input);
      assert.equal(weekdayNight.input, h.offPeak.input);
      assert.equal(saturday.input, h.offPeak.input);
    }
  });

  it('GPT-6 writes are priced (above input) and long requests re-price the whole request', () => {
    for (const m of listModels('openai').filter((x) => /^gpt-6/.test(x.id))) {
      const w = m.prices.cacheWrite;
      assert.ok(w, `${m.id} bills cache writes`);
      const write = Number(w['30m'] ?? w.default);
      assert.ok(write > Number(m.prices.input), `${m.id}: write ${write} above input ${m.prices.input}`);
    }
    const sol = model('gpt-6.2-sol');
    const short = pricesFor(sol, 272_000, '30m');
    const long = pricesFor(sol, 272_001, '30m');
    assert.deepEqual([short.input, short.cacheWrite, short.output], ['2', '2.5', '10']);
    assert.deepEqual([long.input, long.cachedInput, long.cacheWrite, long.output], ['4', '0.2', '5', '15']);
    assert.equal(pricesFor(sol, 1000, '12h').cacheWrite, '5', 'the 12-hour write class');
  });

  it("shut-down models say so, with the successor the provider names, and caching minimums are the newest page's", () => {
    const r = report('gemini-2.5-pro', Date.UTC(2026, 11, 4, 12));
    assert.ok(
      r.warnings.some(
        (w) =>
          w.code === 'retired-model' && /shut down on 2026-12-01; its successor is gemini-3\.8-flash/.test(w.message),
      ),
      JSON.stringify(r.warnings.map((w) => w.code)),
    );
    assert.equal(model('gemini-2.5-flash').retired?.successor, 'gemini-3.5-flash-lite');
    assert.equal(model('gemini-3-pro-preview').retired?.successor, 'gemini-3.1-pro-preview');
    assert.equal(model('claude-sonnet-4-5').retired?.successor, 'claude-sonnet-5-5');
    for (const id of ['gemini-2.5-pro', 'gemini-2.5-flash']) assert.equal(model(id).cache.minTokens, 2048, id);
    for (const id of [
      'gemini-3.1-pro-preview',
      'gemini-3.5-flash',
      'gemini-3.6-flash',
      'gemini-3.7-flash',
      'gemini-3.8-flash',
    ])
      assert.equal(model(id).cache.minTokens, 4096, id);
  });
});
