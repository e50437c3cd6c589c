import assert from 'node:assert/strict';
import { costInputs, promptCost, workspaceCost, type CostContext } from '../../../src/core/pricing/costReportState';
import { findModel, loadCatalog } from '../../../src/core/pricing/catalog';
import type { ModelInfo } from '../../../src/core/pricing/types';

const model = (id: string) => (findModel(id) as { model: ModelInfo }).model;
const RULES = Array.from(
  { length: 200 },
  (_, i) => `Rule ${i + 1}: answer politely and cite the handbook section that applies.`,
).join('\n');
const NOW = Date.UTC(2026, 11, 1, 10);
const ctx = (models: ModelInfo[], ttl: Record<string, string> = {}): CostContext => ({
  catalog: loadCatalog(),
  models,
  defaultModel: 'gpt-4.1',
  assumptions: { callsPerHour: 60, outputTokens: 500, ttl },
  now: NOW,
});

describe("the cost report's figures from prompt texts (what the panel shows, without an editor)", () => {
  it('one prompt, two models side by side: cached calls cost less, the month with cache less than without', () => {
    const problems: string[] = [];
    const views = promptCost(
      { label: 'a.prompt.md', path: '/w/a.prompt.md', text: `${RULES}\n` },
      ctx([model('gpt-4.1'), model('claude-sonnet-4-5')]),
      problems,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      views.map((v) => v.model),
      ['gpt-4.1', 'claude-sonnet-4-5'],
    );
    for (const v of views) {
      assert.ok(
        v.perCall.warmCall < v.perCall.uncached,
        `${v.model}: warm ${v.perCall.warmCall} < uncached ${v.perCall.uncached}`,
      );
      assert.ok(v.perMonth && v.perMonth.withCache < v.perMonth.withoutCache);
    }
    assert.equal(views[0].exact, true);
    assert.equal(views[1].exact, false, "Claude's count is an estimate");
  });

  it("no model chosen: the prompt's own (front matter), else the default", () => {
    const own = promptCost(
      { label: 'b.prompt.md', path: '/w/b.prompt.md', text: `---\nmodel: claude-sonnet-4-5\n---\n${RULES}\n` },
      ctx([]),
      [],
    );
    assert.deepEqual(
      own.map((v) => v.model),
      ['claude-sonnet-4-5'],
    );
    const dflt = promptCost({ label: 'c.prompt.md', path: '/w/c.prompt.md', text: `${RULES}\n` }, ctx([]), []);
    assert.deepEqual(
      dflt.map((v) => v.model),
      ['gpt-4.1'],
    );
  });

  it("a chosen write TTL is priced: Anthropic's 1 h write costs more than 5 min on the first call", () => {
    const claude = model('claude-sonnet-4-5');
    const text = `${RULES}\n<!-- cache-breakpoint -->\nThe question.\n`;
    const five = promptCost({ label: 'd', path: '/w/d.prompt.md', text }, ctx([claude]), [])[0];
    const hour = promptCost({ label: 'd', path: '/w/d.prompt.md', text }, ctx([claude], { [claude.id]: '1h' }), [])[0];
    assert.ok(hour.perCall.firstCall > five.perCall.firstCall, `${hour.perCall.firstCall} > ${five.perCall.firstCall}`);
    assert.equal(
      costInputs({ callsPerHour: 0, outputTokens: 10, ttl: {}, warmPercent: 50 }, claude).ratePerHour,
      undefined,
    );
    assert.equal(costInputs({ callsPerHour: 0, outputTokens: 10, ttl: {}, warmPercent: 50 }, claude).warmShare, 0.5);
  });

  it('the workspace: a row per file and model, and the cache killers with their monthly cost, largest first', () => {
    const problems: string[] = [];
    const w = workspaceCost(
      [
        { label: 'dated.prompt.md', path: '/w/dated.prompt.md', text: `Today is 2026-12-01.\n${RULES}\n` },
        { label: 'clean.prompt.md', path: '/w/clean.prompt.md', text: `${RULES}\nToday is 2026-12-01.\n` },
      ],
      ctx([model('gpt-4.1')]),
      problems,
    );
    assert.deepEqual(
      w.rows.map((r) => r.file),
      ['dated.prompt.md', 'clean.prompt.md'],
    );
    assert.equal(w.killers.length, 1, JSON.stringify(w.killers));
    assert.equal(w.killers[0].file, 'dated.prompt.md');
    assert.equal(w.killers[0].line, 1);
    assert.ok(w.killers[0].monthlyCost > 0);
  });
});
