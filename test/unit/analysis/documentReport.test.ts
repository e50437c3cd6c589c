import assert from 'node:assert/strict';
import { documentReport } from '../../../src/core/analysis/documentReport';
import {
  addAnthropicBreakpoint,
  addBreakpointAfter,
  addMarkerBreakpoint,
  applyFix,
  moveLineToEnd,
  removeBreakpoints,
  restoreToolOrder,
  withChangedValue,
} from '../../../src/core/analysis/fixes';
import { parsePrompt } from '../../../src/core/prompt/parse';
import { chooseModel } from '../../../src/core/analysis/modelChoice';
import { tokenAtSource, tokenSpans } from '../../../src/core/analysis/reportRanges';
import { findDynamicContent } from '../../../src/core/cache/dynamicContent';
import { findModel, loadCatalog } from '../../../src/core/pricing/catalog';
import type { ModelInfo } from '../../../src/core/pricing/types';
import { getTokenizer } from '../../../src/core/tokenizer/registry';

const gpt = (findModel('gpt-4.1') as { model: ModelInfo }).model;
const claude = (findModel('claude-sonnet-4-5') as { model: ModelInfo }).model;
const o200k = getTokenizer('o200k_base')!;
const RULES = Array.from(
  { length: 200 },
  (_, i) => `Rule ${i + 1}: answer politely and cite the handbook section that applies.`,
).join('\n');
const FM = '---\nmodel: gpt-4.1\n---\n';
const TEXT = `${FM}You are a support agent.\n${RULES}\n`;
const NOW = Date.UTC(2026, 11, 1, 10);

function report(
  text: string,
  baseline: Parameters<typeof documentReport>[0]['baseline'],
  model = gpt,
  fileName = 'p.prompt.md',
) {
  const r = documentReport({
    text,
    fileName,
    model,
    tokenizer: model === gpt ? o200k : getTokenizer('claude_estimate')!,
    baseline,
    now: NOW,
  });
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.value;
}

describe("documentReport: the editor's cache report", () => {
  it('steady state: cached whole 128-token steps, as one span starting after the front matter', () => {
    const r = report(TEXT, { kind: 'steady', label: 'steady' });
    assert.equal(r.report.baseline.kind, 'steady');
    assert.equal(r.report.cachedTokens, Math.floor(r.report.tokens / 128) * 128);
    assert.equal(r.report.ranges.cached.length, 1);
    assert.equal(r.report.ranges.cached[0][0], FM.length);
    assert.equal(r.report.ranges.cached[0][1], r.rendered.tokenSource[r.report.cachedTokens]);
    assert.deepEqual(r.report.ranges.write, []);
    assert.equal(r.report.ranges.breakAt, null);
  });

  it('against an older version: breaks at the edit, nothing after it cached, the break offset in document units', () => {
    const edited = TEXT.replace('Rule 50:', 'Rule fifty:');
    const r = report(edited, { kind: 'git', label: 'git HEAD', text: TEXT });
    const at = edited.indexOf('fifty');
    assert.ok(r.report.firstDivergence);
    assert.ok(Math.abs(r.report.ranges.breakAt! - at) <= 1, `${r.report.ranges.breakAt} vs ${at}`);
    for (const [, e] of r.report.ranges.cached) assert.ok(e <= r.report.ranges.breakAt!);
    assert.equal(r.report.baseline.label, 'git HEAD');
  });

  it("a recorded send expires with the model's TTL", () => {
    const live = report(TEXT, { kind: 'recorded', label: 'sent 09:58', text: TEXT, sentAt: NOW - 4 * 60_000 });
    assert.ok(live.report.cachedTokens > 0);
    const gone = report(TEXT, { kind: 'recorded', label: 'sent 09:40', text: TEXT, sentAt: NOW - 20 * 60_000 });
    assert.equal(gone.report.cachedTokens, 0);
    assert.ok(gone.report.warnings.some((w) => w.code === 'expired'));
  });

  it('a broken baseline falls back to the steady state and says why', () => {
    const r = documentReport({
      text: '{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}',
      fileName: 'b.json',
      model: gpt,
      tokenizer: o200k,
      now: NOW,
      baseline: { kind: 'git', label: 'git HEAD', text: '{"messages": [' },
    });
    assert.ok(r.ok);
    assert.equal(r.value.report.baseline.kind, 'steady');
    assert.match(r.value.baselineProblem ?? '', /git HEAD: JSON syntax error/);
  });

  it('a broken document is an error result, never a throw', () => {
    const r = documentReport({
      text: '{"messages": [',
      fileName: 'b.json',
      model: gpt,
      tokenizer: o200k,
      now: NOW,
      baseline: { kind: 'steady', label: 's' },
    });
    assert.equal(r.ok, false);
  });

  it('maps a source offset to its token and back to spans per segment (JSON bodies have one span per string)', () => {
    const body = JSON.stringify({
      model: 'claude-sonnet-4-5',
      system: [{ type: 'text', text: RULES, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Where is my invoice?' }],
    });
    const r = report(body, { kind: 'steady', label: 's' }, claude, 'req.json');
    const at = body.indexOf('Rule 10:');
    const t = tokenAtSource(r.rendered, at)!;
    assert.ok(t && t.start <= at && t.end > at);
    const spans = tokenSpans(r.rendered, 0, r.rendered.ids.length);
    assert.ok(spans.length >= 2);
    assert.equal(tokenAtSource(r.rendered, body.indexOf('"model"')), undefined, 'request metadata is not sent');
  });
});

describe('code-action fixes', () => {
  const dated = `Today is 2026-12-01.\n${RULES}\n`;
  it('moves a dynamic line to the end', () => {
    const m = findDynamicContent(dated)[0];
    const out = applyFix(dated, moveLineToEnd(dated, m)!);
    assert.equal(out, `${RULES}\nToday is 2026-12-01.\n`);
    assert.equal(moveLineToEnd(out, findDynamicContent(out)[0]), undefined, 'already last');
  });
  it('moves a heading that would be left empty with its line, and never appends inside an open code fence', () => {
    const md = '# Agent\n\n## Now\nToday is 2026-12-01.\n\n## Rules\n```\nrule one\n```\n';
    const out = applyFix(md, moveLineToEnd(md, findDynamicContent(md)[0])!);
    assert.equal(out, '# Agent\n\n## Rules\n```\nrule one\n```\n\n## Now\nToday is 2026-12-01.\n');
    const noEol = '# Agent\n## Now\nToday is 2026-12-01.\n## Rules\n```\nrule one\n```';
    assert.equal(
      applyFix(noEol, moveLineToEnd(noEol, findDynamicContent(noEol)[0])!),
      '# Agent\n## Rules\n```\nrule one\n```\n\n## Now\nToday is 2026-12-01.',
    );
    const shared = '## Context\nToday is 2026-12-01.\nThe customer is on the Team plan.\n## Rules\nr\n';
    assert.equal(
      applyFix(shared, moveLineToEnd(shared, findDynamicContent(shared)[0])!),
      '## Context\nThe customer is on the Team plan.\n## Rules\nr\nToday is 2026-12-01.\n',
      'a heading with other lines stays',
    );
    const open = 'Today is 2026-12-01.\nRules\n```\ncode\n';
    assert.equal(moveLineToEnd(open, findDynamicContent(open)[0]), undefined);
  });
  it("scans only what the request sends: a usage log's envelope and response, and front matter, are not flagged", () => {
    const body = (i: number) =>
      JSON.stringify({
        timestamp: `2026-12-01T09:0${i}:00.000Z`,
        request: {
          model: 'gpt-4.1',
          messages: [
            { role: 'system', content: RULES },
            { role: 'user', content: `question ${i}` },
          ],
        },
        response: {
          model: 'gpt-4.1-2025-04-14',
          usage: { prompt_tokens: 3000, prompt_tokens_details: { cached_tokens: 2944 } },
        },
      });
    const log = [0, 1, 2].map(body).join('\n') + '\n';
    const r = report(log, { kind: 'steady', label: 'steady' }, gpt, 'usage.jsonl');
    assert.deepEqual(
      r.report.warnings.filter((w) => w.code === 'dynamic-content'),
      [],
    );
    const fm = `---\nmodel: gpt-4.1\nupdated: 2026-12-01\n---\n${RULES}\n`;
    assert.deepEqual(
      report(fm, { kind: 'steady', label: 'steady' }).report.warnings.filter((w) => w.code === 'dynamic-content'),
      [],
      'front matter is not sent',
    );
    const withDate =
      [0, 1, 2]
        .map((i) => body(i).replace('"content":"Rule 1:', '"content":"Today is 2026-12-01. Rule 1:'))
        .join('\n') + '\n';
    const w = report(withDate, { kind: 'steady', label: 'steady' }, gpt, 'usage.jsonl').report.warnings.filter(
      (x) => x.code === 'dynamic-content',
    );
    assert.equal(w.length, 1, JSON.stringify(w));
    assert.match(w[0].message, /at line 3,/, 'the line of the request the report is for');
  });
  it('changes a dynamic value to what the next request would send', () => {
    const m = findDynamicContent(dated)[0];
    assert.match(withChangedValue(dated, m), /^Upebz jt 3137-23-12\./);
  });
  it('adds a breakpoint marker before the dynamic part or at the end', () => {
    assert.equal(applyFix('a\nb\n', addMarkerBreakpoint('a\nb\n', 2)), 'a\n<!-- cache-breakpoint -->\nb\n');
    assert.equal(applyFix('a\nb', addMarkerBreakpoint('a\nb')), 'a\nb\n<!-- cache-breakpoint -->\n');
  });
  it('adds cache_control to the last system block of an Anthropic body, or turns a string system into a block', () => {
    const arr = JSON.stringify(
      {
        system: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
        messages: [],
      },
      null,
      2,
    );
    assert.deepEqual(JSON.parse(applyFix(arr, addAnthropicBreakpoint(arr)!)).system[1].cache_control, {
      type: 'ephemeral',
    });
    const str = JSON.stringify({ system: 'be brief', messages: [] }, null, 2);
    assert.deepEqual(JSON.parse(applyFix(str, addAnthropicBreakpoint(str)!)).system, [
      { type: 'text', text: 'be brief', cache_control: { type: 'ephemeral' } },
    ]);
  });
});

describe('removing breakpoints over the limit', () => {
  const bp = (blocks: { range: { start: number; end: number }; cacheControl?: unknown }[]) =>
    blocks.filter((b) => b.cacheControl).map((b) => b.range);
  it('drops the cache_control of the 5th and later content blocks of an Anthropic body, keeping valid JSON', () => {
    const cc = { type: 'ephemeral' };
    const body = JSON.stringify(
      {
        model: 'claude-sonnet-4-5',
        system: Array.from({ length: 6 }, (_, i) => ({ type: 'text', text: `part ${i}`, cache_control: cc })),
        messages: [{ role: 'user', content: 'hi' }],
      },
      null,
      2,
    );
    const p = parsePrompt(body, { fileName: 'b.json' }).prompts[0];
    const fixed = applyFix(body, removeBreakpoints(body, bp(p.blocks as never), 4)!);
    const system = JSON.parse(fixed).system as { cache_control?: unknown }[];
    assert.deepEqual(
      system.map((x) => !!x.cache_control),
      [true, true, true, true, false, false],
    );
  });
  it('drops the marker lines after the 4th in a plain prompt', () => {
    const text = Array.from({ length: 6 }, (_, i) => `part ${i}\n<!-- cache-breakpoint -->\n`).join('') + 'tail\n';
    const p = parsePrompt(text, { fileName: 'p.prompt.md' }).prompts[0];
    const fixed = applyFix(text, removeBreakpoints(text, bp(p.blocks as never), 4)!);
    assert.equal((fixed.match(/cache-breakpoint/g) ?? []).length, 4);
    assert.match(fixed, /part 4\npart 5\ntail/);
  });
});

describe('model choice: file, then picked, then setting, then default', () => {
  const cat = loadCatalog();
  it('takes the first candidate that has an id', () => {
    const c = chooseModel(cat, [
      { id: undefined, from: 'file' },
      { id: 'claude-sonnet-4-5', from: 'picked' },
      { id: 'gpt-4o', from: 'settings' },
    ]);
    assert.ok(c.ok && c.model.id === 'claude-sonnet-4-5' && c.from === 'picked');
    const d = chooseModel(cat, []);
    assert.ok(d.ok && d.model.id === 'gpt-4.1' && d.from === 'default');
  });
  it('an unknown id is an error naming where it came from, not a silent fallback', () => {
    const c = chooseModel(cat, [
      { id: 'gpt-4.2', from: 'file', where: 'prompts/a.prompt.md' },
      { id: 'gpt-4o', from: 'settings' },
    ]);
    assert.equal(c.ok, false);
    assert.match(c.ok ? '' : c.message, /^prompts\/a\.prompt\.md names unknown model "gpt-4\.2"; did you mean/);
  });
});

describe("restoring the tools' order, and a breakpoint within the lookback", () => {
  const tool = (name: string) => ({
    type: 'function',
    function: { name, description: `${name} tool`, parameters: { type: 'object', properties: {} } },
  });
  it("puts the tools back in the baseline's order, keeping each tool's text", () => {
    const old = JSON.stringify(
      { model: 'gpt-4.1', tools: [tool('a'), tool('b'), tool('c')], messages: [{ role: 'user', content: 'hi' }] },
      null,
      2,
    );
    const cur = JSON.stringify(
      { model: 'gpt-4.1', tools: [tool('c'), tool('a'), tool('b')], messages: [{ role: 'user', content: 'hi' }] },
      null,
      2,
    );
    const fix = restoreToolOrder(cur, old, 'git HEAD')!;
    assert.equal(fix.title, 'Restore the order of the tools as in git HEAD');
    assert.equal(applyFix(cur, fix), old);
    assert.equal(restoreToolOrder(old, old, 'git HEAD'), undefined, 'same order: nothing to restore');
    assert.equal(
      restoreToolOrder(cur, JSON.stringify({ tools: [tool('a'), tool('b')] }), 'x'),
      undefined,
      'other tools: not a reorder',
    );
  });
  it('adds cache_control to the block where a live entry ends', () => {
    const body = JSON.stringify(
      {
        model: 'claude-sonnet-4-5',
        system: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
        messages: [],
      },
      null,
      2,
    );
    const p = parsePrompt(body, { fileName: 'b.json' }).prompts[0];
    const fixed = JSON.parse(applyFix(body, addBreakpointAfter(body, p.blocks[0].range)!));
    assert.deepEqual(fixed.system[0].cache_control, { type: 'ephemeral' });
    assert.equal(fixed.system[1].cache_control, undefined);
  });
});
