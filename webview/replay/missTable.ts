import type { ReplayReportState, ReplayRequestView } from '../../src/protocol';
import { el } from '../shared/dom';
import { count, usd } from '../shared/format';
import { clockTime, duration, pct } from './figures';
import { classOf, reasonColor, reasonText } from './reasons';

// The report's tables of requests: those not read from cache (every class but a hit), and those read from cache but
// not as predicted. One row a request; its button carries the request's place in the state (the app opens it).

/** Where the prefix changed: the instruction file and line (a session), or the block and column (a log). */
function where(r: ReplayRequestView, session: boolean): string {
  const d = r.divergence;
  if (!d) return '';
  return session ? `${d.block.split(/[\\/]/).pop()}:${count(d.line)}` : `${d.block} (col ${count(d.column)})`;
}

/** The time a request came after its chain's previous call (a session), or after its cache entry expired (a log). */
function gap(r: ReplayRequestView, session: boolean): string {
  if (r.gapSeconds === undefined) return '';
  return session ? duration(r.gapSeconds) : `${duration(r.gapSeconds)} past`;
}

/** The column heads: [text, what it holds]; a narrow panel shows each cell with its head as a label. */
function heads(session: boolean): [string, string][] {
  return [
    ['line', 'the line of the log or transcript (click to open it)'],
    ['time', 'when it was sent (UTC)'],
    ['reason', 'why tokens were not read from cache'],
    ['predicted', 'cached share KV Lens predicted'],
    ['actual', 'cached share the provider reported'],
    session
      ? ['gap', 'time since the previous call of the same cache']
      : ['past TTL', 'time since the cache entry expired'],
    ['where', 'where the prefix changed'],
    ['cost', 'what the miss cost beyond a cache read'],
  ];
}

function row(r: ReplayRequestView, position: number, session: boolean): HTMLTableRowElement {
  const extra = [
    r.verdict === 'mismatch' ? 'mismatch' : '',
    r.chain && r.chain !== 'main' ? r.chain : '',
    r.providerReason ? `provider: ${r.providerReason}` : '',
  ].filter(Boolean);
  const tr = el(
    'tr',
    { class: r.verdict === 'mismatch' ? 'strong' : '', 'data-reason': r.reason },
    el(
      'td',
      {},
      el(
        'button',
        { class: 'sort', type: 'button', 'data-line': String(r.index + 1), 'data-position': String(position) },
        `line ${count(r.index + 1)}`,
      ),
    ),
    el('td', { title: r.timestamp ?? '' }, clockTime(r.timestamp)),
    el(
      'td',
      { class: 'wrap', title: r.note ?? reasonText(r.reason) },
      el('span', { class: 'chip', style: `background:${reasonColor(r.reason)}` }),
      ` ${r.reason}`,
      ...(extra.length ? [el('span', { class: 'muted' }, ` · ${extra.join(' · ')}`)] : []),
    ),
    el('td', { class: 'num' }, pct(r.predictedShare)),
    el('td', { class: 'num' }, pct(r.actualShare)),
    el('td', { class: 'num' }, gap(r, session)),
    el('td', { class: 'wrap' }, where(r, session)),
    el('td', { class: 'num' }, r.missCost ? usd(r.missCost) : '–'),
  );
  const labels = heads(session);
  tr.querySelectorAll('td').forEach((td, i) => {
    if (i > 0) td.dataset.label = labels[i][0];
  });
  return tr;
}

function table(id: string, rows: readonly [ReplayRequestView, number][], session: boolean): HTMLTableElement {
  return el(
    'table',
    { class: 'grid requests', id },
    el('thead', {}, el('tr', {}, ...heads(session).map(([h, title]) => el('th', { scope: 'col', title }, h)))),
    el('tbody', {}, ...rows.map(([r, i]) => row(r, i, session))),
  );
}

/** The tables, with their headings; the requests keep their place in the state. */
export function requestTables(state: ReplayReportState): Node[] {
  const session = !!state.summary.format;
  const placed = state.requests.map((r, i) => [r, i] as [ReplayRequestView, number]);
  const missed = placed.filter(([r]) => classOf(r.reason) !== 'hit');
  const mispredicted = placed.filter(([r]) => classOf(r.reason) === 'hit' && r.verdict === 'mismatch');
  const what = session ? 'Calls' : 'Requests';
  return [
    el('h2', {}, `${what} not read from cache`),
    missed.length
      ? el('div', { class: 'scroll' }, table('miss-table', missed, session))
      : el('p', { class: 'muted' }, `Every ${session ? 'call' : 'request'} read what it could from cache.`),
    ...(mispredicted.length
      ? [
          el('h2', {}, `${what} read from cache, but not as predicted`),
          el('div', { class: 'scroll' }, table('mispredicted-table', mispredicted, session)),
        ]
      : []),
    ...(state.truncated
      ? [
          el(
            'p',
            { class: 'muted' },
            `The timeline shows the first ${count(state.requests.length)} ${what.toLowerCase()}; ${count(state.truncated)} more are in the summary.`,
          ),
        ]
      : []),
  ];
}
