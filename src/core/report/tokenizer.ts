import type { Calibrated } from '../tokenizer/types';

/**
 * How far a count can be trusted, after the encoding's name: "exact", or "estimate, ±25 %" and, when a calibration
 * file's factors are in use, "calibrated from kvlens-calibration.json".
 */
export function countKind(exact: boolean, band: number | undefined, calibrated?: Calibrated): string {
  if (exact) return 'exact';
  return `estimate, ±${Math.round((band ?? 0) * 100)} %${calibrated ? `, calibrated from ${calibrated.label}` : ''}`;
}
