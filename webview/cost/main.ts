import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { CostInputsView, CostReportState, CostViewToHost, WorkspaceRowView } from '../../src/protocol';
import { custom, el } from '../shared/dom';
import { count, usd } from '../shared/format';
import { channel, followState, onThemeChange } from '../shared/vscodeApi';
import { CostChart } from './chart';
import { toCsv, toMarkdown } from './exportText';
import { ModelTable } from './modelTable';

// The cost report: per model side by side (or as cards in a narrow panel), inputs that recompute live (the host recomputes with core, so the
// figures are `kvlens cost`'s), a cumulative-cost chart, the workspace table, sources. Keyboard: every control is
// a button, field or select in tab order; table headers sort with Enter or Space.

const ch = channel<CostViewToHost, { state?: CostReportState }>();
let state: CostReportState | undefined;
let sortKey: keyof WorkspaceRowView = 'monthWithCache';
let sortDown = true;

const app = document.getElementById('app')!;
app.replaceChildren();
app.removeAttribute('aria-busy');
const title = el('h1', { id: 'title' });
const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Report actions' });
const pick = custom('vscode-button', { id: 'pick-models', secondary: '' }, 'Models…');
const copyMd = custom('vscode-button', { id: 'copy-md', secondary: '' }, 'Copy as Markdown');
const copyCsv = custom('vscode-button', { id: 'copy-csv', secondary: '' }, 'Copy as CSV');
toolbar.append(pick, copyMd, copyCsv);
const field = (id: string, label: string, help: string) => {
  const f = custom('vscode-textfield', { id, type: 'number', min: '0', 'aria-label': label });
  return {
    f,
    wrap: el('label', { class: 'input', for: id }, el('span', {}, label), f, el('small', { class: 'muted' }, help)),
  };
};
const rate = field('calls-per-hour', 'Calls per hour', 'requests that send this prompt');
const output = field('output-tokens', 'Output tokens', 'expected per call');
const warm = field('warm-share', 'Calls within the TTL (%)', 'empty: from the rate and the TTL');
const inputs = el('section', { class: 'inputs', 'aria-label': 'Assumptions' }, rate.wrap, output.wrap, warm.wrap);
const results = el('section', { id: 'results' });
const problems = el('div', { 'aria-live': 'polite' });
const none = el('p', { class: 'muted' }, 'No model chosen: use Models… to pick some.');
const table = new ModelTable({ onTtl: () => sendInputs(), onSource: (url) => ch.post({ type: 'openSource', url }) });
results.append(problems, none, table.root);
let workspaceShown = '';
const canvas = el('canvas', {
  id: 'chart',
  role: 'img',
  'aria-label': 'Cumulative cost against the number of calls, with and without the cache',
});
const chartBox = el(
  'section',
  { class: 'chart', 'aria-label': 'Cumulative cost' },
  el('h2', {}, 'Cumulative cost'),
  el('div', { class: 'chart-box' }, canvas),
);
const workspace = el('section', { id: 'workspace' });
const notes = el('section', { id: 'notes' });
app.append(title, toolbar, inputs, results, chartBox, workspace, notes);
const chart = new CostChart(canvas);
// A side panel resized across the point where the columns fit: the figures change between columns and cards.
new ResizeObserver(() => {
  if (state) table.update(state, results.clientWidth);
}).observe(results);
onThemeChange(() => chart.retheme());

let timer: ReturnType<typeof setTimeout> | undefined;
function sendInputs(): void {
  if (!state) return;
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    const num = (e: HTMLElement, d: number) => {
      const v = Number((e as HTMLInputElement).value);
      return Number.isFinite(v) && v >= 0 ? v : d;
    };
    const w = (warm.f as HTMLInputElement).value;
    const next: CostInputsView = {
      callsPerHour: num(rate.f, state!.inputs.callsPerHour),
      outputTokens: Math.round(num(output.f, state!.inputs.outputTokens)),
      ...(w.trim() === '' ? {} : { warmPercent: Math.min(100, num(warm.f, 100)) }),
      ttl: { ...state!.inputs.ttl, ...chosenTtls() },
    };
    ch.post({ type: 'inputs', inputs: next });
  }, 150);
}
for (const f of [rate.f, output.f, warm.f]) f.addEventListener('input', sendInputs);
pick.addEventListener('click', () => ch.post({ type: 'pickModels' }));
copyMd.addEventListener('click', () => state && ch.post({ type: 'copy', format: 'markdown', text: toMarkdown(state) }));
copyCsv.addEventListener('click', () => state && ch.post({ type: 'copy', format: 'csv', text: toCsv(state) }));

function chosenTtls(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of results.querySelectorAll<HTMLElement & { value: string }>('vscode-single-select[data-model]'))
    out[s.dataset.model!] = s.value;
  return out;
}

function render(): void {
  if (!state) return;
  const s = state;
  title.textContent = s.title;
  const setIfIdle = (f: HTMLElement, v: string) => {
    if (document.activeElement !== f) (f as HTMLInputElement).value = v;
  };
  setIfIdle(rate.f, String(s.inputs.callsPerHour));
  setIfIdle(output.f, String(s.inputs.outputTokens));
  setIfIdle(warm.f, s.inputs.warmPercent === undefined ? '' : String(s.inputs.warmPercent));

  const problemText = s.problems.join('\n');
  if (problems.dataset.text !== problemText) {
    problems.dataset.text = problemText;
    problems.replaceChildren(...s.problems.map((p) => el('p', { class: 'problem', role: 'alert' }, p)));
  }
  none.hidden = s.models.length > 0;
  table.root.hidden = s.models.length === 0;
  table.update(s, results.clientWidth);
  chart.update(s.models);
  // The workspace table is rebuilt only when its rows or the sort change (a rebuild would drop focus and scroll).
  const ws = JSON.stringify([s.workspace, sortKey, sortDown]);
  if (ws !== workspaceShown) {
    workspaceShown = ws;
    renderWorkspace(s);
  }
  const allNotes = s.models.flatMap((m) => m.notes.map((n) => `${m.model}: ${n}`));
  if (s.models.some((m) => !m.exact))
    allNotes.unshift(
      '≈ token counts are estimates (the provider publishes no tokenizer); their error band is carried into the money figures.',
    );
  notes.replaceChildren(
    ...(allNotes.length
      ? [el('h2', {}, 'Assumptions and notes'), el('ul', {}, ...allNotes.map((n) => el('li', {}, n)))]
      : []),
  );
}

function renderWorkspace(s: CostReportState): void {
  const w = s.workspace;
  if (!w) {
    workspace.replaceChildren();
    return;
  }
  const cols: [keyof WorkspaceRowView, string][] = [
    ['file', 'prompt file'],
    ['model', 'model'],
    ['tokens', 'tokens'],
    ['monthWithoutCache', 'month, no cache'],
    ['monthWithCache', 'month, with cache'],
  ];
  const rows = [...w.rows].sort((a, b) => {
    const x = a[sortKey],
      y = b[sortKey];
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sortDown ? -c : c;
  });
  const head = el('tr');
  for (const [k, label] of cols) {
    const b = el(
      'button',
      { class: 'sort', type: 'button', 'data-key': k },
      label,
      sortKey === k ? (sortDown ? ' ▼' : ' ▲') : '',
    );
    b.addEventListener('click', () => {
      if (sortKey === k) sortDown = !sortDown;
      else {
        sortKey = k;
        sortDown = true;
      }
      workspaceShown = JSON.stringify([s.workspace, sortKey, sortDown]);
      renderWorkspace(s);
      // The table is rebuilt: keep the keyboard on the header that was used.
      workspace.querySelector<HTMLButtonElement>(`button.sort[data-key="${k}"]`)?.focus();
    });
    head.append(
      el('th', { scope: 'col', 'aria-sort': sortKey === k ? (sortDown ? 'descending' : 'ascending') : 'none' }, b),
    );
  }
  const body = el(
    'tbody',
    {},
    ...rows.map((r) => {
      const link = el('a', { href: '#' }, r.file);
      link.addEventListener('click', (e) => {
        e.preventDefault();
        ch.post({ type: 'openFile', file: r.file });
      });
      return el(
        'tr',
        {},
        el('td', {}, link),
        el('td', {}, r.model),
        el('td', { class: 'num' }, `${r.exact ? '' : '≈'}${count(r.tokens)}`),
        el('td', { class: 'num' }, usd(r.monthWithoutCache)),
        el('td', { class: 'num' }, usd(r.monthWithCache)),
      );
    }),
  );
  const total = (k: 'monthWithoutCache' | 'monthWithCache') => w.rows.reduce((a, r) => a + r[k], 0);
  const foot = el(
    'tfoot',
    {},
    el(
      'tr',
      {},
      el('th', { scope: 'row', colspan: '3' }, 'workspace'),
      el('td', { class: 'num' }, usd(total('monthWithoutCache'))),
      el('td', { class: 'num' }, usd(total('monthWithCache'))),
    ),
  );
  const killers = w.killers.length
    ? [
        el('h3', {}, 'Top cache killers'),
        el(
          'ol',
          {},
          ...w.killers.map((k) => {
            const link = el('a', { href: '#' }, `${k.file}:${k.line}`);
            link.addEventListener('click', (e) => {
              e.preventDefault();
              ch.post({ type: 'openFile', file: k.file, line: k.line });
            });
            return el('li', {}, link, ` — ${k.message} — costs ${usd(k.monthlyCost)} a month`);
          }),
        ),
      ]
    : [el('p', { class: 'muted' }, 'No cache killers found in the workspace prompts.')];
  workspace.replaceChildren(
    el('h2', {}, 'Workspace: monthly bill per prompt file'),
    el(
      'div',
      { class: 'scroll' },
      el('table', { id: 'workspace-table', class: 'grid' }, el('thead', {}, head), body, foot),
    ),
    ...killers,
  );
}

followState<CostReportState>(ch, (next) => {
  state = next;
  render();
});
