import type { CostModelView, CostReportState } from '../../src/protocol';
import { confidenceNote } from '../../src/core/pricing/freshness';
import { baselineShort } from '../../src/core/report/baseline';
import { custom, el } from '../shared/dom';
import { count, usd, usdBand } from '../shared/format';

/**
 * The per-model figures, as columns side by side when the panel is wide enough and as one card per model when it is
 * not (a side panel is 400–650 px wide). Built once per layout and set of models; a new state updates the cells in
 * place, so a select keeps its focus and the page its scroll while the host recomputes.
 */

type Cell = string | (() => HTMLElement);
interface RowSpec {
  readonly key: string;
  readonly label: string;
  readonly cell: (m: CostModelView) => Cell;
  readonly strong?: boolean;
}

export interface TableEvents {
  /** A TTL select changed. */
  readonly onTtl: () => void;
  /** A price source link was clicked. */
  readonly onSource: (url: string) => void;
}

/** Width each model's column needs, and the row labels', before the table turns into cards. */
const COLUMN_PX = 240;
const LABEL_PX = 200;

function rows(s: CostReportState, events: TableEvents): RowSpec[] {
  return [
    {
      key: 'tokens',
      label: 'tokens',
      cell: (m) =>
        `${m.exact ? '' : '≈'}${count(m.tokens)}${m.errorBand ? ` ±${Math.round(m.errorBand * 100)} %` : ''}`,
    },
    ...(s.baseline && s.models.some((m) => m.nextCall)
      ? [
          {
            key: 'nextCall',
            label: `next call, against ${baselineShort(s.baseline)}`,
            cell: (m: CostModelView) => (m.nextCall ? nextCallCell(m.nextCall, m.errorBand) : '–'),
            strong: true,
          },
        ]
      : []),
    {
      key: 'cacheable',
      label: 'served from cache (warm call)',
      cell: (m) => `${count(m.cacheableTokens)} (${m.tokens ? Math.round((100 * m.cacheableTokens) / m.tokens) : 0}%)`,
    },
    { key: 'uncached', label: 'uncached call', cell: (m) => usdBand(m.perCall.uncached, m.errorBand) },
    { key: 'firstCall', label: 'first call (cache write)', cell: (m) => usdBand(m.perCall.firstCall, m.errorBand) },
    { key: 'warmCall', label: 'warm call (cache read)', cell: (m) => usdBand(m.perCall.warmCall, m.errorBand) },
    { key: 'output', label: `output, ${count(s.inputs.outputTokens)} tokens`, cell: (m) => usd(m.perCall.output) },
    {
      key: 'saving',
      label: 'saving per warm call',
      cell: (m) => usdBand(m.savingPerWarmCall, m.errorBand),
      strong: true,
    },
    {
      key: 'breakEven',
      label: 'break-even',
      cell: (m) =>
        m.breakEvenCalls === null ? 'never' : `${count(m.breakEvenCalls)} call${m.breakEvenCalls === 1 ? '' : 's'}`,
    },
    {
      key: 'perDay',
      label: `per day at ${count(s.inputs.callsPerHour)}/h`,
      cell: (m) => (m.perDay ? `${usd(m.perDay.withCache)} (no cache ${usd(m.perDay.withoutCache)})` : '–'),
    },
    {
      key: 'perMonth',
      label: 'per month (30 days)',
      cell: (m) => (m.perMonth ? `${usd(m.perMonth.withCache)} (no cache ${usd(m.perMonth.withoutCache)})` : '–'),
      strong: true,
    },
    { key: 'warm', label: 'calls within the TTL', cell: (m) => `${Math.round(m.warmShare * 100)}%` },
    {
      key: 'ttl',
      label: 'retention (write TTL)',
      cell: (m) =>
        m.ttlChoices.length < 2
          ? (m.ttlChoices[0]?.label ?? `${Math.round(m.ttlSeconds / 60)} min`)
          : () => ttlSelect(m, events),
    },
    { key: 'prices', label: 'prices (per million tokens)', cell: (m) => () => prices(m, events) },
  ];
}

/** "1,792 cached (93%) · $0.00118": what the status bar says of the next call, for this model. */
function nextCallCell(n: NonNullable<CostModelView['nextCall']>, band: number | undefined): string {
  const share = `${count(n.cachedTokens)} cached (${n.tokens ? Math.round((100 * n.cachedTokens) / n.tokens) : 0}%)`;
  return n.withCache === undefined ? share : `${share} · ${usdBand(n.withCache, band)}`;
}

function ttlSelect(m: CostModelView, events: TableEvents): HTMLElement {
  const sel = custom('vscode-single-select', { 'data-model': m.model, 'aria-label': `Retention for ${m.model}` });
  for (const c of m.ttlChoices)
    sel.append(
      custom(
        'vscode-option',
        { value: c.ttl, ...(c.ttl === (m.ttl ?? m.ttlChoices[0].ttl) ? { selected: '' } : {}) },
        c.label,
      ),
    );
  sel.addEventListener('change', events.onTtl);
  return sel;
}

function prices(m: CostModelView, events: TableEvents): HTMLElement {
  // A source is a page to open, or words ("memory of …") where no page was seen.
  const isUrl = /^https?:\/\//.test(m.prices.source),
    url = m.prices.source.split(' ')[0];
  const a = isUrl
    ? el('a', { href: url, title: `Prices as read from ${m.prices.source}` }, `as of ${m.prices.asOf}`)
    : el('span', { title: m.prices.source }, `as of ${m.prices.asOf} (${m.prices.source})`);
  if (isUrl)
    a.addEventListener('click', (e) => {
      e.preventDefault();
      events.onSource(url);
    });
  const money = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `$${v}`);
  const parts = [
    `in ${money(m.prices.input)}`,
    `cached ${money(m.prices.cachedInput)}`,
    `write ${m.prices.cacheWrite === null ? 'free' : money(m.prices.cacheWrite)}`,
    `out ${money(m.prices.output)}`,
  ];
  const doubt = confidenceNote(m.prices.confidence);
  return el(
    'span',
    {},
    `${parts.join(' · ')} · `,
    a,
    ...(doubt
      ? [
          ' · ',
          el('strong', { class: `confidence ${m.prices.confidence}`, 'data-confidence': m.prices.confidence! }, doubt),
        ]
      : []),
  );
}

export class ModelTable {
  readonly root = el('div', { class: 'models' });
  private shape = '';
  private readonly cells = new Map<string, HTMLElement>();
  private readonly labels = new Map<string, HTMLElement[]>();

  constructor(private readonly events: TableEvents) {}

  /** Cards when `width` cannot hold a column per model beside the labels. */
  static layoutFor(width: number, models: number): 'columns' | 'cards' {
    return models > 1 && width < LABEL_PX + COLUMN_PX * models
      ? 'cards'
      : models === 1 && width < 420
        ? 'cards'
        : 'columns';
  }

  update(s: CostReportState, width: number): void {
    const layout = ModelTable.layoutFor(width, s.models.length);
    const specs = rows(s, this.events);
    // What the structure depends on: the layout, the rows, the models, and which rows hold a control.
    const shape = `${layout}|${specs.map((r) => r.key).join(',')}|${s.models.map((m) => `${m.model}:${m.ttlChoices.map((c) => c.ttl).join(',')}`).join(';')}`;
    if (shape !== this.shape) this.build(s, specs, layout, shape);
    for (const r of specs) {
      for (const l of this.labels.get(r.key) ?? []) if (l.textContent !== r.label) l.textContent = r.label;
      for (const m of s.models) this.fill(this.cells.get(`${r.key}:${m.model}`)!, r.cell(m), m);
    }
  }

  private fill(td: HTMLElement, cell: Cell, m: CostModelView): void {
    if (typeof cell === 'string') {
      if (td.textContent !== cell) td.textContent = cell;
      return;
    }
    const select = td.querySelector<HTMLElement & { value: string }>('vscode-single-select');
    if (select) {
      // The control stays; only its value follows the state (and not while the user is on it).
      const v = m.ttl ?? m.ttlChoices[0]?.ttl ?? '';
      if (select.value !== v && !select.matches(':focus-within')) select.value = v;
      return;
    }
    const next = cell();
    if (td.firstElementChild?.outerHTML !== next.outerHTML) td.replaceChildren(next);
  }

  private build(s: CostReportState, specs: RowSpec[], layout: 'columns' | 'cards', shape: string): void {
    this.shape = shape;
    this.cells.clear();
    this.labels.clear();
    const label = (r: RowSpec, node: HTMLElement) => {
      this.labels.set(r.key, [...(this.labels.get(r.key) ?? []), node]);
      return node;
    };
    const td = (r: RowSpec, m: CostModelView) => {
      const c = el('td', { 'data-cell': `${r.key}:${m.model}` });
      this.cells.set(`${r.key}:${m.model}`, c);
      return c;
    };
    if (layout === 'columns') {
      const head = el('tr', {}, el('th', { scope: 'col' }, ''));
      for (const m of s.models)
        head.append(
          el(
            'th',
            { scope: 'col' },
            el('span', { class: 'model' }, m.model),
            el('br'),
            el('small', { class: 'muted' }, m.displayName),
          ),
        );
      const body = el(
        'tbody',
        {},
        ...specs.map((r) =>
          el(
            'tr',
            r.strong ? { class: 'strong' } : {},
            label(r, el('th', { scope: 'row' }, r.label)),
            ...s.models.map((m) => td(r, m)),
          ),
        ),
      );
      this.root.replaceChildren(
        el(
          'div',
          { class: 'scroll' },
          el('table', { id: 'per-model', class: 'grid columns' }, el('thead', {}, head), body),
        ),
      );
      return;
    }
    // Cards: one per model, its figures as label/value rows that wrap — nothing runs off a narrow panel.
    this.root.replaceChildren(
      el(
        'div',
        { id: 'per-model', class: 'cards' },
        ...s.models.map((m) =>
          el(
            'section',
            { class: 'card', 'aria-label': m.model },
            el('h3', {}, el('span', { class: 'model' }, m.model), ' ', el('small', { class: 'muted' }, m.displayName)),
            el(
              'table',
              { class: 'grid card-table' },
              el(
                'tbody',
                {},
                ...specs.map((r) =>
                  el(
                    'tr',
                    r.strong ? { class: 'strong' } : {},
                    label(r, el('th', { scope: 'row' }, r.label)),
                    td(r, m),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }
}
