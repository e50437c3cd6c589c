import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { ReplayReportState, ReplayViewToHost } from '../../src/protocol';
import { el } from '../shared/dom';
import { channel, followState, onThemeChange } from '../shared/vscodeApi';
import { requestTables } from './missTable';
import { summaryNodes } from './summary';
import { Timeline } from './timeline';

// The replay report, an app with one state: the host's report (a usage log's or an agent session's). update(state)
// renders it; the page is built once, its listeners attached once. Predicted vs actual cached share per request on a
// timeline, misses coloured by reason, the summary and the money; a click on a point or a row opens that line. No
// prompt text is shown.

interface AppState {
  readonly report?: ReplayReportState;
}

const ch = channel<ReplayViewToHost, { state?: ReplayReportState }>();
let state: AppState = {};

const app = document.getElementById('app')!;
app.removeAttribute('aria-busy');
const title = el('h1', { id: 'title' });
const summary = el('section', { id: 'summary', 'aria-live': 'polite' });
const canvas = el('canvas', {
  id: 'timeline',
  role: 'img',
  'aria-label': 'Cached share of each request: predicted (line) and actual (points, coloured by reason)',
});
const timelineBox = el(
  'section',
  { class: 'chart', 'aria-label': 'Timeline' },
  el('h2', {}, 'Timeline: cached share of each request'),
  el('div', { class: 'chart-box' }, canvas),
);
const misses = el('section', { id: 'misses' });
app.replaceChildren(title, summary, timelineBox, misses);

/** Asks the host to open a request: its line (and column), and its place in the state (a session spans files). */
function open(position: number): void {
  const r = state.report?.requests[position];
  if (!r) return;
  ch.post({
    type: 'openLine',
    index: r.index,
    ...(r.divergence ? { column: r.divergence.column } : {}),
    position,
  });
}

const timeline = new Timeline(canvas, open);
misses.addEventListener('click', (ev) => {
  const b = (ev.target as Element).closest<HTMLElement>('button[data-position]');
  if (b) open(Number(b.dataset.position));
});

/** Renders the state; `themed` after a theme change (the chart reads its colours when it is built). */
function render(s: AppState, themed = false): void {
  const report = s.report;
  if (!report) return;
  title.textContent = report.title;
  summary.replaceChildren(...summaryNodes(report.summary));
  timeline.update(report.requests, themed);
  misses.replaceChildren(...requestTables(report));
}

function update(next: AppState): void {
  state = next;
  render(state);
}

onThemeChange(() => render(state, true));
followState<ReplayReportState>(ch, (report) => update({ ...state, report }));
