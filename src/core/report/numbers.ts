import { formatUsdNumber } from '../pricing/money';

// Numbers as the status bar, hovers, lenses, hints and panels write them, so they say the same thing the same way.

const fmt = new Intl.NumberFormat('en-US');
export const count = (n: number): string => fmt.format(n);
export const usd = formatUsdNumber;
export const share = (a: number, b: number): string => `${b ? Math.round((100 * a) / b) : 0}%`;

/** "1,149" or "≈1,149" for an estimated tokenizer. */
export function tokens(n: number, exact: boolean): string {
  return `${exact ? '' : '≈'}${count(n)}`;
}
