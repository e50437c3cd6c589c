// The step view: the cached keys and values of one head drawn as they grow, a row per token. Rows the last run took
// from the cache are marked apart from the rows it computed — what prompt-caching explanations draw by hand, here
// from the numbers the panel's own cache holds.
import { themeColor } from '../shared/vscodeApi';

export interface KvStep {
  readonly keys: Float32Array;
  readonly values: Float32Array;
  readonly headDim: number;
  /** Rows shown (tokens 0 … step−1). */
  readonly step: number;
  readonly total: number;
  /** Rows the last run reused from the cache. */
  readonly reused: number;
}

function draw(canvas: HTMLCanvasElement, data: Float32Array, s: KvStep): void {
  const { headDim: Dh, step, total, reused } = s,
    cell = Math.max(2, Math.min(10, Math.floor(480 / Math.max(total, 1))));
  const mark = 6,
    w = mark + Dh * 8,
    h = Math.min(total * cell, 4096);
  canvas.width = w * devicePixelRatio;
  canvas.height = h * devicePixelRatio;
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const g = canvas.getContext('2d')!;
  g.scale(devicePixelRatio, devicePixelRatio);
  let max = 1e-6;
  for (let i = 0; i < step * Dh; i++) max = Math.max(max, Math.abs(data[i]));
  const pos = themeColor('charts.blue', '#3794ff'),
    neg = themeColor('charts.red', '#f14c4c');
  const cached = themeColor('charts.green', '#89d185'),
    computed = themeColor('charts.orange', '#d18616');
  const rowH = h / total;
  for (let t = 0; t < step; t++) {
    g.fillStyle = t < reused ? cached : computed;
    g.fillRect(0, t * rowH, mark - 1, Math.max(1, rowH - 0.5));
    for (let d = 0; d < Dh; d++) {
      const v = data[t * Dh + d] / max;
      g.globalAlpha = Math.min(1, Math.abs(v));
      g.fillStyle = v >= 0 ? pos : neg;
      g.fillRect(mark + d * 8, t * rowH, 8, Math.max(1, rowH - 0.5));
    }
    g.globalAlpha = 1;
  }
}

export function drawKvStep(keys: HTMLCanvasElement, values: HTMLCanvasElement, s: KvStep): void {
  draw(keys, s.keys, s);
  draw(values, s.values, s);
}
