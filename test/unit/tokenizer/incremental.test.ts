import assert from 'node:assert/strict';
import { getTokenizer } from '../../../src/core/tokenizer/registry';
import type { TokenState } from '../../../src/core/tokenizer/types';
import { oracleIds } from './tiktokenOracle';
import { int, mixed, seeded } from './sampleTexts';
import { randomEdit } from './randomEdits';

function commonPrefix(a: Uint32Array, b: Uint32Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

function same(a: Uint32Array | Int32Array, b: Uint32Array | Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const EDITS = 10_000;

describe('incremental re-tokenization', () => {
  // o200k_harmony is o200k_base's engine (the same rank table and split pattern; it differs only in special tokens,
  // which are plain text here): the test below shows it re-tokenizes alike, so its own 10,000 edits would repeat these.
  for (const [name, seed] of [
    ['o200k_base', 1],
    ['cl100k_base', 2],
  ] as const) {
    it(`${name}: ${EDITS} random edits on a ~20 KB text give the same ids, offsets and firstChangedToken as a full re-tokenization`, function () {
      this.timeout(120_000);
      const t = getTokenizer(name)!;
      const rnd = seeded(seed * 7919);
      let st: TokenState = t.tokenize(mixed(rnd, 20_000));
      let cursor = int(rnd, st.text.length);
      for (let n = 0; n < EDITS; n++) {
        const edit = randomEdit(rnd, st.text, cursor);
        cursor = edit.start + edit.text.length;
        const newText = st.text.slice(0, edit.start) + edit.text + st.text.slice(edit.end);
        // Half the edits let the engine overwrite the old state in place (what the editor does): keep a copy of the
        // old ids to check firstChangedToken against.
        const reuse = rnd() < 0.5;
        const oldIds = reuse ? st.ids.slice() : st.ids;
        const res = t.retokenize(st, edit, rnd() < 0.5 ? newText : undefined, { reusePrevious: reuse });
        const full = t.tokenize(newText);
        const where = `edit #${n}${reuse ? ' (in place)' : ''} ${JSON.stringify(edit).slice(0, 160)}`;
        assert.equal(res.state.text, newText, where);
        // Plain loops first (deepEqual on every edit would dominate the run); deepEqual only to report a difference.
        if (!same(res.state.ids, full.ids)) assert.deepEqual(Array.from(res.state.ids), Array.from(full.ids), where);
        if (!same(res.state.offsets, full.offsets))
          assert.deepEqual(Array.from(res.state.offsets), Array.from(full.offsets), where);
        assert.equal(res.firstChangedToken, commonPrefix(oldIds, full.ids), where);
        if (n % 1000 === 0) assert.deepEqual(Array.from(full.ids), oracleIds(name, newText), `${where} vs tiktoken`);
        st = res.state;
      }
    });
  }

  it('o200k_harmony re-tokenizes as o200k_base does: the same states and first changed tokens after 2,000 random edits', () => {
    const h = getTokenizer('o200k_harmony')!,
      o = getTokenizer('o200k_base')!;
    const rnd = seeded(3 * 7919);
    let sh: TokenState = h.tokenize(mixed(rnd, 20_000)),
      so: TokenState = o.tokenize(sh.text);
    assert.deepEqual(sh.ids, so.ids);
    let cursor = int(rnd, sh.text.length);
    for (let n = 0; n < 2000; n++) {
      const edit = randomEdit(rnd, sh.text, cursor);
      cursor = edit.start + edit.text.length;
      const reuse = rnd() < 0.5;
      const rh = h.retokenize(sh, edit, undefined, { reusePrevious: reuse }),
        ro = o.retokenize(so, edit, undefined, { reusePrevious: reuse });
      const where = `edit #${n} ${JSON.stringify(edit).slice(0, 160)}`;
      assert.equal(rh.firstChangedToken, ro.firstChangedToken, where);
      if (!same(rh.state.ids, ro.state.ids) || !same(rh.state.offsets, ro.state.offsets))
        assert.fail(`${where}: harmony and o200k_base differ`);
      sh = rh.state;
      so = ro.state;
    }
    assert.deepEqual(Array.from(sh.ids), Array.from(o.tokenize(sh.text).ids), 'and both equal a full tokenization');
  });

  it('restarts at an earlier piece when an edit changes how a preceding white-space run splits', () => {
    const t = getTokenizer('o200k_base')!;
    const base = 'word' + ' '.repeat(50) + 'x';
    const s0 = t.tokenize(base);
    const r = t.retokenize(s0, { start: base.length - 1, end: base.length, text: '\n' });
    assert.deepEqual(r.state.ids, t.tokenize('word' + ' '.repeat(50) + '\n').ids);
    assert.ok(r.firstChangedToken <= s0.ids.length);
  });

  it('falls back to a full tokenization for a state from another encoding or without piece marks', () => {
    const a = getTokenizer('o200k_base')!,
      b = getTokenizer('cl100k_base')!;
    const s = a.tokenize('hello world');
    const r = b.retokenize(s, { start: 5, end: 5, text: ',' });
    assert.deepEqual(r.state.ids, b.tokenize('hello, world').ids);
    assert.equal(r.state.encoding, 'cl100k_base');
    const bare: TokenState = { encoding: 'o200k_base', text: s.text, ids: s.ids, offsets: s.offsets };
    assert.deepEqual(a.retokenize(bare, { start: 0, end: 5, text: 'Hi' }).state.ids, a.tokenize('Hi world').ids);
  });

  it('clamps an out-of-range edit instead of throwing', () => {
    const t = getTokenizer('o200k_base')!;
    const s = t.tokenize('abc');
    assert.equal(t.retokenize(s, { start: 10, end: 2, text: 'd' }).state.text, 'abcd');
  });

  it('tokenizes in resumable steps with the same result', () => {
    const t = getTokenizer('o200k_base')!;
    const text = mixed(seeded(5), 100_000);
    const job = t.tokenizeInSteps!(text);
    let s: TokenState | undefined,
      steps = 0;
    while (!(s = job.step(0.5))) steps++;
    assert.ok(steps > 1, 'expected several steps');
    assert.deepEqual(s.ids, t.tokenize(text).ids);
    assert.deepEqual(s.offsets, t.tokenize(text).offsets);
  });
});
