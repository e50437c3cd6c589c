import assert from 'node:assert/strict';
import {
  formatUsd,
  percent,
  perTokenFromPerMTok,
  times,
  toDecimalString,
  toUsdNumber,
  FEMTO_PER_USD,
} from '../../../src/core/pricing/money';

describe('pricing/money', () => {
  it('parses USD/MTok decimal strings to exact femto-dollars per token', () => {
    assert.equal(perTokenFromPerMTok('3'), 3_000_000_000n);
    assert.equal(perTokenFromPerMTok('0.075'), 75_000_000n);
    assert.equal(perTokenFromPerMTok('0.003625'), 3_625_000n);
    assert.equal(perTokenFromPerMTok('0.000000001'), 1n);
    for (const bad of ['1e-6', '-1', '0.0000000001', '', 'abc', '1.'])
      assert.equal(perTokenFromPerMTok(bad), undefined, bad);
  });

  it('has no drift: 3 tokens × $0.075/MTok added a million times is exactly $0.225', () => {
    const p = perTokenFromPerMTok('0.075')!;
    let sum = 0n;
    for (let i = 0; i < 1_000_000; i++) sum += times(p, 3);
    assert.equal(toDecimalString(sum), '0.225');
    assert.equal(toUsdNumber(sum), 0.225);
    // the float way drifts, which is why money is not floats
    let f = 0;
    for (let i = 0; i < 1_000_000; i++) f += (3 * 0.075) / 1e6;
    assert.notEqual(f, 0.225);
  });

  it('formats with sensible precision', () => {
    const usd = (s: string) => perTokenFromPerMTok(s)! * 1_000_000n; // s dollars
    assert.equal(formatUsd(0n), '$0.00');
    assert.equal(formatUsd(usd('12.345')), '$12.35');
    assert.equal(formatUsd(usd('1234567.891')), '$1,234,567.89');
    assert.equal(formatUsd(usd('0.0123')), '$0.0123');
    assert.equal(formatUsd(usd('0.012345')), '$0.0123');
    assert.equal(formatUsd(usd('0.5')), '$0.50');
    assert.equal(formatUsd(usd('0.9996')), '$1.00');
    assert.equal(formatUsd(usd('0.0000012')), '$0.000001');
    assert.equal(formatUsd(1n), '<$0.000001');
    assert.equal(formatUsd(FEMTO_PER_USD), '$1.00');
  });

  it('computes percentages on integers, rounded to a tenth', () => {
    assert.equal(percent(1n, 3n), 33.3);
    assert.equal(percent(2n, 3n), 66.7);
    assert.equal(percent(-1n, 8n), -12.5);
    assert.equal(percent(1n, 0n), undefined);
  });
});
