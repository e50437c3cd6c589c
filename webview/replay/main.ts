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

/** Which log or session a report is of: another one in the same panel opens at its top. */
const reportOf = (r: ReplayReportState | undefined) => (r ? `${r.file}\n${r.title}` : '');

function update(next: AppState): void {
  const another = reportOf(next.report) !== reportOf(state.report);
  state = next;
  render(state);
  // The panel is reused for the next session clicked: its summary first, not the place the one before was scrolled to.
  if (another) window.scrollTo(0, 0);
}

/** The report last rendered, as JSON: a state the host sends again unchanged is not rendered again. */
let shown = '';

onThemeChange(() => render(state, true));
// A new panel gets its state twice (the host's post, queued until the page loads, and its answer to 'ready', which
// comes late when the extension host is busy): a second render rebuilds the tables under the reader's pointer, and a
// click whose mousedown and mouseup fall either side of the rebuild opens nothing.
followState<ReplayReportState>(ch, (report) => {
  const json = JSON.stringify(report);
  if (json === shown) return;
  shown = json;
  update({ ...state, report });
});
