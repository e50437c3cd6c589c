import type { AttentionModelView } from '../../src/protocol';
import { el } from '../shared/dom';
import type { Engine } from './engine';
import type { EngineRun } from './state';
import { thumbnail } from './heatmap';

/**
 * "All layers × heads": a thumbnail of every head's attention. It is computed once per run (a layer other than the
 * run's own costs a model run), a newer run supersedes a grid being computed, and a theme switch repaints the
 * thumbnails from the matrices they were drawn from.
 */
export class GridView {
  readonly root = el('section', {
    id: 'grid-view',
    class: 'grid-view',
    hidden: '',
    'aria-label': 'All layers and heads',
  });
  private painters: (() => void)[] = [];
  private of: EngineRun | undefined;

  /** `choose(layer, head)`: a thumbnail clicked (or Enter / Space on it). */
  constructor(private readonly choose: (layer: number, head: number) => void) {}

  async render(
    engine: Engine | undefined,
    model: AttentionModelView | undefined,
    ids: readonly number[] | undefined,
    last: EngineRun | undefined,
  ): Promise<void> {
    if (!engine || !model || !ids || !last) return;
    this.root.hidden = false;
    if (this.of === last) return;
    const run = (this.of = last);
    const { layers, heads } = model.shape,
      S = ids.length,
      px = 96;
    this.root.replaceChildren(
      el('h2', {}, 'All layers × heads'),
      el('p', { class: 'muted', id: 'grid-progress' }, 'Computing…'),
    );
    const table = el('div', { class: 'thumbs', style: `grid-template-columns: auto repeat(${heads}, ${px}px)` });
    table.append(
      el('span', {}),
      ...Array.from({ length: heads }, (_, h) => el('span', { class: 'muted' }, `head ${h}`)),
    );
    const painters: (() => void)[] = [];
    for (let l = 0; l < layers; l++) {
      const a = l === run.result.layer ? run.result.attention : await engine.attentionOf(ids, l);
      if (this.of !== run) return;
      table.append(el('span', { class: 'muted' }, `layer ${l}`));
      for (let h = 0; h < heads; h++) {
        const c = el('canvas', {
          width: String(Math.min(px, S)),
          height: String(Math.min(px, S)),
          class: 'thumb',
          tabindex: '0',
          role: 'button',
          'aria-label': `layer ${l}, head ${h}${model.heads[l]?.[h] ? `: ${model.heads[l][h]}` : ''}`,
          title: model.heads[l]?.[h] ?? `layer ${l}, head ${h}`,
        });
        const paint = () =>
          c.getContext('2d')!.putImageData(thumbnail(a.subarray(h * S * S, (h + 1) * S * S), S, px), 0, 0);
        paint();
        painters.push(paint);
        c.addEventListener('click', () => this.choose(l, h));
        c.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            this.choose(l, h);
          }
        });
        table.append(c);
      }
    }
    this.painters = painters;
    this.root.replaceChildren(
      el('h2', {}, 'All layers × heads'),
      el('p', { class: 'muted' }, 'Click a head to show it above.'),
      table,
    );
  }

  hide(): void {
    this.root.hidden = true;
  }

  /** The theme changed: the thumbnails are canvases, drawn in the colours of the theme they were drawn in. */
  repaint(): void {
    for (const p of this.painters) p();
  }
}
