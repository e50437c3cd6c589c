import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import type { ReplayRequestView } from '../../src/protocol';
import { count } from '../shared/format';
import { chartColors } from '../shared/vscodeApi';
import { pct } from './figures';
import { reasonColor } from './reasons';

Chart.register(
  LineController,
  ScatterController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Legend,
  Tooltip,
);

/**
 * The timeline: the predicted cached share of each request (a stepped line) and the actual one (points coloured by
 * the miss reason). Built once; each render hands it the requests. A click on a point names the request's place.
 */
export class Timeline {
  private chart: Chart | undefined;
  private requests: readonly ReplayRequestView[] = [];
  /** Positions (in the state's requests) of the points with an actual share, in the scatter's order. */
  private withActual: number[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly open: (position: number) => void,
  ) {}

  /** Shows these requests; `rebuild` after a theme change (colours are read when the chart is built). */
  update(requests: readonly ReplayRequestView[], rebuild = false): void {
    if (rebuild) {
      this.chart?.destroy();
      this.chart = undefined;
    }
    this.requests = requests;
    this.withActual = requests.flatMap((r, i) => (r.actualShare !== null ? [i] : []));
    const { fg, grid } = chartColors();
    const data = {
      datasets: [
        {
          type: 'line' as const,
          label: 'predicted',
          data: requests.map((r) => ({ x: r.index + 1, y: r.predictedShare * 100 })),
          borderColor: fg,
          backgroundColor: fg,
          borderWidth: 1.5,
          pointRadius: 0,
          stepped: true,
        },
        {
          type: 'scatter' as const,
          label: 'actual (coloured by reason)',
          data: this.withActual.map((i) => ({ x: requests[i].index + 1, y: requests[i].actualShare! * 100 })),
          pointBackgroundColor: this.withActual.map((i) => reasonColor(requests[i].reason)),
          pointRadius: 5,
          pointHoverRadius: 7,
        },
      ],
    };
    if (this.chart) {
      this.chart.data = data as never;
      this.chart.update('none');
      return;
    }
    const position = (dataset: number, index: number) => (dataset === 1 ? this.withActual[index] : index);
    this.chart = new Chart(this.canvas, {
      data: data as never,
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        color: fg,
        scales: {
          x: {
            type: 'linear',
            title: { display: true, text: 'log line', color: fg },
            ticks: { color: fg, precision: 0 },
            grid: { color: grid },
          },
          y: {
            min: 0,
            max: 100,
            title: { display: true, text: 'cached share (%)', color: fg },
            ticks: { color: fg },
            grid: { color: grid },
          },
        },
        plugins: {
          legend: {
            labels: {
              color: fg,
              // The actual points wear their reason's colour: the swatch is a neutral outline, not the first point's colour.
              generateLabels: (chart) =>
                Chart.defaults.plugins.legend.labels
                  .generateLabels(chart)
                  .map((l) =>
                    l.datasetIndex === 1 ? { ...l, fillStyle: 'transparent', strokeStyle: fg, lineWidth: 1.5 } : l,
                  ),
            },
          },
          tooltip: {
            callbacks: {
              label: (item) => {
                const r = this.requests[position(item.datasetIndex, item.dataIndex)];
                return `line ${count(r.index + 1)}: ${r.reason}, predicted ${pct(r.predictedShare)}, actual ${pct(r.actualShare)}`;
              },
            },
          },
        },
        onClick: (_e, els) => {
          const hit = els[0];
          if (hit) this.open(position(hit.datasetIndex, hit.index));
        },
      },
    });
  }
}
