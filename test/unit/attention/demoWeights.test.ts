import assert from 'node:assert/strict';
import { normalRng, roundToHalf } from '../../../src/core/attention/demoWeights';

describe('attention: the demo weights are made fast and the same', () => {
  it('roundToHalf equals rounding at floor(log2|v|) as Math.log2 gives it, also right below powers of two', () => {
    const slow = (v: number) => {
      if (!Number.isFinite(v) || v === 0) return v;
      const step = 2 ** (Math.max(Math.floor(Math.log2(Math.abs(v))), -14) - 10);
      return Math.round(v / step) * step;
    };
    const n = normalRng(7);
    const values = [5e-324, 1e-310, 6e-8, 2 ** -14, 1, 2, 3.999999999, 65504, 1e30, -0.5, Number.NaN, Infinity];
    for (let k = -30; k <= 30; k++) values.push(2 ** k, 2 ** k * (1 - 2 ** -52), 2 ** k * (1 - 2 ** -40), -(2 ** k));
    for (let i = 0; i < 200000; i++) values.push(n() * 10 ** ((i % 12) - 6));
    for (const v of values) assert.ok(Object.is(roundToHalf(v), slow(v)), `${v}: ${roundToHalf(v)} vs ${slow(v)}`);
  });

  it('skipping numbers leaves the generator where drawing them would', () => {
    const a = normalRng(20261201),
      b = normalRng(20261201);
    for (let i = 0; i < 12345; i++) a();
    b.skip(12345);
    for (let i = 0; i < 100; i++) assert.equal(a(), b());
  });
});
