import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { CostInputsView, CostReportState, CostViewToHost, WorkspaceRowView } from '../../src/protocol';
import { confidenceNote } from '../../src/core/pricing/freshness';
import { custom, el } from '../shared/dom';
import { count, usd, usdBand } from '../shared/format';
import { channel, followState } from '../shared/vscodeApi';
import { CostChart } from './chart';
import { toCsv, toMarkdown } from './exportText';

// The cost report: per model side by side, inputs that recompute live (the host recomputes with core, so the
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
  return { f, wrap: el('label', { class: 'input', for: id }, el('span', {}, label), f, el('small', { class: 'muted' }, help)) };
};
const rate = field('calls-per-hour', 'Calls per hour', 'requests that send this prompt');
const output = field('output-tokens', 'Output tokens', 'expected per call');
const warm = field('warm-share', 'Calls within the TTL (%)', 'empty: from the rate and the TTL');
const inputs = el('section', { class: 'inputs', 'aria-label': 'Assumptions' }, rate.wrap, output.wrap, warm.wrap);
const results = el('section', { id: 'results', 'aria-live': 'polite' });
const canvas = el('canvas', { id: 'chart', role: 'img', 'aria-label': 'Cumulative cost against the number of calls, with and without the cache' });
const chartBox = el('section', { class: 'chart', 'aria-label': 'Cumulative cost' }, el('h2', {}, 'Cumulative cost'), el('div', { class: 'chart-box' }, canvas));
const workspace = el('section', { id: 'workspace' });
const notes = el('section', { id: 'notes' });
app.append(title, toolbar, inputs, results, chartBox, workspace, notes);
const chart = new CostChart(canvas);

let timer: ReturnType<typeof setTimeout> | undefined;
function sendInputs(): void {
  if (!state) return;
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    const num = (e: HTMLElement, d: number) => { const v = Number((e as HTMLInputElement).value); return Number.isFinite(v) && v >= 0 ? v : d; };
    const w = (warm.f as HTMLInputElement).value;
    const next: CostInputsView = {
      callsPerHour: num(rate.f, state!.inputs.callsPerHour), outputTokens: Math.round(num(output.f, state!.inputs.outputTokens)),
      ...(w.trim() === '' ? {} : { warmPercent: Math.min(100, num(warm.f, 100)) }), ttl: { ...state!.inputs.ttl, ...chosenTtls() },
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
  for (const s of results.querySelectorAll<HTMLElement & { value: string }>('vscode-single-select[data-model]')) out[s.dataset.model!] = s.value;
  return out;
}

function render(): void {
  if (!state) return;
  const s = state;
  title.textContent = s.title;
  const setIfIdle = (f: HTMLElement, v: string) => { if (document.activeElement !== f) (f as HTMLInputElement).value = v; };
  setIfIdle(rate.f, String(s.inputs.callsPerHour));
  setIfIdle(output.f, String(s.inputs.outputTokens));
  setIfIdle(warm.f, s.inputs.warmPercent === undefined ? '' : String(s.inputs.warmPercent));

  const table = el('table', { id: 'per-model', class: 'grid' });
  const head = el('tr', {}, el('th', { scope: 'col' }, ''));
  for (const m of s.models) head.append(el('th', { scope: 'col' }, el('span', { class: 'model' }, m.model), el('br'), el('small', { class: 'muted' }, m.displayName)));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  const row = (label: string, key: string, cell: (m: CostReportState['models'][number]) => Node | string, cls = '') => {
    const tr = el('tr', cls ? { class: cls } : {}, el('th', { scope: 'row' }, label));
    for (const m of s.models) tr.append(el('td', { 'data-cell': `${key}:${m.model}` }, cell(m)));
    body.append(tr);
  };
  row('tokens', 'tokens', (m) => `${m.exact ? '' : '≈'}${count(m.tokens)}${m.errorBand ? ` ±${Math.round(m.errorBand * 100)} %` : ''}`);
  row('served from cache (warm call)', 'cacheable', (m) => `${count(m.cacheableTokens)} (${m.tokens ? Math.round((100 * m.cacheableTokens) / m.tokens) : 0}%)`);
  row('uncached call', 'uncached', (m) => usdBand(m.perCall.uncached, m.errorBand));
  row('first call (cache write)', 'firstCall', (m) => usdBand(m.perCall.firstCall, m.errorBand));
  row('warm call (cache read)', 'warmCall', (m) => usdBand(m.perCall.warmCall, m.errorBand));
  row(`output, ${count(s.inputs.outputTokens)} tokens`, 'output', (m) => usd(m.perCall.output));
  row('saving per warm call', 'saving', (m) => usdBand(m.savingPerWarmCall, m.errorBand), 'strong');
  row('break-even', 'breakEven', (m) => (m.breakEvenCalls === null ? 'never' : `${count(m.breakEvenCalls)} call${m.breakEvenCalls === 1 ? '' : 's'}`));
  row(`per day at ${count(s.inputs.callsPerHour)}/h`, 'perDay', (m) => (m.perDay ? `${usd(m.perDay.withCache)} (no cache ${usd(m.perDay.withoutCache)})` : '–'));
  row('per month (30 days)', 'perMonth', (m) => (m.perMonth ? `${usd(m.perMonth.withCache)} (no cache ${usd(m.perMonth.withoutCache)})` : '–'), 'strong');
  row('calls within the TTL', 'warm', (m) => `${Math.round(m.warmShare * 100)}%`);
  row('retention (write TTL)', 'ttl', (m) => {
    if (m.ttlChoices.length < 2) return m.ttlChoices[0]?.label ?? `${Math.round(m.ttlSeconds / 60)} min`;
    const sel = custom('vscode-single-select', { 'data-model': m.model, 'aria-label': `Retention for ${m.model}` });
    for (const c of m.ttlChoices) sel.append(custom('vscode-option', { value: c.ttl, ...(c.ttl === (m.ttl ?? m.ttlChoices[0].ttl) ? { selected: '' } : {}) }, c.label));
    sel.addEventListener('change', sendInputs);
    return sel;
  });
  row('prices (per million tokens)', 'prices', (m) => {
    // A source is a page to open, or words ("memory of …") where no page was seen.
    const isUrl = /^https?:\/\//.test(m.prices.source), url = m.prices.source.split(' ')[0];
    const a = isUrl ? el('a', { href: url, title: `Prices as read from ${m.prices.source}` }, `as of ${m.prices.asOf}`) : el('span', { title: m.prices.source }, `as of ${m.prices.asOf} (${m.prices.source})`);
    if (isUrl) a.addEventListener('click', (e) => { e.preventDefault(); ch.post({ type: 'openSource', url }); });
    const money = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `$${v}`);
    const parts = [`in ${money(m.prices.input)}`, `cached ${money(m.prices.cachedInput)}`, `write ${m.prices.cacheWrite === null ? 'free' : money(m.prices.cacheWrite)}`, `out ${money(m.prices.output)}`];
    const doubt = confidenceNote(m.prices.confidence);
    return el('span', {}, `${parts.join(' · ')} · `, a, ...(doubt ? [' · ', el('strong', { class: `confidence ${m.prices.confidence}`, 'data-confidence': m.prices.confidence! }, doubt)] : []));
  });
  table.append(body);
  const problems = s.problems.map((p) => el('p', { class: 'problem', role: 'alert' }, p));
  results.replaceChildren(...problems, ...(s.models.length ? [el('div', { class: 'scroll' }, table)] : [el('p', { class: 'muted' }, 'No model chosen: use Models… to pick some.')]));
  chart.update(s.models);
  renderWorkspace(s);
  const allNotes = s.models.flatMap((m) => m.notes.map((n) => `${m.model}: ${n}`));
  if (s.models.some((m) => !m.exact)) allNotes.unshift('≈ token counts are estimates (the provider publishes no tokenizer); their error band is carried into the money figures.');
  notes.replaceChildren(...(allNotes.length ? [el('h2', {}, 'Assumptions and notes'), el('ul', {}, ...allNotes.map((n) => el('li', {}, n)))] : []));
}

function renderWorkspace(s: CostReportState): void {
  const w = s.workspace;
  if (!w) { workspace.replaceChildren(); return; }
  const cols: [keyof WorkspaceRowView, string][] = [['file', 'prompt file'], ['model', 'model'], ['tokens', 'tokens'], ['monthWithoutCache', 'month, no cache'], ['monthWithCache', 'month, with cache']];
  const rows = [...w.rows].sort((a, b) => {
    const x = a[sortKey], y = b[sortKey];
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sortDown ? -c : c;
  });
  const head = el('tr');
  for (const [k, label] of cols) {
    const b = el('button', { class: 'sort', type: 'button', 'data-key': k }, label, sortKey === k ? (sortDown ? ' ▼' : ' ▲') : '');
    b.addEventListener('click', () => {
      if (sortKey === k) sortDown = !sortDown; else { sortKey = k; sortDown = true; }
      renderWorkspace(s);
      // The table is rebuilt: keep the keyboard on the header that was used.
      workspace.querySelector<HTMLButtonElement>(`button.sort[data-key="${k}"]`)?.focus();
    });
    head.append(el('th', { scope: 'col', 'aria-sort': sortKey === k ? (sortDown ? 'descending' : 'ascending') : 'none' }, b));
  }
  const body = el('tbody', {}, ...rows.map((r) => {
    const link = el('a', { href: '#' }, r.file);
    link.addEventListener('click', (e) => { e.preventDefault(); ch.post({ type: 'openFile', file: r.file }); });
    return el('tr', {}, el('td', {}, link), el('td', {}, r.model), el('td', { class: 'num' }, `${r.exact ? '' : '≈'}${count(r.tokens)}`),
      el('td', { class: 'num' }, usd(r.monthWithoutCache)), el('td', { class: 'num' }, usd(r.monthWithCache)));
  }));
  const total = (k: 'monthWithoutCache' | 'monthWithCache') => w.rows.reduce((a, r) => a + r[k], 0);
  const foot = el('tfoot', {}, el('tr', {}, el('th', { scope: 'row', colspan: '3' }, 'workspace'), el('td', { class: 'num' }, usd(total('monthWithoutCache'))), el('td', { class: 'num' }, usd(total('monthWithCache')))));
  const killers = w.killers.length
    ? [el('h3', {}, 'Top cache killers'), el('ol', {}, ...w.killers.map((k) => {
      const link = el('a', { href: '#' }, `${k.file}:${k.line}`);
      link.addEventListener('click', (e) => { e.preventDefault(); ch.post({ type: 'openFile', file: k.file, line: k.line }); });
      return el('li', {}, link, ` — ${k.message} — costs ${usd(k.monthlyCost)} a month`);
    }))]
    : [el('p', { class: 'muted' }, 'No cache killers found in the workspace prompts.')];
  workspace.replaceChildren(el('h2', {}, 'Workspace: monthly bill per prompt file'), el('div', { class: 'scroll' }, el('table', { id: 'workspace-table', class: 'grid' }, el('thead', {}, head), body, foot)), ...killers);
}

followState<CostReportState>(ch, (next) => { state = next; render(); });
