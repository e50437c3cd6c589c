import assert from 'node:assert/strict';
import { loadCatalog } from '../../../src/core/pricing/catalog';
import { promptCostHint } from '../../../src/core/pricing/promptCost';

const LONG = 'You are a careful assistant for a bank. Follow every rule below.\n'.repeat(120);

describe('prompt cost hint (status bar tooltip)', () => {
  const catalog = loadCatalog();

  it('prices the model the file names, with a warm call cheaper than a cold one', () => {
    const r = promptCostHint(`---\nmodel: gpt-4.1\n---\n${LONG}`, 'a.prompt.md', catalog, 'gpt-4o');
    assert.ok(r.ok);
    assert.equal(r.hint.model, 'gpt-4.1');
    assert.equal(r.hint.modelFrom, 'file');
    assert.ok(r.hint.tokens > 1024, `tokens ${r.hint.tokens}`);
    // OpenAI: ≥ 1024 tokens, then 128-token steps
    assert.equal((r.hint.cachedTokens - 1024) % 128, 0);
    assert.ok(r.hint.savingsPercent !== undefined && r.hint.savingsPercent > 0);
    assert.notEqual(r.hint.uncachedCall, r.hint.warmCall);
  });

  it('falls back to the default model, and caches nothing below the minimum', () => {
    const r = promptCostHint('Short prompt.', 'a.prompt.md', catalog, 'gpt-4o');
    assert.ok(r.ok);
    assert.equal(r.hint.modelFrom, 'default');
    assert.equal(r.hint.cachedTokens, 0);
    assert.equal(r.hint.uncachedCall, r.hint.warmCall);
  });

  it('names the file and suggests ids for an unknown model, and names the setting for a bad default', () => {
    const r = promptCostHint('---\nmodel: gpt-4.2\n---\nhi', 'p.prompt.md', catalog, 'gpt-4o');
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.message : '', /p\.prompt\.md names unknown model "gpt-4\.2"; did you mean/);
    const d = promptCostHint('hi', 'p.prompt.md', catalog, 'nope-1');
    assert.match(!d.ok ? d.message : '', /setting kvlens\.model: unknown model "nope-1"/);
  });

  it('uses a user catalog entry that overrides a bundled price', () => {
    const user = loadCatalog([{ file: 'my-models.json', text: '{"models":[{"id":"gpt-4.1","prices":{"input":"100"}}]}' }]);
    const base = promptCostHint(LONG, 'a.prompt.md', catalog, 'gpt-4.1');
    const mine = promptCostHint(LONG, 'a.prompt.md', user, 'gpt-4.1');
    assert.ok(base.ok && mine.ok);
    assert.notEqual(base.hint.uncachedCall, mine.hint.uncachedCall);
  });

  it('reports a malformed request body instead of throwing', () => {
    const r = promptCostHint('{"model": "gpt-4o", "messages": [', 'req.json', catalog, 'gpt-4o');
    assert.equal(typeof r.ok, 'boolean');
  });
});
