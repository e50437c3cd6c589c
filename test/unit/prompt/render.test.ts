import assert from 'node:assert/strict';
import type { RenderedPrompt } from '../../../src/core/cache/types';
import { parsePrompt } from '../../../src/core/prompt/parse';
import { FRAMING_ID_BASE, renderPrompt } from '../../../src/core/prompt/render';
import { SegmentCache } from '../../../src/core/prompt/segmentCache';
import type { Prompt } from '../../../src/core/prompt/types';
import { getTokenizer } from '../../../src/core/tokenizer/registry';
import { fixture } from './fixture';

const o200k = getTokenizer('o200k_base')!;
const first = (text: string, fileName: string): Prompt => parsePrompt(text, { fileName }).prompts[0];

function assertConsistent(p: Prompt, r: RenderedPrompt): void {
  assert.equal(r.blockStart.length, p.blocks.length + 1);
  assert.equal(r.blockStart[0], 0);
  assert.equal(r.blockStart[p.blocks.length], r.ids.length);
  assert.equal(r.tokenSource.length, r.ids.length);
  p.blocks.forEach((b, i) => {
    assert.ok(r.blockStart[i] <= r.blockStart[i + 1], b.label);
    for (let t = r.blockStart[i]; t < r.blockStart[i + 1]; t++) {
      assert.ok(r.tokenSource[t] >= b.range.start && r.tokenSource[t] <= b.range.end, `${b.label} token ${t}`);
    }
  });
}

describe('renderPrompt', () => {
  for (const [name, file] of [
    ['OpenAI chat', 'openai-chat.json'],
    ['OpenAI responses', 'openai-responses.json'],
    ['Anthropic', 'anthropic.json'],
    ['Prompty', 'chat.prompty'],
  ]) {
    it(`keeps block starts and token sources consistent (${name})`, () => {
      const p = first(fixture(file), file);
      const r = renderPrompt(p, o200k);
      assertConsistent(p, r);
      assert.equal(r.encoding, 'o200k_base');
      assert.deepEqual(
        r.blocks?.map((b) => b.label),
        p.blocks.map((b) => b.label),
      );
    });
  }

  it('renders a plain file as exactly its tokens, with source offsets from the tokenizer', () => {
    const text = 'Hello, world.\nThis is a prompt with some words.';
    const r = renderPrompt(first(text, 'a.prompt'), o200k);
    const state = o200k.tokenize(text);
    assert.deepEqual(Array.from(r.ids), Array.from(o200k.encode(text)));
    assert.deepEqual(Array.from(r.tokenSource), Array.from(state.offsets.subarray(0, state.ids.length)));
  });

  it('maps tokens of an escaped JSON string through the segment source offsets', () => {
    const text = '{"messages":[{"role":"user","content":"line one\\nline two"}]}';
    const p = first(text, 'r.json');
    const seg = p.blocks[0].segments[1];
    const r = renderPrompt(p, o200k);
    const state = o200k.tokenize(seg.text);
    const start = r.blockStart[0] + 3; // after <|im_start|> user <|im_sep|>
    for (let i = 0; i < state.ids.length; i++)
      assert.equal(r.tokenSource[start + i], seg.sourceOffsets![state.offsets[i]]);
    assert.ok(r.tokenSource.every((o) => o >= 0 && o <= text.length));
  });

  it('counts each framing marker as one token: 3 per message plus the role, and 3 for the reply priming', () => {
    const p = first('{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}', 'r.json');
    const r = renderPrompt(p, o200k);
    const priming = [FRAMING_ID_BASE, ...o200k.encode('assistant'), FRAMING_ID_BASE + 1];
    assert.deepEqual(Array.from(r.ids), [
      FRAMING_ID_BASE,
      ...o200k.encode('user'),
      FRAMING_ID_BASE + 1,
      ...o200k.encode('hi'),
      FRAMING_ID_BASE + 2,
      ...priming,
    ]);
    // OpenAI bills 8 input tokens for this request to gpt-4o (test/oracle has recorded calls like it).
    assert.equal(r.ids.length, 8);
    assert.equal(r.exact, true);
    // A body that names no model: its framing was measured for no family, so the same count is an estimate.
    const bare = renderPrompt(first('{"messages":[{"role":"user","content":"hi"}]}', 'r.json'), o200k);
    assert.equal(bare.ids.length, 8);
    assert.equal(bare.exact, false);
    // Reasoning models prime the reply with 2 tokens.
    assert.equal(
      renderPrompt(first('{"model":"gpt-5","messages":[{"role":"user","content":"hi"}]}', 'r.json'), o200k).ids.length,
      7,
    );
  });

  it('applies measured adjustments: hidden tokens after a framing text, or fewer of its tokens, never below none', () => {
    const at = { start: 0, end: 0 };
    const block = (adjust: number, text = 'namespace functions {') => ({
      format: 'text' as const,
      diagnostics: [],
      blocks: [
        {
          kind: 'tools' as const,
          label: 't',
          range: at,
          segments: [{ text, range: at, verbatim: false, framing: true, adjust }],
        },
      ],
    });
    const n = o200k.count('namespace functions {');
    assert.equal(renderPrompt(block(5), o200k).ids.length, n + 5);
    assert.equal(renderPrompt(block(-2), o200k).ids.length, n - 2);
    assert.equal(renderPrompt(block(-100), o200k).ids.length, 0);
    assert.equal(renderPrompt(block(4, ''), o200k).ids.length, 4);
  });

  it('puts breakpoints at the token after their block, with the TTL, and the automatic cache', () => {
    const text =
      'Part one is here.\n<!-- cache-breakpoint ttl=1h -->\nPart two.\n<!-- cache-breakpoint -->\nPart three.';
    const r = renderPrompt(first(text, 'b.prompt'), o200k);
    const n1 = o200k.count('Part one is here.\n'),
      n2 = o200k.count('Part two.\n');
    assert.deepEqual(r.breakpoints, [
      { token: n1, block: 0, ttl: '1h' },
      { token: n1 + n2, block: 1, ttl: '5m' },
    ]);
    assert.equal(r.ids.length, n1 + n2 + o200k.count('Part three.'));
    assert.equal(r.automatic, undefined);
    const a = renderPrompt(first(fixture('anthropic.json'), 'a.json'), o200k);
    assert.deepEqual(a.automatic, { ttl: '5m' });
    assert.deepEqual(
      a.breakpoints.map((b) => [b.block, b.ttl]),
      [
        [0, '5m'],
        [2, '1h'],
        [3, '5m'],
      ],
    );
    a.breakpoints.forEach((b) => assert.equal(b.token, a.blockStart[b.block + 1]));
  });

  it('gives identical ids when rendering twice', () => {
    const p = first(fixture('openai-chat.json'), 'c.json');
    assert.deepEqual(renderPrompt(p, o200k).ids, renderPrompt(p, o200k, { cache: new SegmentCache() }).ids);
  });

  it('changes only tokens from the edited block on, and re-tokenizes only the changed segment', () => {
    const text = fixture('openai-chat.json');
    const edited = text.replace('Order 42: shipped', 'Order 42: delivered');
    const cache = new SegmentCache();
    const p1 = first(text, 'c.json'),
      p2 = first(edited, 'c.json');
    const r1 = renderPrompt(p1, o200k, { cache });
    const before = cache.size;
    const r2 = renderPrompt(p2, o200k, { cache });
    assert.equal(cache.size, before + 1);
    const changed = p1.blocks.findIndex((b) => b.role === 'tool');
    const cut = r1.blockStart[changed];
    assert.deepEqual(r2.ids.subarray(0, cut), r1.ids.subarray(0, cut));
    let firstDiff = 0;
    while (r1.ids[firstDiff] === r2.ids[firstDiff]) firstDiff++;
    assert.ok(firstDiff >= cut && firstDiff < r1.blockStart[changed + 1], `${firstDiff} in block ${changed}`);
  });

  it('re-tokenizes a long edited segment from its previous version, with the same ids and offsets as from scratch', () => {
    const cache = new SegmentCache();
    let text = Array.from(
      { length: 800 },
      (_, i) => `Rule ${i + 1}: quote the section, say "I don't know" when unsure — ünïcode 日本語.`,
    ).join('\n');
    cache.get(text, o200k);
    for (const [at, del, ins] of [
      [5000, 0, ' NEW'],
      [100, 30, ''],
      [text.length - 10, 10, '\n\n  spaced   out'],
      [0, 0, 'Top: '],
      [20000, 1, 'x'],
    ] as const) {
      text = text.slice(0, at) + ins + text.slice(at + del);
      const got = cache.get(text, o200k);
      const want = o200k.tokenize(text);
      assert.deepEqual(Array.from(got.ids), Array.from(want.ids));
      assert.deepEqual(Array.from(got.offsets), Array.from(want.offsets));
    }
  });

  it('evicts least recently used segments beyond its character budget', () => {
    const cache = new SegmentCache(400, 100);
    for (let i = 0; i < 20; i++) cache.get(`segment number ${i} `.repeat(4), o200k);
    assert.ok(cache.size < 20 && cache.size > 0);
  });
});
