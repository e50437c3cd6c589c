// The heat map with what a reader needs around it: the window bar (arrows, the cache boundary, which tokens), a
// one-line legend, the axes named in words with the first and last token index, and the cell under the pointer in a
// sentence. Built once; render() updates text and redraws the canvas only when what it shows changed.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { custom, el } from '../shared/dom';
import { count } from '../shared/format';
import { shownMatrix } from './derived';
import { HeatMap } from './heatmap';
import type { AttentionState } from './state';
import { visible } from './tokenViews';
import { canMove, endOf, windowAt, type TokenWindow } from './tokenWindow';

export interface MapActions {
  /** An arrow: move the window by `by` tokens. */
  move(by: number): void;
  toBoundary(): void;
  /** A cell clicked or reached by the keyboard: [query, key]; `reveal` the query token in the editor. */
  cell(i: number, j: number, reveal: boolean): void;
  /** Enter on the keyboard cursor: reveal the query (or with Shift the key) token. */
  revealToken(index: number): void;
}

/** The window of the map for a state: the shown run's tokens (a first load may show fewer than the text has). */
export function windowOf(s: AttentionState): TokenWindow | undefined {
  const S = s.run?.result.tokens;
  return S ? windowAt(s.windowStart, S) : undefined;
}

export class MapView {
  private readonly canvas = el('canvas', {
    id: 'heatmap',
    tabindex: '0',
    role: 'img',
    'aria-label':
      'Attention heat map: each row is a token, each column a token before it; the brighter the cell, the more attention',
  });
  private readonly map = new HeatMap(this.canvas);
  private readonly busy = custom('vscode-progress-ring', { id: 'busy', 'aria-label': 'Running the model', hidden: '' });
  private readonly prev = custom(
    'vscode-button',
    { secondary: '', id: 'window-prev', 'aria-label': 'Earlier tokens' },
    '◀',
  );
  private readonly next = custom(
    'vscode-button',
    { secondary: '', id: 'window-next', 'aria-label': 'Later tokens' },
    '▶',
  );
  private readonly toCache = custom(
    'vscode-button',
    { secondary: '', id: 'window-boundary' },
    'Go to the cache boundary',
  );
  private readonly which = el('span', { class: 'muted', id: 'window-tokens' });
  private readonly bar = el(
    'div',
    { id: 'window', class: 'toolbar', hidden: '' },
    this.prev,
    this.next,
    this.toCache,
    this.which,
  );
  private readonly boundaryKey = el(
    'span',
    { class: 'legend-key' },
    ' · ',
    el('span', { class: 'legend-line' }),
    " the provider's cache ends",
  );
  private readonly legend = el(
    'p',
    { id: 'legend', class: 'legend muted' },
    el('span', { class: 'legend-ramp', 'aria-hidden': 'true' }),
    ' brighter: more attention; a row adds up to 100 %',
    this.boundaryKey,
  );
  private readonly xFirst = el('span', { class: 'tick' });
  private readonly xLast = el('span', { class: 'tick' });
  private readonly yFirst = el('span', { class: 'tick' });
  private readonly yLast = el('span', { class: 'tick' });
  private readonly tip = el('div', { id: 'tip', role: 'status', 'aria-live': 'polite', class: 'tip' });
  readonly root = el(
    'section',
    { class: 'map', 'aria-label': 'Heat map', hidden: '' },
    this.bar,
    this.legend,
    el(
      'div',
      { class: 'map-frame' },
      el(
        'div',
        { class: 'axis-x', id: 'axis-x' },
        this.xFirst,
        el('span', { class: 'axis-name' }, 'columns: the tokens it attends to (keys) →'),
        this.xLast,
      ),
      el(
        'div',
        { class: 'axis-y', id: 'axis-y' },
        this.yFirst,
        el('span', { class: 'axis-name' }, 'rows: each token, attending (queries) →'),
        this.yLast,
      ),
      el('div', { class: 'map-box' }, this.canvas, this.busy),
    ),
    this.tip,
  );
  private drawn: unknown[] = [];
  private last: AttentionState | undefined;
  private theme = 0;

  constructor(private readonly a: MapActions) {
    this.prev.addEventListener('click', () => a.move(-1));
    this.next.addEventListener('click', () => a.move(1));
    this.toCache.addEventListener('click', () => a.toBoundary());
    this.canvas.addEventListener('mousemove', (e) => {
      const c = this.map.cellAt(e.clientX, e.clientY);
      if (c) this.describe(c[0], c[1]);
    });
    this.canvas.addEventListener('click', (e) => {
      const c = this.map.cellAt(e.clientX, e.clientY);
      if (c) a.cell(c[0], c[1], true);
    });
    this.canvas.addEventListener('keydown', (e) => this.key(e));
  }

  /** The theme changed: the canvas keeps the old colours until redrawn. */
  repaint(): void {
    this.theme++;
    if (this.last) this.render(this.last);
  }

  render(s: AttentionState): void {
    this.last = s;
    const w = windowOf(s);
    if (this.root.hidden !== !w) this.root.hidden = !w;
    if (this.busy.hidden !== !s.running) this.busy.hidden = !s.running;
    if (!w || !s.run || !s.model) return;
    const boundary = s.run.doc.cacheBoundary;
    this.bar.hidden = w.total <= w.size;
    const can = canMove(w);
    this.prev.toggleAttribute('disabled', !can.back);
    this.next.toggleAttribute('disabled', !can.forward);
    this.toCache.hidden = boundary === null;
    this.which.textContent = `tokens ${count(w.start)}–${count(endOf(w) - 1)} of ${count(w.total)}`;
    this.boundaryKey.hidden = boundary === null;
    this.xFirst.textContent = this.yFirst.textContent = `#${count(w.start)}`;
    this.xLast.textContent = this.yLast.textContent = `#${count(endOf(w) - 1)}`;
    const matrix = shownMatrix(s.run, s.head, s.model.shape.heads);
    const key = [matrix, w.start, w.size, boundary, s.selected, s.cursor, this.theme, this.canvas.clientWidth];
    if (key.length !== this.drawn.length || key.some((k, i) => k !== this.drawn[i])) {
      this.drawn = key;
      this.map.draw({
        matrix,
        S: w.total,
        start: w.start,
        size: w.size,
        boundary,
        selected: s.selected,
        cursor: s.cursor,
      });
    }
    if (s.cursor) this.describe(s.cursor[0], s.cursor[1]);
  }

  private describe(i: number, j: number): void {
    const s = this.last;
    if (!s?.run || !s.model) return;
    const S = s.run.result.tokens,
      v = shownMatrix(s.run, s.head, s.model.shape.heads)[i * S + j],
      doc = s.run.doc;
    const q = doc.tokens[i],
      k = doc.tokens[j],
      b = doc.cacheBoundary;
    const where =
      b === null ? '' : j < b ? " (a token in the provider's cached part)" : ' (a token the provider computes)';
    this.tip.textContent = `#${i} "${visible(q.text)}" → #${j} "${visible(k.text)}": ${v.toFixed(3)} — token ${count(i)} puts ${(v * 100).toFixed(1)} % of its attention on token ${count(j)}${where}`;
  }

  private key(e: KeyboardEvent): void {
    const s = this.last,
      w = s && windowOf(s);
    if (!s || !w) return;
    let [i, j] = s.cursor ?? [w.start, w.start];
    if (e.key === 'ArrowDown') i++;
    else if (e.key === 'ArrowUp') i--;
    else if (e.key === 'ArrowRight') j++;
    else if (e.key === 'ArrowLeft') j--;
    else if (e.key === 'Enter') {
      e.preventDefault();
      this.a.revealToken(e.shiftKey ? j : i);
      return;
    } else return;
    e.preventDefault();
    i = Math.max(0, Math.min(w.total - 1, i));
    j = Math.max(0, Math.min(i, j));
    this.a.cell(i, j, false);
  }
}
