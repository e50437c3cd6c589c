import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TokenTrie } from '../../../src/core/cache/tokenTrie';
import { Simulator } from '../../../src/core/cache/simulator';
import { model, rendered, seq, T0 } from './fixtures';

const entry = (ids: number[] | Uint32Array, writtenAt = T0, ttlMs = 60_000, label = 'e') => ({
  ids: Uint32Array.from(ids),
  writtenAt,
  ttlMs,
  label,
});

function lcp(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

describe('token trie', () => {
  it('finds the longest live prefix across branching entries', () => {
    const t = new TokenTrie();
    t.insert(entry([1, 2, 3, 4, 5]));
    t.insert(entry([1, 2, 9, 9]));
    t.insert(entry([1, 2]));
    const m = t.match(Uint32Array.from([1, 2, 3, 4, 7, 7]), T0);
    assert.equal(m.reusablePrefix, 4);
    assert.deepEqual(
      m.prefixEntries.map((e) => e.ids.length),
      [2],
    );
    assert.deepEqual(Array.from(m.best!.ids), [1, 2, 3, 4, 5]);
  });

  it('ignores expired entries, at exactly writtenAt + ttl too', () => {
    const t = new TokenTrie();
    t.insert(entry([1, 2, 3, 4, 5], T0, 1000, 'long'));
    t.insert(entry([1, 2], T0, 5000, 'short'));
    assert.equal(t.match(Uint32Array.from([1, 2, 3, 4, 5]), T0 + 999).reusablePrefix, 5);
    assert.equal(t.match(Uint32Array.from([1, 2, 3, 4, 5]), T0 + 1000).reusablePrefix, 2);
    assert.equal(t.match(Uint32Array.from([1, 2, 3, 4, 5]), T0 + 5000).reusablePrefix, 0);
  });

  it('keys entries by content: the same tokens again refresh one entry', () => {
    const t = new TokenTrie();
    t.insert(entry([4, 5, 6], T0, 1000, 'a'));
    t.insert(entry([4, 5, 6], T0 + 500, 1000, 'b'));
    assert.equal(t.size, 1);
    assert.equal(t.match(Uint32Array.from([4, 5, 6]), T0 + 1400).best?.label, 'b');
  });

  it('removal prunes and keeps the other entries findable', () => {
    const t = new TokenTrie();
    const a = t.insert(entry([1, 2, 3, 4]));
    t.insert(entry([1, 2, 5]));
    t.remove(a);
    assert.equal(t.size, 1);
    assert.equal(t.match(Uint32Array.from([1, 2, 3, 4]), T0).reusablePrefix, 2);
    assert.equal(t.match(Uint32Array.from([1, 2, 5]), T0).reusablePrefix, 3);
  });

  it('agrees with a brute-force longest common prefix over live entries (property)', () => {
    const ids = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(fc.record({ ids, at: fc.integer({ min: 0, max: 10 }), ttl: fc.integer({ min: 1, max: 10 }) }), {
          maxLength: 12,
        }),
        fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 4 }),
        ids,
        fc.integer({ min: 0, max: 20 }),
        (entries, removals, query, now) => {
          const t = new TokenTrie();
          const stored = entries.map((e) => t.insert(entry(e.ids, e.at, e.ttl)));
          const removed = new Set<number>();
          for (const r of removals)
            if (r < stored.length) {
              t.remove(stored[r]);
              removed.add(r);
            }
          // Content-keyed: the live set is, per distinct sequence, the latest expiry among its non-removed inserts.
          const q = Uint32Array.from(query);
          const byKey = new Map<string, { ids: Uint32Array; exp: number; removed: boolean }>();
          entries.forEach((e, i) => {
            const key = e.ids.join(',');
            const cur = byKey.get(key);
            const exp = e.at + e.ttl;
            const gone = removed.has(i) || (cur?.removed ?? false);
            byKey.set(key, { ids: Uint32Array.from(e.ids), exp: Math.max(cur?.exp ?? -Infinity, exp), removed: gone });
          });
          let expected = 0;
          const prefixes: number[] = [];
          for (const v of byKey.values()) {
            if (v.removed || v.exp <= now) continue;
            expected = Math.max(expected, lcp(v.ids, q));
            if (lcp(v.ids, q) === v.ids.length) prefixes.push(v.ids.length);
          }
          const m = t.match(q, now);
          assert.equal(m.reusablePrefix, expected);
          assert.deepEqual(
            m.prefixEntries.map((e) => e.ids.length),
            prefixes.sort((a, b) => a - b),
          );
          if (expected > 0) assert.equal(lcp(m.best!.ids, q), expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('simulator history', () => {
  const M = model('sglang', { ttlSeconds: 3600 });
  it('keeps at most maxEntries, evicting the least recently used', () => {
    const sim = new Simulator({ maxEntries: 3 });
    for (let s = 1; s <= 3; s++) sim.request(rendered({ blocks: [50], seed: s }), M, T0 + s);
    sim.request(rendered({ blocks: [50], seed: 1 }), M, T0 + 10); // a hit: seed 1 is now the most recent
    sim.request(rendered({ blocks: [50], seed: 4 }), M, T0 + 11);
    assert.equal(sim.size, 3);
    const labels = sim
      .entries()
      .map((e) => e.ids[0])
      .sort((a, b) => a - b);
    assert.deepEqual(labels, [seq(1, 1)[0], seq(1, 3)[0], seq(1, 4)[0]]);
  });
  it('keeps the total token count bounded', () => {
    const sim = new Simulator({ maxTokens: 250 });
    for (let s = 1; s <= 5; s++) sim.request(rendered({ blocks: [100], seed: s }), M, T0 + s);
    assert.ok(sim.entries().reduce((a, e) => a + e.ids.length, 0) <= 250);
    assert.equal(sim.analyze(rendered({ blocks: [100], seed: 5 }), M, T0 + 9).cachedTokens, 99);
    assert.equal(sim.analyze(rendered({ blocks: [100], seed: 1 }), M, T0 + 9).cachedTokens, 0);
  });
  it('purgeExpired drops dead entries', () => {
    const sim = new Simulator();
    sim.add({ ...entry([1, 2, 3], T0, 1000) });
    sim.add({ ...entry([7, 8], T0, 5000) });
    sim.purgeExpired(T0 + 2000);
    assert.equal(sim.size, 1);
  });
});
