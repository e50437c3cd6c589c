import '@vscode-elements/elements/dist/vscode-button/index.js';
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
import type { MissReason } from '../../src/core/replay/replay';
import type { ReplayReportState, ReplayRequestView, ReplayViewToHost } from '../../src/protocol';
import { el } from '../shared/dom';
import { count, usd } from '../shared/format';
import { channel, followState, themeColor } from '../shared/vscodeApi';

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

// The replay report: predicted vs actual cached share per request on a timeline, misses coloured by reason, the
// summary and the money. Clicking a point or a row opens that line of the log. No prompt text is shown.

// Keyed by the union: a new reason does not compile until it has its colour.
const REASON_COLOR: Record<MissReason, [string, string]> = {
  cached: ['charts.green', '#89d185'],
  cold: ['charts.blue', '#3794ff'],
  'warm-before-log': ['charts.green', '#89d185'],
  'ttl-expired': ['charts.yellow', '#cca700'],
  'prefix-changed': ['charts.red', '#f14c4c'],
  'below-minimum': ['charts.purple', '#b180d7'],
  'breakpoint-limits': ['charts.orange', '#d18616'],
  'model-switch': ['charts.orange', '#d18616'],
  'instructions-changed': ['charts.red', '#f14c4c'],
  'tools-changed': ['charts.red', '#f14c4c'],
  compaction: ['charts.blue', '#3794ff'],
  clear: ['charts.blue', '#3794ff'],
  'not-predicted': ['descriptionForeground', '#9d9d9d'],
  unexplained: ['descriptionForeground', '#9d9d9d'],
};
const color = (reason: MissReason) => themeColor(...REASON_COLOR[reason]);
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 1000) / 10} %`);

const ch = channel<ReplayViewToHost, { state?: ReplayReportState }>();
let state: ReplayReportState | undefined;
let chart: Chart | undefined;

const app = document.getElementById('app')!;
app.removeAttribute('aria-busy');
const title = el('h1', { id: 'title' });
const summary = el('section', { id: 'summary', 'aria-live': 'polite' });
const canvas = el('canvas', {
  id: 'timeline',
  role: 'img',
  'aria-label': 'Cached share of each request: predicted (line) and actual (points, coloured by reason)',
});
const timeline = el(
  'section',
  { class: 'chart', 'aria-label': 'Timeline' },
  el('h2', {}, 'Timeline: cached share of each request'),
  el('div', { class: 'chart-box' }, canvas),
);
const misses = el('section', { id: 'misses' });
app.replaceChildren(title, summary, timeline, misses);

const open = (r: ReplayRequestView) => {
  const position = state?.requests.indexOf(r) ?? -1;
  ch.post({
    type: 'openLine',
    index: r.index,
    ...(r.divergence ? { column: r.divergence.column } : {}),
    ...(position >= 0 ? { position } : {}),
  });
};

function render(): void {
  if (!state) return;
  const s = state.summary;
  title.textContent = state.title;
  const money = s.money;
  summary.replaceChildren(
    el(
      'p',
      {},
      s.format
        ? `${s.format === 'codex' ? 'Codex' : 'Claude Code'} session: ${count(s.requests)} model calls: ${count(s.matched)} match, ${count(s.mismatched)} mismatch, ${count(s.unverified)} first call${s.unverified === 1 ? '' : 's'} not judged${s.skipped ? `, ${count(s.skipped)} lines skipped` : ''}.`
        : `${count(s.requests)} requests: ${count(s.matched)} match, ${count(s.mismatched)} mismatch, ${count(s.unverified)} without usage${s.skipped ? `, ${count(s.skipped)} lines skipped` : ''}.`,
    ),
    el(
      'p',
      { id: 'hit-rate' },
      `Hit rate (cached / all input tokens): predicted ${pct(s.hitRate.predicted)}, actual ${pct(s.hitRate.actual)}.`,
    ),
    ...(s.inferred
      ? [
          el(
            'p',
            { class: 'muted', id: 'inferred' },
            `System prompt and tools (not in the transcript): ${s.inferred.note}.`,
          ),
        ]
      : []),
    ...(s.providerReasons?.compared
      ? [
          el(
            'p',
            { id: 'provider-reasons' },
            `The provider's own miss reasons agree with KV Lens's on ${count(s.providerReasons.agreed)} of ${count(s.providerReasons.compared)} misses.`,
          ),
        ]
      : []),
    el(
      'p',
      { id: 'money' },
      `Cost of the log ${usd(money.actual)}; the avoidable misses cost ${usd(money.avoidable)} — ${usd(money.withoutAvoidableMisses)} had they been avoided.`,
    ),
    el(
      'ul',
      { class: 'reasons' },
      ...money.byReason.map((r) =>
        el(
          'li',
          {},
          el('span', { class: 'chip', style: `background:${color(r.reason)}` }),
          ` ${r.reason}: ${count(r.requests)} request${r.requests === 1 ? '' : 's'}, ${usd(r.cost)}`,
        ),
      ),
    ),
    ...s.calibration.map((c) =>
      el(
        'p',
        { class: 'muted' },
        `${c.encoding} (${c.kind}): the provider counted ${c.ratio}× the estimated tokens over ${count(c.requests)} requests — \`kvlens replay --calibrate FILE\` writes factors from this log.`,
      ),
    ),
    ...s.problems
      .slice(0, 10)
      .map((p) => el('p', { class: 'problem' }, `${p.line ? `line ${p.line}: ` : ''}${p.message}`)),
  );
  const rs = state.requests;
  const fg = themeColor('foreground', '#cccccc'),
    grid = themeColor('editorWidget.border', '#454545');
  const data = {
    datasets: [
      {
        type: 'line' as const,
        label: 'predicted',
        data: rs.map((r) => ({ x: r.index + 1, y: r.predictedShare * 100 })),
        borderColor: fg,
        backgroundColor: fg,
        borderWidth: 1.5,
        pointRadius: 0,
        stepped: true,
      },
      {
        type: 'scatter' as const,
        label: 'actual',
        data: rs.filter((r) => r.actualShare !== null).map((r) => ({ x: r.index + 1, y: r.actualShare! * 100 })),
        pointBackgroundColor: rs.filter((r) => r.actualShare !== null).map((r) => color(r.reason)),
        pointRadius: 5,
        pointHoverRadius: 7,
      },
    ],
  };
  const withActual = rs.filter((r) => r.actualShare !== null);
  if (chart) {
    chart.data = data as never;
    chart.update('none');
  } else {
    chart = new Chart(canvas, {
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
          legend: { labels: { color: fg } },
          tooltip: {
            callbacks: {
              label: (item) => {
                const r = item.datasetIndex === 1 ? withActual[item.dataIndex] : rs[item.dataIndex];
                return `line ${r.index + 1}: ${r.reason}, predicted ${pct(r.predictedShare)}, actual ${pct(r.actualShare)}`;
              },
            },
          },
        },
        onClick: (_e, els) => {
          const hit = els[0];
          if (hit) open(hit.datasetIndex === 1 ? withActual[hit.index] : rs[hit.index]);
        },
      },
    });
  }
  const rows = rs.filter((r) => r.reason !== 'cached' || r.verdict === 'mismatch');
  const table = el(
    'table',
    { class: 'grid', id: 'miss-table' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['line', 'time', 'reason', 'predicted', 'actual', 'where', 'what it cost'].map((h) =>
          el('th', { scope: 'col' }, h),
        ),
      ),
    ),
    el(
      'tbody',
      {},
      ...rows.map((r) => {
        const b = el(
          'button',
          { class: 'sort', type: 'button', 'data-line': String(r.index + 1) },
          `line ${r.index + 1}`,
        );
        b.addEventListener('click', () => open(r));
        const where = r.divergence
          ? s.format
            ? `${r.divergence.block.split(/[\\/]/).pop()}:${r.divergence.line}`
            : `${r.divergence.block} (col ${r.divergence.column})`
          : r.gapSeconds !== undefined
            ? r.gapSeconds < 120
              ? `${Math.round(r.gapSeconds)} s since`
              : `${Math.round(r.gapSeconds / 60)} min since`
            : '';
        const reason = `${r.reason}${r.verdict === 'mismatch' ? ' (mismatch)' : ''}${r.chain && r.chain !== 'main' ? ` · ${r.chain}` : ''}${r.providerReason ? ` · provider: ${r.providerReason}` : ''}`;
        return el(
          'tr',
          { class: r.verdict === 'mismatch' ? 'strong' : '' },
          el('td', {}, b),
          el('td', {}, r.timestamp?.replace('T', ' ').slice(0, 19) ?? '–'),
          el('td', {}, el('span', { class: 'chip', style: `background:${color(r.reason)}` }), ` ${reason}`),
          el('td', { class: 'num' }, pct(r.predictedShare)),
          el('td', { class: 'num' }, pct(r.actualShare)),
          el('td', {}, where),
          el('td', { class: 'num' }, r.missCost ? usd(r.missCost) : '–'),
        );
      }),
    ),
  );
  misses.replaceChildren(
    el('h2', {}, 'Requests not read from cache'),
    ...(rows.length
      ? [el('div', { class: 'scroll' }, table)]
      : [el('p', { class: 'muted' }, 'Every request read what it could from cache.')]),
    ...(state.truncated
      ? [
          el(
            'p',
            { class: 'muted' },
            `The timeline shows the first ${count(rs.length)} requests; ${count(state.truncated)} more are in the summary.`,
          ),
        ]
      : []),
  );
}

followState<ReplayReportState>(ch, (next) => {
  state = next;
  render();
});
