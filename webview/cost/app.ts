import type { CostInputsView, CostReportState, CostViewToHost } from '../../src/protocol';
import { baselineShort, STEADY_MEANS } from '../../src/core/report/baseline';
import { custom, el } from '../shared/dom';
import { count } from '../shared/format';
import { CostChart } from './chart';
import { toCsv, toMarkdown } from './exportText';
import { ModelTable } from './modelTable';
import { STACK_BELOW_PX, workspaceSection, type WorkspaceSort } from './workspaceTable';

/**
 * The cost report as an app (as GitLens's webviews are): one state — the host's report, the workspace table's sort,
 * the width the figures have — and one update(patch) → render(). The controls are built once; render() sets what
 * the state says, rebuilding a part only when its shape changes (a rebuild would drop focus and scroll).
 */
export interface CostViewState {
  readonly report?: CostReportState;
  readonly sort: WorkspaceSort;
  /** Width of the figures' area in px: columns or cards, a flat or a stacked workspace table. */
  readonly width: number;
}

export interface CostHost {
  post(msg: CostViewToHost): void;
}

const INPUT_DELAY_MS = 150;

export class CostApp {
  private state: CostViewState = { sort: { key: 'monthWithCache', down: true }, width: 0 };
  private readonly title = el('h1', { id: 'title' });
  private readonly baseline = el('p', { id: 'baseline' });
  private readonly rate = field('calls-per-hour', 'Calls per hour', 'requests that send this prompt');
  private readonly output = field('output-tokens', 'Output tokens', 'expected per call');
  private readonly warm = field('warm-share', 'Calls within the TTL (%)', 'empty: from the rate and the TTL');
  /** The figures' area: its width decides the layouts. */
  readonly results = el('section', { id: 'results' });
  private readonly problems = el('div', { 'aria-live': 'polite' });
  private readonly none = el('p', { class: 'muted', id: 'no-models' }, 'No model chosen: use Models… to pick some.');
  private readonly ownModels = el(
    'p',
    { class: 'muted', id: 'own-models' },
    'Each prompt file is priced for its own model (the one it names, else the setting kvlens.model), or for the models you pick with Models…',
  );
  private readonly table: ModelTable;
  private readonly chartBox: HTMLElement;
  private readonly chart: CostChart;
  private readonly workspace = el('section', { id: 'workspace' });
  private readonly notes = el('section', { id: 'notes' });
  /** What the workspace section was last built from. */
  private workspaceShown = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    root: HTMLElement,
    private readonly host: CostHost,
  ) {
    const pick = custom('vscode-button', { id: 'pick-models', secondary: '' }, 'Models…');
    const copyMd = custom('vscode-button', { id: 'copy-md', secondary: '' }, 'Copy as Markdown');
    const copyCsv = custom('vscode-button', { id: 'copy-csv', secondary: '' }, 'Copy as CSV');
    const toolbar = el(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Report actions' },
      pick,
      copyMd,
      copyCsv,
    );
    const inputs = el(
      'section',
      { class: 'inputs', 'aria-label': 'Assumptions' },
      this.rate.wrap,
      this.output.wrap,
      this.warm.wrap,
    );
    this.table = new ModelTable({
      onTtl: () => this.sendInputs(),
      onSource: (url) => host.post({ type: 'openSource', url }),
    });
    this.results.append(this.problems, this.none, this.ownModels, this.table.root);
    const canvas = el('canvas', {
      id: 'chart',
      role: 'img',
      'aria-label': 'Cumulative cost against the number of calls, with and without the cache',
    });
    this.chartBox = el(
      'section',
      { class: 'chart', 'aria-label': 'Cumulative cost' },
      el('h2', {}, 'Cumulative cost'),
      el('div', { class: 'chart-box' }, canvas),
    );
    this.chart = new CostChart(canvas);
    root.replaceChildren(
      this.title,
      this.baseline,
      toolbar,
      inputs,
      this.results,
      this.chartBox,
      this.workspace,
      this.notes,
    );
    for (const f of [this.rate.f, this.output.f, this.warm.f]) f.addEventListener('input', () => this.sendInputs());
    pick.addEventListener('click', () => host.post({ type: 'pickModels' }));
    copyMd.addEventListener('click', () => this.copy('markdown'));
    copyCsv.addEventListener('click', () => this.copy('csv'));
  }

  update(patch: Partial<CostViewState>): void {
    this.state = { ...this.state, ...patch };
    this.render();
  }

  /** The theme changed: the chart is a canvas and reads its colours when drawn. */
  retheme(): void {
    this.chart.retheme();
  }

  private render(): void {
    const { report: s, width } = this.state;
    if (!s) return;
    this.title.textContent = s.title;
    this.renderBaseline(s);
    setIfIdle(this.rate.f, String(s.inputs.callsPerHour));
    setIfIdle(this.output.f, String(s.inputs.outputTokens));
    setIfIdle(this.warm.f, s.inputs.warmPercent === undefined ? '' : String(s.inputs.warmPercent));
    const problemText = s.problems.join('\n');
    if (this.problems.dataset.text !== problemText) {
      this.problems.dataset.text = problemText;
      this.problems.replaceChildren(...s.problems.map((p) => el('p', { class: 'problem', role: 'alert' }, p)));
    }
    // The workspace report prices each file for its own model in its table: no per-model figures, no chart.
    const workspace = s.scope === 'workspace';
    this.none.hidden = workspace || s.models.length > 0;
    this.ownModels.hidden = !workspace;
    this.table.root.hidden = s.models.length === 0;
    this.chartBox.hidden = s.models.length === 0;
    this.table.update(s, width);
    if (s.models.length) this.chart.update(s.models);
    this.renderWorkspace(s);
    this.renderNotes(s);
  }

  /** Which baseline the figures are against, named as the status bar names it. */
  private renderBaseline(s: CostReportState): void {
    const b = s.baseline;
    this.baseline.hidden = !b;
    if (!b) return;
    const name = el('strong', {}, baselineShort(b));
    if (s.scope === 'workspace')
      this.baseline.replaceChildren(
        'Baseline: ',
        name,
        ` (${STEADY_MEANS}): the monthly bills assume each prompt is sent unchanged, ${count(s.inputs.callsPerHour)} calls an hour.`,
      );
    else
      this.baseline.replaceChildren(
        'Baseline: ',
        name,
        b.kind === 'steady'
          ? ` (${STEADY_MEANS}), as in the status bar.`
          : ', as in the status bar: the next call is priced against it; warm calls send this prompt again unchanged.',
      );
  }

  private renderWorkspace(s: CostReportState): void {
    const stacked = this.state.width > 0 && this.state.width < STACK_BELOW_PX;
    const shape = JSON.stringify([s.workspace, this.state.sort, stacked]);
    if (shape === this.workspaceShown) return;
    this.workspaceShown = shape;
    if (!s.workspace) {
      this.workspace.replaceChildren();
      return;
    }
    const active = document.activeElement;
    const focused = active instanceof HTMLElement && this.workspace.contains(active) ? active.dataset.key : undefined;
    this.workspace.replaceChildren(
      ...workspaceSection(s.workspace, this.state.sort, stacked, {
        onSort: (key) =>
          this.update({
            sort: { key, down: this.state.sort.key === key ? !this.state.sort.down : true },
          }),
        onOpen: (file, line) => this.host.post({ type: 'openFile', file, ...(line ? { line } : {}) }),
      }),
    );
    // The table is rebuilt: the keyboard stays on the header that was used.
    if (focused) this.workspace.querySelector<HTMLButtonElement>(`button.sort[data-key="${focused}"]`)?.focus();
  }

  private renderNotes(s: CostReportState): void {
    const all = s.models.flatMap((m) => m.notes.map((n) => `${m.model}: ${n}`));
    if (s.models.some((m) => !m.exact))
      all.unshift(
        '≈ token counts are estimates (the provider publishes no tokenizer); their error band is carried into the money figures.',
      );
    this.notes.replaceChildren(
      ...(all.length ? [el('h2', {}, 'Assumptions and notes'), el('ul', {}, ...all.map((n) => el('li', {}, n)))] : []),
    );
  }

  private copy(format: 'markdown' | 'csv'): void {
    const s = this.state.report;
    if (s) this.host.post({ type: 'copy', format, text: format === 'csv' ? toCsv(s) : toMarkdown(s) });
  }

  /** The fields' values to the host (which recomputes), once typing pauses. */
  private sendInputs(): void {
    if (!this.state.report) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const was = this.state.report?.inputs;
      if (!was) return;
      const w = (this.warm.f as HTMLInputElement).value;
      const next: CostInputsView = {
        callsPerHour: numberIn(this.rate.f, was.callsPerHour),
        outputTokens: Math.round(numberIn(this.output.f, was.outputTokens)),
        ...(w.trim() === '' ? {} : { warmPercent: Math.min(100, numberIn(this.warm.f, 100)) }),
        ttl: { ...was.ttl, ...this.chosenTtls() },
      };
      this.host.post({ type: 'inputs', inputs: next });
    }, INPUT_DELAY_MS);
  }

  private chosenTtls(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const s of this.results.querySelectorAll<HTMLElement & { value: string }>('vscode-single-select[data-model]'))
      out[s.dataset.model!] = s.value;
    return out;
  }
}

function field(id: string, label: string, help: string): { f: HTMLElement; wrap: HTMLElement } {
  const f = custom('vscode-textfield', { id, type: 'number', min: '0', 'aria-label': label });
  return {
    f,
    wrap: el('label', { class: 'input', for: id }, el('span', {}, label), f, el('small', { class: 'muted' }, help)),
  };
}

/** A field's value follows the state, except while the user is typing in it. */
function setIfIdle(f: HTMLElement, v: string): void {
  if (document.activeElement !== f) (f as HTMLInputElement).value = v;
}

function numberIn(f: HTMLElement, fallback: number): number {
  const v = Number((f as HTMLInputElement).value);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}
