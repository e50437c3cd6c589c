import { getTokenizer, registerTokenizer } from '../registry';
import type { ContentKind } from './contentKind';
import { CLAUDE_ESTIMATE, CLAUDE_OPUS47_ESTIMATE } from './claude';
import { GEMINI_ESTIMATE } from './gemini';
import { createProxyEstimate, type EstimateCalibration } from './proxyEstimate';

/**
 * Calibration files: factors per content kind for the estimated encodings, measured from a usage log (`kvlens
 * replay --calibrate FILE`), where the provider's real input token counts are known. Applying one re-registers the
 * estimates with the measured factors and says so in their method, which every report shows.
 */
export interface CalibrationFile {
  readonly source: string;
  readonly asOf: string;
  readonly factors: Readonly<Record<string, Partial<Record<ContentKind, number>>>>;
}

export const ESTIMATES: readonly EstimateCalibration[] = [CLAUDE_ESTIMATE, CLAUDE_OPUS47_ESTIMATE, GEMINI_ESTIMATE];

/** Current factors of an estimated encoding (after any calibration applied). */
export function currentFactors(encoding: string): Record<ContentKind, number> | undefined {
  return (
    applied.get(encoding) ??
    (ESTIMATES.find((e) => e.encoding === encoding)?.factors as Record<ContentKind, number> | undefined)
  );
}

const applied = new Map<string, Record<ContentKind, number>>();

/** Validates a calibration file's content; returns a message naming the problem, or the file. */
export function parseCalibration(text: string, file: string): CalibrationFile | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return `${file}: not JSON (${(e as Error).message})`;
  }
  const d = data as CalibrationFile;
  if (typeof d !== 'object' || d === null || typeof d.factors !== 'object' || d.factors === null)
    return `${file}: a calibration file is {"source", "asOf", "factors": {encoding: {prose, code, cjk}}}`;
  for (const [enc, f] of Object.entries(d.factors)) {
    if (!ESTIMATES.some((e) => e.encoding === enc))
      return `${file}: factors.${enc}: not an estimated encoding (${ESTIMATES.map((e) => e.encoding).join(', ')})`;
    for (const [k, v] of Object.entries(f ?? {}))
      if (!['prose', 'code', 'cjk'].includes(k) || typeof v !== 'number' || !(v > 0.2 && v < 5))
        return `${file}: factors.${enc}.${k}: a factor between 0.2 and 5`;
  }
  return d;
}

/** Re-registers the estimates the file calibrates; returns the encodings it changed. */
export function applyCalibration(c: CalibrationFile, label: string): string[] {
  const changed: string[] = [];
  for (const base of ESTIMATES) {
    const f = c.factors[base.encoding];
    if (!f) continue;
    const factors = { ...base.factors, ...f } as Record<ContentKind, number>;
    applied.set(base.encoding, factors);
    const cal: EstimateCalibration = {
      ...base,
      factors,
      method: `${base.method}; calibrated from ${label} (${c.source}, ${c.asOf})`,
      calibratedFrom: { label, source: c.source, asOf: c.asOf },
    };
    registerTokenizer(base.encoding, () => createProxyEstimate(getTokenizer('o200k_base')!, cal));
    changed.push(base.encoding);
  }
  return changed;
}

/** Back to the built-in factors (the setting was cleared). */
export function resetCalibration(): void {
  for (const base of ESTIMATES) {
    if (!applied.delete(base.encoding)) continue;
    registerTokenizer(base.encoding, () => createProxyEstimate(getTokenizer('o200k_base')!, base));
  }
}
