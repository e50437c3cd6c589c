import { blockSummary } from '../../src/core/attention/attentionMath';
import type { AttentionDocumentView } from '../../src/protocol';
import { el } from '../shared/dom';

/** A token's text with its whitespace made visible (· space, ↵ line break, → tab). */
export const visible = (t: string): string => t.replace(/ /g, '·').replace(/\n/g, '↵').replace(/\t/g, '→');
const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

type Token = AttentionDocumentView['tokens'][number];

/** "Between blocks": of the attention of each block's tokens, the share on each block (the prompt's own blocks). */
export class BlocksTable {
  readonly root = el('section', { id: 'blocks', 'aria-label': 'Attention between blocks' });
  private shown: unknown[] = [];

  render(m: Float32Array, S: number, blocks: AttentionDocumentView['blocks']): void {
    const key = [m, S, blocks];
    if (key.every((k, i) => k === this.shown[i])) return;
    this.shown = key;
    const bs = blocks.filter((b) => b.start < S).map((b) => ({ ...b, end: Math.min(b.end, S) }));
    if (bs.length < 2) {
      this.root.replaceChildren();
      return;
    }
    const sum = blockSummary(m, S, bs),
      n = bs.length;
    const table = el(
      'table',
      { class: 'grid blocks' },
      el(
        'thead',
        {},
        el('tr', {}, el('th', {}, 'query block ↓ · key block →'), ...bs.map((b) => el('th', {}, b.label))),
      ),
      el(
        'tbody',
        {},
        ...bs.map((a, i) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, a.label),
            ...bs.map((_, j) => {
              const x = sum[i * n + j];
              return el('td', { class: 'num', style: `--a:${Math.sqrt(x).toFixed(3)}` }, j <= i ? pct(x) : '');
            }),
          ),
        ),
      ),
    );
    this.root.replaceChildren(
      el('h2', {}, 'Between blocks'),
      el(
        'p',
        { class: 'muted' },
        "Of the attention of each block's tokens, the share on each block (rows add up to 100 %).",
      ),
      el('div', { class: 'scroll' }, table),
    );
  }
}

/**
 * The tokens of the shown window as buttons (cached ones tinted, the editor's selection marked); a click reveals one.
 * One listener on the strip serves every button; the buttons are rebuilt only when the window or the marks change.
 */
export class TokenStrip {
  readonly root = el('section', {
    id: 'tokens',
    class: 'tokens',
    'aria-label': 'Tokens (click to show in the editor)',
  });
  private shown: unknown[] = [];

  constructor(reveal: (index: number) => void) {
    this.root.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest<HTMLElement>('button.tok');
      if (b) reveal(Number(b.dataset.index));
    });
  }

  render(
    tokens: readonly Token[],
    start: number,
    size: number,
    cacheBoundary: number | null,
    selected: readonly [number, number] | null,
  ): void {
    const key = [tokens, start, size, cacheBoundary, selected];
    if (key.every((k, i) => k === this.shown[i])) return;
    this.shown = key;
    this.root.replaceChildren(
      el('h2', {}, 'Tokens'),
      ...tokens.slice(start, start + size).map((t, k) => {
        const i = start + k;
        return el(
          'button',
          {
            class: `tok${cacheBoundary !== null && i < cacheBoundary ? ' cached' : ''}${selected && i >= selected[0] && i < selected[1] ? ' selected' : ''}`,
            'data-index': String(i),
            title: `#${i} id ${t.id}`,
          },
          visible(t.text) || '∅',
        );
      }),
    );
  }
}
