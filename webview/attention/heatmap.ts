// The attention heat map on a canvas (SVG does not scale to 1,024 × 1,024 cells): one pixel per cell into an
// ImageData, scaled up without smoothing, colours from the theme. Rows are queries, columns keys; causal, so the
// upper triangle stays empty. The provider's cache boundary is drawn as a line on both axes.
import { themeColor } from '../shared/vscodeApi';

export interface MapView {
  readonly matrix: Float32Array;
  readonly S: number;
  /** First token shown and how many (a window on long prompts). */
  readonly start: number;
  readonly size: number;
  readonly boundary: number | null;
  /** Selected tokens (editor selection), highlighted on both axes. */
  readonly selected: readonly [number, number] | null;
  readonly cursor: readonly [number, number] | null;
}

function rgb(css: string, fallback: [number, number, number]): [number, number, number] {
  const m = /^#([0-9a-f]{6})/i.exec(css.trim());
  if (m) return [parseInt(m[1].slice(0, 2), 16), parseInt(m[1].slice(2, 4), 16), parseInt(m[1].slice(4, 6), 16)];
  const r = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
  return r ? [Number(r[1]), Number(r[2]), Number(r[3])] : fallback;
}

export class HeatMap {
  private readonly ctx: CanvasRenderingContext2D;
  private view: MapView | undefined;
  private readonly buffer = document.createElement('canvas');

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d')!;
  }

  /** The cell under a point of the canvas, in token indexes, or undefined outside the lower triangle. */
  cellAt(x: number, y: number): [number, number] | undefined {
    const v = this.view;
    if (!v) return undefined;
    const r = this.canvas.getBoundingClientRect(),
      cell = r.width / v.size;
    const i = v.start + Math.floor((y - r.top) / cell),
      j = v.start + Math.floor((x - r.left) / cell);
    return i >= v.start && i < v.start + v.size && j >= v.start && j <= i ? [i, j] : undefined;
  }

  draw(v: MapView): void {
    this.view = v;
    const { matrix, S, start, size } = v;
    const bg = rgb(themeColor('editor.background', '#1e1e1e'), [30, 30, 30]);
    const hot = rgb(themeColor('charts.blue', '#3794ff'), [55, 148, 255]);
    const fg = rgb(themeColor('foreground', '#cccccc'), [204, 204, 204]);
    // The brightest cells go towards the foreground colour, so the ramp reads in light, dark and high contrast.
    const img = new ImageData(size, size),
      d = img.data;
    for (let r = 0; r < size; r++) {
      const i = start + r;
      for (let c = 0; c <= r; c++) {
        const a = Math.sqrt(matrix[i * S + start + c]),
          o = (r * size + c) * 4;
        const t = Math.min(1, a * 1.6),
          u = Math.max(0, a * 1.6 - 1) / 0.6;
        for (let k = 0; k < 3; k++)
          d[o + k] = Math.round(bg[k] + (hot[k] - bg[k]) * t + (fg[k] - hot[k]) * Math.min(1, u));
        d[o + 3] = 255;
      }
    }
    this.buffer.width = size;
    this.buffer.height = size;
    this.buffer.getContext('2d')!.putImageData(img, 0, 0);
    const px = this.canvas.clientWidth * devicePixelRatio || 512;
    this.canvas.width = px;
    this.canvas.height = px;
    const g = this.ctx;
    g.imageSmoothingEnabled = false;
    g.clearRect(0, 0, px, px);
    g.drawImage(this.buffer, 0, 0, px, px);
    const cell = px / size;
    g.lineWidth = Math.max(1, devicePixelRatio);
    // The selection band under the boundary line, so the line stays visible where they meet.
    if (v.selected) {
      const [a, b] = v.selected,
        lo = Math.max(a, start) - start,
        hi = Math.min(b, start + size) - start;
      if (hi > lo) {
        g.fillStyle = themeColor('editor.selectionBackground', '#264f78');
        g.globalAlpha = 0.35;
        g.fillRect(0, lo * cell, px, (hi - lo) * cell);
        g.fillRect(lo * cell, 0, (hi - lo) * cell, px);
        g.globalAlpha = 1;
      }
    }
    if (v.boundary !== null && v.boundary > start && v.boundary < start + size) {
      const at = (v.boundary - start) * cell;
      g.strokeStyle = themeColor('charts.orange', '#d18616');
      g.lineWidth = 2 * devicePixelRatio;
      g.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
      g.beginPath();
      g.moveTo(at, 0);
      g.lineTo(at, px);
      g.moveTo(0, at);
      g.lineTo(px, at);
      g.stroke();
      g.setLineDash([]);
    }
    if (v.cursor) {
      const [i, j] = v.cursor;
      g.strokeStyle = themeColor('focusBorder', '#007fd4');
      g.lineWidth = 2 * devicePixelRatio;
      g.strokeRect((j - start) * cell, (i - start) * cell, Math.max(cell, 3), Math.max(cell, 3));
    }
  }
}

/** A small square of a matrix (the grid of all layers × heads): each pixel the mean of the cells it covers. */
export function thumbnail(matrix: Float32Array, S: number, px: number): ImageData {
  const n = Math.min(px, S),
    img = new ImageData(n, n),
    sums = new Float32Array(n * n),
    counts = new Uint32Array(n * n);
  for (let i = 0; i < S; i++)
    for (let j = 0; j <= i; j++) {
      const c = Math.floor((i * n) / S) * n + Math.floor((j * n) / S);
      sums[c] += matrix[i * S + j];
      counts[c]++;
    }
  const hot = rgb(themeColor('charts.blue', '#3794ff'), [55, 148, 255]),
    bg = rgb(themeColor('editor.background', '#1e1e1e'), [30, 30, 30]);
  for (let c = 0; c < n * n; c++) {
    const a = counts[c] ? Math.min(1, Math.sqrt((sums[c] / counts[c]) * (S / n)) * 1.6) : 0;
    for (let k = 0; k < 3; k++) img.data[c * 4 + k] = Math.round(bg[k] + (hot[k] - bg[k]) * a);
    img.data[c * 4 + 3] = 255;
  }
  return img;
}
