import assert from 'node:assert/strict';
import { POLICIES } from '../../../src/core/cache/policies/index';
import { findModel, listModels, loadCatalog, validateBuiltin } from '../../../src/core/pricing/catalog';

const PROVIDERS = ['openai', 'anthropic', 'google', 'deepseek', 'xai', 'mistral', 'vllm', 'sglang'];

describe('pricing/catalog', () => {
  it('the bundled catalog is valid and every figure group has a source, a date and a confidence that fit together', () => {
    assert.deepEqual(validateBuiltin(), []);
    for (const m of listModels()) {
      for (const [group, g] of [
        ['prices', m.prices],
        ['cache', m.cache],
      ] as const) {
        const at = `${m.id}.${group}`;
        assert.ok(
          g.confidence && ['official', 'third-party', 'assumed'].includes(g.confidence),
          `${at}: confidence ${g.confidence}`,
        );
        assert.match(g.asOf, /^20\d\d(-\d\d(-\d\d)?)?$/, at);
        // Only a figure seen on the provider's page names that page as its source; an assumed one says it was not seen.
        if (g.confidence === 'official') assert.match(g.source, /^https:\/\//, at);
        if (g.confidence === 'assumed' && group === 'prices' && m.prices.input !== '0')
          assert.match(g.source, /^(memory of|not seen in a stored copy of) /, at);
        if (g.confidence === 'third-party')
          assert.doesNotMatch(
            g.source,
            /^https:\/\/(developers\.openai\.com|platform\.claude\.com|ai\.google\.dev|api-docs\.deepseek\.com|docs\.x\.ai|mistral\.ai)\//,
            `${at}: a third-party figure names the third party`,
          );
      }
      if (m.retired) assert.match(m.retired.on, /^20\d\d-\d\d-\d\d$/, m.id);
      if (m.cache.minTokensReported) assert.ok(m.cache.minTokensReported.tokens > m.cache.minTokens, m.id);
      assert.ok(Object.hasOwn(POLICIES, m.cache.policy), `${m.id}: policy ${m.cache.policy} has no module`);
    }
  });

  it('covers every provider, with ids and aliases that do not collide', () => {
    for (const p of PROVIDERS) assert.ok(listModels(p).length > 0, p);
    const seen = new Set<string>();
    for (const m of listModels())
      for (const name of [m.id, ...(m.aliases ?? [])]) {
        assert.ok(!seen.has(name.toLowerCase()), `duplicate ${name}`);
        seen.add(name.toLowerCase());
      }
  });

  it('Anthropic entries carry the documented multipliers (write 1.25×/2×, read 0.1× except where noted)', () => {
    for (const m of listModels('anthropic')) {
      const i = Number(m.prices.input);
      assert.equal(Number(m.prices.cacheWrite!['5m']), i * 1.25, m.id);
      assert.equal(Number(m.prices.cacheWrite!['1h']), i * 2, m.id);
      assert.equal(m.cache.maxBreakpoints, 4);
      assert.equal(m.cache.lookbackBlocks, 20);
    }
  });

  it('finds models by id or alias, case-insensitively', () => {
    const f = findModel('Claude-Sonnet-4-5-20250929');
    assert.ok(f.ok && f.model.id === 'claude-sonnet-4-5');
    const d = findModel('deepseek-chat');
    assert.ok(d.ok && d.model.id === 'deepseek-flash', 'the retired V4 Flash name is served as deepseek-flash');
  });

  it('suggests close ids for an unknown model', () => {
    const f = findModel('gpt-5-mni');
    assert.ok(!f.ok);
    assert.equal(f.suggestions[0], 'gpt-5-mini');
    assert.match(f.message, /^unknown model "gpt-5-mni"; did you mean gpt-5-mini/);
    const g = findModel('qwerty-zzz');
    assert.ok(!g.ok);
    assert.deepEqual(g.suggestions, []);
  });

  it('a user catalog overrides fields of a known model and adds new ones', () => {
    const text = `{
      // comments are fine
      "models": [
        { "id": "GPT-5", "prices": { "input": "1.00", "asOf": "2027-01-01" } },
        { "id": "my-llama", "provider": "vllm", "displayName": "My Llama", "encoding": "o200k_base", "exactTokenizer": false,
          "contextWindow": 32768,
          "prices": { "source": "https://example.com/gpu", "asOf": "2026-12-01", "input": "0.05", "output": "0.1" },
          "cache": { "source": "https://docs.vllm.ai", "asOf": "2026-12-01", "policy": "vllm", "minTokens": 16, "granularity": 16, "ttlSeconds": 3600 } },
      ]
    }`;
    const c = loadCatalog([{ file: 'mine.json', text }]);
    assert.deepEqual(c.issues, []);
    const g = c.find('gpt-5');
    assert.ok(g.ok);
    assert.equal(g.model.prices.input, '1.00');
    assert.equal(g.model.prices.output, '10'); // untouched fields stay
    assert.equal(g.model.origin, 'mine.json');
    const l = c.find('my-llama');
    assert.ok(l.ok && l.model.origin === 'mine.json');
    assert.equal(
      findModel('gpt-5').ok && (findModel('gpt-5') as { model: { prices: { input: string } } }).model.prices.input,
      '1.25',
    ); // bundled unchanged
  });

  it('reports user-catalog errors naming the file and the field, and keeps the rest', () => {
    const text = JSON.stringify({
      models: [
        { id: 'gpt-5', prices: { input: 1.25 } },
        { id: 'new-model', provider: 'openai' },
        { id: 'claude-haiku-4-5', cache: { minTokens: -1 } },
        { id: 'gpt-4o', prices: { cachedInput: '0.5' } },
      ],
    });
    const c = loadCatalog([{ file: 'bad.json', text }]);
    const paths = c.issues.map((i) => `${i.file} ${i.path}`);
    assert.ok(paths.includes('bad.json models[0].prices.input'), paths.join('\n'));
    assert.ok(paths.includes('bad.json models[1].displayName'));
    assert.ok(paths.includes('bad.json models[1].prices'));
    assert.ok(paths.includes('bad.json models[2].cache.minTokens'));
    assert.match(c.issues.find((i) => i.path === 'models[0].prices.input')!.message, /decimal string/);
    const g = c.find('gpt-5');
    assert.ok(g.ok && g.model.prices.input === '1.25'); // the bad override was not applied
    const o = c.find('gpt-4o');
    assert.ok(o.ok && o.model.prices.cachedInput === '0.5'); // the good one was
  });

  it('reports invalid JSON with its position, never throws', () => {
    const c = loadCatalog([{ file: 'broken.json', text: '{ "models": [ { "id": } ] }' }]);
    assert.equal(c.issues.length, 1);
    assert.equal(c.issues[0].file, 'broken.json');
    assert.match(c.issues[0].path, /^1:\d+$/);
    assert.match(c.issues[0].message, /invalid JSON/);
    const d = loadCatalog([{ file: 'shape.json', text: '[1,2]' }]);
    assert.match(d.issues[0].message, /"models" list/);
  });
});
