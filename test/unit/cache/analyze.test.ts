import assert from 'node:assert/strict';
import { analyze, Simulator } from '../../../src/core/cache/simulator';
import { clipRanges, findDynamicContent } from '../../../src/core/cache/dynamicContent';
import type { RenderedPrompt } from '../../../src/core/cache/types';
import { getTokenizer } from '../../../src/core/tokenizer/registry';
import { MIN, model, OPENAI, T0 } from './fixtures';

const tok = getTokenizer('o200k_base')!;

/** One text block, tokenized for real, with token source offsets. */
function textPrompt(text: string): RenderedPrompt {
  const s = tok.tokenize(text);
  return {
    ids: s.ids,
    blockStart: Int32Array.from([0, s.ids.length]),
    tokenSource: s.offsets.subarray(0, s.ids.length),
    breakpoints: [],
    encoding: tok.encoding,
    exact: tok.exact,
  };
}

const STATIC = Array.from(
  { length: 400 },
  (_, i) => `Rule ${i + 1}: answer politely and cite the handbook section that applies.`,
).join('\n');

describe('analyze', () => {
  it('reports the first divergence with line, column and the old and new text around it', () => {
    const oldText = `You are a support agent.\nAlways answer in English.\n${STATIC}\n`;
    const newText = `You are a support agent.\nAlways answer in French.\n${STATIC}\n`;
    const sim = new Simulator();
    sim.request(textPrompt(oldText), OPENAI, T0, { text: oldText, label: 'git:HEAD' });
    const r = sim.analyze(textPrompt(newText), OPENAI, T0 + MIN, { text: newText });
    assert.ok(r.firstDivergence);
    assert.equal(r.firstDivergence.line, 2);
    assert.equal(r.firstDivergence.entry, 'git:HEAD');
    assert.equal(
      newText.slice(r.firstDivergence.offset).startsWith(' French') ||
        newText.slice(r.firstDivergence.offset).startsWith('French'),
      true,
    );
    assert.match(r.firstDivergence.before, /English/);
    assert.match(r.firstDivergence.after, /French/);
    assert.equal(r.reusablePrefixTokens, r.firstDivergence.token);
    assert.equal(r.cachedTokens, 0, 'the divergence is inside the first 1024 tokens');
    assert.equal(r.tokens, r.cachedTokens + r.cacheWriteTokens + r.uncachedTokens);
    assert.equal(r.baseline, 'git:HEAD');
  });

  it('an appended turn is no divergence, and the old prompt is read in 128-token steps', () => {
    const oldText = `${STATIC}\n`;
    const newText = `${STATIC}\nUser: one more question`;
    const r = analyze(
      textPrompt(newText),
      [{ ids: textPrompt(oldText).ids, writtenAt: T0, ttlMs: 10 * MIN, label: 'v1' }],
      OPENAI,
      T0 + MIN,
      { text: newText },
    );
    assert.equal(r.firstDivergence, null);
    assert.ok(r.reusablePrefixTokens >= textPrompt(oldText).ids.length - 1);
    assert.equal(r.cachedTokens % 128, 0);
    assert.ok(r.cachedTokens > r.tokens - 160);
    assert.equal(r.blocks.length, 1);
    assert.equal(r.blocks[0].status, 'partial');
    assert.equal(r.blocks[0].cachedTokens, r.cachedTokens);
  });

  it('no entries: cold cache, no divergence, everything uncached', () => {
    const r = analyze(textPrompt(STATIC), [], OPENAI, T0, { text: STATIC });
    assert.equal(r.reusablePrefixTokens, 0);
    assert.equal(r.cachedTokens, 0);
    assert.equal(r.firstDivergence, null);
    assert.equal(r.uncachedTokens, r.tokens);
    assert.equal(r.model, OPENAI.id);
    assert.deepEqual(r.tokenizer, { encoding: 'o200k_base', exact: true });
  });

  it('warns about a date ahead of a large static part, not about one at the end', () => {
    const head = `Today is 2026-12-01. You are a support agent.\n${STATIC}\n`;
    const r = analyze(textPrompt(head), [], OPENAI, T0, { text: head });
    const w = r.warnings.filter((x) => x.code === 'dynamic-content');
    assert.equal(w.length, 1);
    assert.match(w[0].message, /Today is 2026-12-01/);
    assert.match(w[0].message, /line 1, column 1/);
    const tail = `${STATIC}\nToday is 2026-12-01.`;
    assert.equal(
      analyze(textPrompt(tail), [], OPENAI, T0, { text: tail }).warnings.filter((x) => x.code === 'dynamic-content')
        .length,
      0,
    );
  });

  it('scans the region an edit changed even far into the prompt', () => {
    const text = `${STATIC}\nrequest_id: 7f9c2a11b3\n${STATIC}`;
    const at = text.indexOf('request_id');
    assert.ok(at > 16_384);
    const without = analyze(textPrompt(text), [], OPENAI, T0, { text });
    assert.equal(without.warnings.filter((x) => x.code === 'dynamic-content').length, 0);
    const withScan = analyze(textPrompt(text), [], OPENAI, T0, { text, scan: [[at - 10, at + 40]] });
    assert.equal(withScan.warnings.filter((x) => x.code === 'dynamic-content').length, 1);
  });

  it('flags an estimated tokenizer', () => {
    const p = { ...textPrompt(STATIC), exact: false };
    assert.ok(
      analyze(p, [], model('google', { minTokens: 1024 }), T0).warnings.some((w) => w.code === 'estimated-tokenizer'),
    );
  });
});

describe('dynamic content detector', () => {
  const kinds = (t: string) => findDynamicContent(t).map((m) => m.kind);
  for (const [text, kind] of [
    ['Generated at 2026-12-01T10:02:03Z for you', 'timestamp'],
    ['Session 3f2b8c1e-9d4a-4b7e-8f00-1a2b3c4d5e6f started', 'uuid'],
    ['Today is Tuesday, December 1.', 'today'],
    ['Current date: whatever', 'today'],
    ['request_id: req_8f7a6b5c4d', 'request-id'],
    ['Published on December 1, 2026 in Paris', 'date'],
    ['on 12/01/2026 we met', 'date'],
    ['The meeting is at 10:45 AM sharp', 'time'],
    ['ts=1764583323 ok', 'epoch'],
    ['This is turn #14 of the chat', 'counter'],
  ] as const) {
    it(`finds ${kind} in "${text}"`, () => assert.deepEqual(kinds(text), [kind]));
  }
  it('does not flag a span of opening hours, which is static', () => {
    assert.deepEqual(kinds('Hand over only during staffed hours (Mon–Fri 07:00–19:00 CET).'), []);
    assert.deepEqual(kinds('Open 9:00 to 17:30 UTC on weekdays'), []);
    assert.deepEqual(kinds('Call at 10:45 AM, staffed 07:00-19:00'), ['time']);
  });
  it('does not flag a cutoff time, which is a rule of the prompt, not the time of the request', () => {
    assert.deepEqual(kinds('Orders placed before 14:00 CET ship the same day.'), []);
    assert.deepEqual(kinds('No calls after 18:30, and nothing until 9:00 AM.'), []);
    assert.deepEqual(kinds('Local time: 14:03 CET'), ['time']);
  });
  it("does not flag a date more than a year from the request's (historic or far ahead), given the year", () => {
    const at = (t: string) => findDynamicContent(t, 0, t.length, 20, { year: 2026 }).map((m) => m.kind);
    assert.deepEqual(at('Lumen was founded on 29 June 2007 in Berlin.'), []);
    assert.deepEqual(at('The v1 API is retired on 2031-03-31.'), []);
    assert.deepEqual(at("Today's orders: 2026-12-04."), ['date']);
    assert.deepEqual(at('Last sync 2025-12-31T23:59:00Z'), ['timestamp'], 'last year is still "now" across New Year');
    assert.deepEqual(
      kinds('Lumen was founded on 29 June 2007 in Berlin.'),
      ['date'],
      'without a year nothing is called historic',
    );
  });
  it('clipRanges keeps only the parts of the scan windows inside the sent text', () => {
    assert.deepEqual(
      clipRanges(
        [[0, 100]],
        [
          [10, 20],
          [30, 40],
          [90, 200],
        ],
      ),
      [
        [10, 20],
        [30, 40],
        [90, 100],
      ],
    );
    assert.deepEqual(
      clipRanges(
        [
          [0, 5],
          [50, 60],
        ],
        [[10, 20]],
      ),
      [],
    );
    assert.deepEqual(
      clipRanges(
        [[15, 35]],
        [
          [10, 20],
          [30, 40],
        ],
      ),
      [
        [15, 20],
        [30, 35],
      ],
    );
  });
  it('finds nothing in static instructions', () => {
    assert.deepEqual(
      kinds('You are a helpful assistant. Answer in 3 sentences. Section 4.2 applies. Version 2 of the API.'),
      [],
    );
  });
  it('reports offsets in the whole text when scanning a window', () => {
    const text = 'x'.repeat(100) + ' 2026-12-01 ' + 'y'.repeat(100);
    const m = findDynamicContent(text, 90, 130);
    assert.equal(m.length, 1);
    assert.equal(text.slice(m[0].start, m[0].end), '2026-12-01');
    assert.deepEqual(findDynamicContent(text, 0, 90), []);
  });
});
