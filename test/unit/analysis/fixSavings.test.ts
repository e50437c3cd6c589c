import assert from 'node:assert/strict';
import { addMarkerBreakpoint, moveLineToEnd } from '../../../src/core/analysis/fixes';
import { savingOf, savingWhenChanged } from '../../../src/core/analysis/fixSavings';
import { commonPrefix, MIN_SHARED_TOKENS, sharedPrefixes } from '../../../src/core/analysis/sharedPrefixes';
import { findDynamicContent } from '../../../src/core/cache/dynamicContent';
import { findModel } from '../../../src/core/pricing/catalog';
import type { ModelInfo } from '../../../src/core/pricing/types';
import { renderPrompt } from '../../../src/core/prompt/render';
import { parsePrompt } from '../../../src/core/prompt/parse';
import { getTokenizer } from '../../../src/core/tokenizer/registry';

const model = (id: string) => (findModel(id) as { model: ModelInfo }).model;
const NOW = Date.UTC(2026, 11, 1, 10);
const RULES = Array.from(
  { length: 200 },
  (_, i) => `Rule ${i + 1}: answer politely and cite the handbook section that applies.`,
).join('\n');

describe('what a code action saves (the titles of the fixes)', () => {
  const gpt = { fileName: 'p.prompt.md', model: model('gpt-4.1'), tokenizer: getTokenizer('o200k_base')!, now: NOW };

  it('moving a date ahead of 2,000 static tokens keeps them cached when it changes: tokens and money per call', () => {
    const text = `Today is 2026-12-01.\n${RULES}\n`;
    const m = findDynamicContent(text)[0];
    const s = savingWhenChanged(gpt, text, m, moveLineToEnd(text, m)!)!;
    assert.ok(s, 'a saving');
    // gpt-4.1 caches whole 128-token steps: with the date first nothing is read; moved last, all but the tail is.
    assert.ok(s.tokens >= 1792 && s.tokens % 128 === 0, `${s.tokens} tokens`);
    // $2 / M input, $0.50 / M cached: each token moved into the cache saves $1.50 / M.
    assert.ok(Math.abs(s.perCall - (s.tokens * 1.5) / 1e6) < 1e-9, `${s.perCall}`);
  });

  it('in the steady state the same move gains nothing (the prefix is cached either way), and says so by undefined', () => {
    const text = `Today is 2026-12-01.\n${RULES}\n`;
    const m = findDynamicContent(text)[0];
    const fix = moveLineToEnd(text, m)!;
    const after =
      text.slice(0, fix.edits[0].offset) + text.slice(fix.edits[0].offset + fix.edits[0].length) + fix.edits[1].content;
    assert.equal(savingOf(gpt, text, after), undefined);
  });

  it('a breakpoint marker on a Claude prompt caches what it marks (from nothing)', () => {
    const claude = {
      fileName: 'p.prompt.md',
      model: model('claude-sonnet-4-5'),
      tokenizer: getTokenizer('claude_estimate')!,
      now: NOW,
    };
    const text = `${RULES}\nThe question follows.\n`;
    const s = savingOf(claude, text, text + '<!-- cache-breakpoint -->\n');
    assert.ok(s && s.tokens > 1024, JSON.stringify(s));
    assert.ok(s.perCall > 0);
    assert.ok(addMarkerBreakpoint(text).edits.length === 1);
  });
});

describe('shared prefixes between prompts (the Prompt Cache view)', () => {
  const tok = getTokenizer('o200k_base')!;
  const file = (label: string, text: string, m = 'gpt-4.1') => {
    const r = renderPrompt(parsePrompt(text, { fileName: `${label}.prompt.md` }).prompts[0], tok);
    return { label, model: m, encoding: r.encoding, ids: r.ids, tokenSource: r.tokenSource };
  };
  const a = file('a', `${RULES}\nTone: formal.\n`),
    b = file('b', `${RULES}\nTone: casual.\n`),
    c = file('c', 'Something else entirely.\n' + RULES);

  it('finds the common head of two prompts, where they part, longest first, same model only', () => {
    const shares = sharedPrefixes(a, [a, b, c, file('b-claude', `${RULES}\nTone: casual.\n`, 'claude-sonnet-4-5')]);
    assert.deepEqual(
      shares.map((s) => s.other.label),
      ['b'],
    );
    const n = shares[0].tokens;
    assert.equal(n, commonPrefix(a.ids, b.ids));
    assert.ok(n > 1500 && n < a.ids.length);
    assert.equal(
      `${RULES}\nTone: formal.\n`.slice(shares[0].offset, shares[0].offset + 8),
      ' formal.',
      'the offset is where they part',
    );
  });

  it('ignores a few tokens of common boilerplate', () => {
    const x = file('x', 'You are a helpful assistant. Be brief.'),
      y = file('y', 'You are a helpful assistant. Be thorough.');
    assert.ok(commonPrefix(x.ids, y.ids) < MIN_SHARED_TOKENS);
    assert.deepEqual(sharedPrefixes(x, [y]), []);
  });
});
