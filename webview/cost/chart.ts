import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { CostModelView } from '../../src/protocol';
import { themeColor } from '../shared/vscodeApi';
import { count, usd } from '../shared/format';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

const PALETTE = ['charts.blue', 'charts.orange', 'charts.green', 'charts.purple', 'charts.red', 'charts.yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];

/**
 * Cumulative cost against the number of calls, with (solid) and without (dashed) the cache, one pair per model,
 * in the theme's chart colours (readable in light, dark and high contrast; the dash tells the pair apart without
 * colour).
 */
export class CostChart {
  private chart: Chart | undefined;
  private models: readonly CostModelView[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** Redraws in the current theme's colours (the chart reads them when it is built). */
  retheme(): void {
    this.chart?.destroy();
    this.chart = undefined;
    this.update(this.models);
  }

  update(models: readonly CostModelView[]): void {
    this.models = models;
    const fg = themeColor('foreground', '#cccccc');
    const grid = themeColor('editorWidget.border', '#454545');
    const labels = models[0]?.curve.calls.map(String) ?? [];
    const datasets = models.flatMap((m, i) => {
      const color = themeColor(PALETTE[i % PALETTE.length], FALLBACK[i % FALLBACK.length]);
      return [
        {
          label: `${m.model} with cache`,
          data: [...m.curve.withCache],
          borderColor: color,
          backgroundColor: color,
          borderWidth: 2,
          pointRadius: 0,
        },
        {
          label: `${m.model} without cache`,
          data: [...m.curve.withoutCache],
          borderColor: color,
          backgroundColor: color,
          borderWidth: 2,
          borderDash: [6, 4],
          pointRadius: 0,
        },
      ];
    });
    if (this.chart) {
      this.chart.data.labels = labels;
      this.chart.data.datasets = datasets;
      this.chart.update('none');
      return;
    }
    this.chart = new Chart(this.canvas, {
      type: 'line',
      data: { labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        color: fg,
        scales: {
          x: {
            title: { display: true, text: 'calls', color: fg },
            ticks: { color: fg, maxTicksLimit: 11 },
            grid: { color: grid },
          },
          y: {
            title: { display: true, text: 'cumulative cost (USD)', color: fg },
            ticks: { color: fg, callback: (v) => usd(Number(v)) },
            grid: { color: grid },
          },
        },
        plugins: {
          legend: { labels: { color: fg, boxHeight: 2 } },
          tooltip: {
            callbacks: {
              title: (items) => `${count(Number(items[0]?.label ?? 0))} calls`,
              label: (item) => `${item.dataset.label}: ${usd(Number(item.raw))}`,
            },
          },
        },
      },
    });
  }
}
