import assert from 'node:assert/strict';
import { BaselineMatch } from '../../../src/core/analysis/baselineMatch';
import type { TokenIds } from '../../../src/core/cache/tokenSources';
import { int, seeded } from '../tokenizer/sampleTexts';

/** A flat array read as the live path reads its chunks: in runs of uneven length. */
function runsOf(ids: Uint32Array): TokenIds {
  return { length: ids.length, run: (i) => ids.subarray(i, Math.min(ids.length, i + 1 + ((i * 7919) % 97))) };
}

function lcp(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Replaces tokens [at, end) of `ids` by `by`. */
function splice(ids: Uint32Array, at: number, end: number, by: Uint32Array): Uint32Array {
  const out = new Uint32Array(ids.length - (end - at) + by.length);
  out.set(ids.subarray(0, at));
  out.set(by, at);
  out.set(ids.subarray(end), at + by.length);
  return out;
}

describe('BaselineMatch: how far a followed prompt equals its baseline, kept edit by edit', () => {
  it('gives the common prefix with the baseline after each of 5,000 random edits, undos and restores', () => {
    const rnd = seeded(5);
    // A small alphabet, so edits often make or restore matches by chance.
    const tok = () => 1 + int(rnd, 6);
    const base = Uint32Array.from({ length: 3000 }, tok);
    let ids: Uint32Array = base.slice();
    ids[2700] = 99; // the prompt leaves its baseline at 90 %
    const m = new BaselineMatch(base, 0);
    assert.equal(m.prefix(runsOf(ids)), 2700);
    let undo: { at: number; end: number; by: Uint32Array } | undefined;
    for (let n = 0; n < 5000; n++) {
      let at: number, end: number, by: Uint32Array;
      if (undo) ({ at, end, by } = undo);
      else {
        at = int(rnd, ids.length + 1);
        end = Math.min(ids.length, at + int(rnd, rnd() < 0.9 ? 4 : 200));
        by = Uint32Array.from({ length: int(rnd, rnd() < 0.9 ? 4 : 200) }, tok);
      }
      undo = undo || rnd() < 0.3 ? undefined : { at, end: at + by.length, by: ids.slice(at, end) };
      // The store may report a first change before the real one (tokens re-made equal): say so sometimes.
      const same = lcp(ids.subarray(at, end), by);
      const first = at + (rnd() < 0.5 ? same : int(rnd, same + 1));
      ids = splice(ids, at, end, by);
      m.edited(first, end, at + by.length);
      assert.equal(m.prefix(runsOf(ids)), lcp(ids, base), `edit ${n}`);
    }
  });

  it('without the baseline ids, knows what the walks showed and what edits left alone', () => {
    const m = new BaselineMatch(undefined, 0);
    const ids = runsOf(new Uint32Array(1000));
    assert.equal(m.prefix(ids), 0);
    m.walked(800);
    assert.equal(m.prefix(ids), 800);
    m.edited(500, 502, 503);
    assert.equal(m.prefix(ids), 500, 'an edit at 500 leaves what is before it');
    m.walked(650);
    m.edited(900, 900, 901);
    assert.equal(m.prefix(ids), 650);
  });

  it('finds the baseline ids only when every entry is a prefix of the longest', () => {
    const a = Uint32Array.of(1, 2, 3, 4),
      b = Uint32Array.of(1, 2),
      c = Uint32Array.of(1, 3);
    assert.equal(BaselineMatch.baseOf([{ ids: b }, { ids: a }]), a);
    assert.equal(BaselineMatch.baseOf([{ ids: a }, { ids: c }]), undefined);
    assert.equal(BaselineMatch.baseOf([]), undefined);
  });
});
