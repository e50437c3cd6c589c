// The replay report's words for figures: shares, durations, times (numbers with thousands separators throughout).
import { count } from '../shared/format';

export const pct = (x: number | null): string => (x === null ? '–' : `${Math.round(x * 1000) / 10} %`);

/** "45 s", "12 min", "1.5 h". */
export function duration(seconds: number): string {
  if (seconds < 120) return `${count(Math.round(seconds))} s`;
  if (seconds < 2 * 3600) return `${count(Math.round(seconds / 60))} min`;
  return `${count(Math.round(seconds / 360) / 10)} h`;
}

/** "09:02:00" (the date and zone in full where a title can hold it). */
export const clockTime = (iso: string | null): string => (iso ? iso.slice(11, 19) : '–');
