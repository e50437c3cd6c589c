import type { CostReportState, WorkspaceRowView } from '../../src/protocol';
import { el } from '../shared/dom';
import { count, usd } from '../shared/format';

/** How the workspace table is sorted: by a column, largest (or last) first when `down`. */
export interface WorkspaceSort {
  readonly key: keyof WorkspaceRowView;
  readonly down: boolean;
}

export interface WorkspaceEvents {
  readonly onSort: (key: keyof WorkspaceRowView) => void;
  readonly onOpen: (file: string, line?: number) => void;
}

/**
 * Below this width the five columns do not fit beside each other (a path, a model id and two sums of money): each
 * row is then stacked, the file on a line of its own and its figures under it, so nothing scrolls off to the right.
 */
export const STACK_BELOW_PX = 620;

const COLUMNS: readonly (readonly [keyof WorkspaceRowView, string, string])[] = [
  ['file', 'prompt file', 'file'],
  ['model', 'model', 'model'],
  ['tokens', 'tokens', 'num'],
  ['monthWithoutCache', 'month, no cache', 'num'],
  ['monthWithCache', 'month, with cache', 'num'],
];

function sorted(rows: readonly WorkspaceRowView[], sort: WorkspaceSort): WorkspaceRowView[] {
  return [...rows].sort((a, b) => {
    const x = a[sort.key],
      y = b[sort.key];
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sort.down ? -c : c;
  });
}

function link(text: string, open: () => void): HTMLAnchorElement {
  const a = el('a', { href: '#' }, text);
  a.addEventListener('click', (e) => {
    e.preventDefault();
    open();
  });
  return a;
}

/**
 * The workspace section: each prompt file's monthly bill with and without the cache (sortable by every column, by
 * keyboard too) and the top cache killers. `stacked` lays each row out on two lines for a narrow panel.
 */
export function workspaceSection(
  w: NonNullable<CostReportState['workspace']>,
  sort: WorkspaceSort,
  stacked: boolean,
  events: WorkspaceEvents,
): HTMLElement[] {
  const head = el('tr', { role: 'row' });
  for (const [k, label, cls] of COLUMNS) {
    const b = el(
      'button',
      { class: 'sort', type: 'button', 'data-key': k },
      label,
      sort.key === k ? (sort.down ? ' ▼' : ' ▲') : '',
    );
    b.addEventListener('click', () => events.onSort(k));
    head.append(
      el(
        'th',
        {
          scope: 'col',
          role: 'columnheader',
          class: cls,
          'aria-sort': sort.key === k ? (sort.down ? 'descending' : 'ascending') : 'none',
        },
        b,
      ),
    );
  }
  const body = el(
    'tbody',
    {},
    ...sorted(w.rows, sort).map((r) =>
      el(
        'tr',
        { role: 'row' },
        el(
          'td',
          { class: 'file', role: 'cell' },
          link(r.file, () => events.onOpen(r.file)),
        ),
        el('td', { class: 'model', role: 'cell' }, r.model),
        el('td', { class: 'num', role: 'cell' }, `${r.exact ? '' : '≈'}${count(r.tokens)}`),
        el('td', { class: 'num', role: 'cell', 'data-money': 'monthWithoutCache' }, usd(r.monthWithoutCache)),
        el('td', { class: 'num', role: 'cell', 'data-money': 'monthWithCache' }, usd(r.monthWithCache)),
      ),
    ),
  );
  const total = (k: 'monthWithoutCache' | 'monthWithCache') => w.rows.reduce((a, r) => a + r[k], 0);
  const foot = el(
    'tfoot',
    {},
    el(
      'tr',
      { role: 'row' },
      el('th', { scope: 'row', colspan: '3', class: 'total', role: 'rowheader' }, 'workspace'),
      el(
        'td',
        { class: 'num', role: 'cell', 'data-money': 'total-monthWithoutCache' },
        usd(total('monthWithoutCache')),
      ),
      el('td', { class: 'num', role: 'cell', 'data-money': 'total-monthWithCache' }, usd(total('monthWithCache'))),
    ),
  );
  const killers = w.killers.length
    ? [
        el('h3', {}, 'Top cache killers'),
        el(
          'ol',
          {},
          ...w.killers.map((k) =>
            el(
              'li',
              {},
              link(`${k.file}:${k.line}`, () => events.onOpen(k.file, k.line)),
              ` — ${k.message} — costs ${usd(k.monthlyCost)} a month`,
            ),
          ),
        ),
      ]
    : [el('p', { class: 'muted' }, 'No cache killers found in the workspace prompts.')];
  return [
    el('h2', {}, 'Workspace: monthly bill per prompt file'),
    el(
      'div',
      { class: 'scroll' },
      el(
        'table',
        { id: 'workspace-table', class: `grid${stacked ? ' stacked' : ''}`, role: 'table' },
        el('thead', {}, head),
        body,
        foot,
      ),
    ),
    ...killers,
  ];
}
