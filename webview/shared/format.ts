// Number and money formatting of the cost report (the host sends USD as numbers, exact to 1e-9).

const int = new Intl.NumberFormat('en-US');
export const count = (n: number): string => int.format(n);

/** "$0.00382", "$1,234.56": three significant digits below a dollar, cents above. */
export function usd(v: number): string {
  if (v < 0) return `−${usd(-v)}`;
  if (v === 0) return '$0.00';
  if (v >= 1) return `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (v < 0.000001) return '<$0.000001';
  const digits = Math.min(6, Math.max(2, 2 - Math.floor(Math.log10(v))));
  return `$${v.toFixed(digits).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
}

/** A money figure with an estimate's band: "$0.0038 ±25 %". */
export function usdBand(v: number, band: number | undefined): string {
  return band ? `${usd(v)} ±${Math.round(band * 100)} %` : usd(v);
}
