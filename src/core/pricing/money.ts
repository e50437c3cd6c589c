/**
 * Exact money. Amounts are BigInt femto-dollars (1e-15 USD): a catalog price in USD per million tokens with up to
 * 9 decimals is then an integer number of femto-dollars per token, so tokens × price and any sum of such products are
 * exact integers — no float ever touches a figure until it is formatted or handed to JSON.
 */
export type Money = bigint;

/** Femto-dollars in one dollar. */
export const FEMTO_PER_USD = 10n ** 15n;
/** Decimal places a "USD per million tokens" string may carry: 15 (femto) − 6 (per million). */
export const PRICE_DECIMALS = 9;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** True when `s` is a plain non-negative decimal ("3", "0.075") with at most PRICE_DECIMALS decimals. */
export function isPriceString(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DECIMAL.exec(s);
  return !!m && (m[2]?.length ?? 0) <= PRICE_DECIMALS;
}

/**
 * Femto-dollars per token for a "USD per million tokens" decimal string, or undefined when the string is not a
 * plain decimal with at most 9 decimals (the catalog validator reports that; nothing here throws).
 */
export function perTokenFromPerMTok(usdPerMTok: string): Money | undefined {
  const m = DECIMAL.exec(usdPerMTok);
  if (!m) return undefined;
  const frac = m[2] ?? '';
  if (frac.length > PRICE_DECIMALS) return undefined;
  return BigInt(m[1]) * 10n ** BigInt(PRICE_DECIMALS) + BigInt(frac.padEnd(PRICE_DECIMALS, '0') || '0');
}

/** Cost of `tokens` tokens at a per-token price. Token counts are integers; a fraction is a caller bug, so it is truncated. */
export function times(perToken: Money, tokens: number): Money {
  return perToken * BigInt(Math.max(0, Math.trunc(tokens)));
}

/** Exact decimal string in USD, without trailing zeros ("0.000225", "12.5", "0"). */
export function toDecimalString(m: Money): string {
  const neg = m < 0n;
  const a = neg ? -m : m;
  const whole = a / FEMTO_PER_USD;
  const frac = (a % FEMTO_PER_USD).toString().padStart(15, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}

/** USD as a JS number for JSON output: the nearest double to the exact decimal (never accumulated in floats). */
export function toUsdNumber(m: Money): number {
  return Number(toDecimalString(m));
}

/** A USD-per-million-tokens price as a number for JSON output. */
export function priceToNumber(usdPerMTok: string | undefined): number | null {
  return usdPerMTok === undefined ? null : Number(usdPerMTok);
}

/** Rounds half away from zero to `decimals` places, returning femto-dollars. */
function roundTo(m: Money, decimals: number): Money {
  const unit = 10n ** BigInt(15 - decimals);
  const a = m < 0n ? -m : m;
  const r = ((a + unit / 2n) / unit) * unit;
  return m < 0n ? -r : r;
}

const SMALLEST_SHOWN = 10n ** 9n; // $0.000001

/**
 * Human money: $12.35 for a dollar or more; three significant digits below a dollar ($0.0123, $0.50);
 * "<$0.000001" for a non-zero amount too small to show; "$0.00" for zero.
 */
export function formatUsd(m: Money): string {
  if (m < 0n) return '-' + formatUsd(-m);
  if (m === 0n) return '$0.00';
  if (m < SMALLEST_SHOWN) return '<$0.000001';
  if (m >= FEMTO_PER_USD) {
    const r = roundTo(m, 2);
    const whole = r / FEMTO_PER_USD;
    const cents = ((r % FEMTO_PER_USD) / 10n ** 13n).toString().padStart(2, '0');
    return `$${whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
  }
  // Below a dollar: decimals so that three significant digits show, at most 6, at least 2.
  const digits = m.toString().length; // m < 1e15 so digits ≤ 15; leading position = 15 - digits + 1
  const firstSig = 15 - digits + 1;
  const decimals = Math.min(6, Math.max(2, firstSig + 2));
  const r = roundTo(m, decimals);
  if (r >= FEMTO_PER_USD) return formatUsd(r);
  let frac = (r / 10n ** BigInt(15 - decimals)).toString().padStart(decimals, '0');
  while (frac.length > 2 && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `$0.${frac}`;
}

/** a / b as a percentage with one decimal, computed on integers (undefined when b is zero). */
export function percent(a: Money, b: Money): number | undefined {
  if (b === 0n) return undefined;
  // ×1000 then round half away from zero to tenths of a percent.
  const scaled = a * 1000n;
  const q = scaled / b;
  const rem = scaled % b;
  const twice = (rem < 0n ? -rem : rem) * 2n;
  const babs = b < 0n ? -b : b;
  const neg = scaled < 0n !== b < 0n;
  const rounded = twice >= babs ? q + (neg ? -1n : 1n) : q;
  return Number(rounded) / 10;
}

/** Smallest integer ≥ a / b for positive b. */
export function ceilDiv(a: Money, b: Money): bigint {
  if (b <= 0n) throw new RangeError('ceilDiv needs a positive divisor');
  if (a <= 0n) return -(-a / b);
  return (a + b - 1n) / b;
}

/** formatUsd for a dollar amount already handed to JSON as a number (a CacheReport's cost). */
export function formatUsdNumber(usd: number): string {
  return formatUsd(BigInt(Math.round(usd * 1e15)));
}
