import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { AttentionModelView } from '../../src/protocol';
import { custom, el } from '../shared/dom';
import type { AttentionState } from './state';

type Select = HTMLElement & { value: string };
type Check = HTMLElement & { checked: boolean };

export interface ToolbarActions {
  layer(l: number): void;
  head(h: number | 'mean'): void;
  grid(on: boolean): void;
  steps(on: boolean): void;
  cold(): void;
  pickModel(): void;
}

/** Layer and head pickers, the grid and step toggles, a cold run, the model: built once, options per model. */
export class Toolbar {
  private readonly layerSel = custom('vscode-single-select', { id: 'layer', 'aria-label': 'Layer' }) as Select;
  private readonly headSel = custom('vscode-single-select', { id: 'head', 'aria-label': 'Head' }) as Select;
  private readonly gridBox = custom('vscode-checkbox', { id: 'grid', label: 'All layers × heads' }) as Check;
  private readonly stepBox = custom('vscode-checkbox', { id: 'steps', label: 'Step through K and V' }) as Check;
  readonly root: HTMLElement;
  /** The model and layer the options were built for. */
  private optionsOf = '';

  constructor(a: ToolbarActions) {
    const cold = custom(
      'vscode-button',
      { id: 'cold', secondary: '', title: 'Forget the cached keys and values and run the whole prompt' },
      'Run cold',
    );
    const pick = custom('vscode-button', { id: 'pick-model', secondary: '' }, 'Model…');
    this.root = el(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Attention view' },
      el('label', { class: 'inline' }, 'Layer ', this.layerSel),
      el('label', { class: 'inline' }, 'Head ', this.headSel),
      this.gridBox,
      this.stepBox,
      cold,
      pick,
    );
    this.layerSel.addEventListener('change', () => a.layer(Number(this.layerSel.value)));
    this.headSel.addEventListener('change', () =>
      a.head(this.headSel.value === 'mean' ? 'mean' : Number(this.headSel.value)),
    );
    this.gridBox.addEventListener('change', () => a.grid(this.gridBox.checked));
    this.stepBox.addEventListener('change', () => a.steps(this.stepBox.checked));
    cold.addEventListener('click', () => a.cold());
    pick.addEventListener('click', () => a.pickModel());
  }

  render(s: AttentionState): void {
    if (s.model) this.options(s.model, s.layer, s.head);
    if (this.gridBox.checked !== s.grid) this.gridBox.checked = s.grid;
    if (this.stepBox.checked !== s.steps) this.stepBox.checked = s.steps;
  }

  private options(m: AttentionModelView, layer: number, head: number | 'mean'): void {
    const key = `${m.id}|${layer}`;
    if (key !== this.optionsOf) {
      this.optionsOf = key;
      const { layers, heads } = m.shape;
      const role = (h: number) => m.heads[layer]?.[h];
      fill(
        this.layerSel,
        Array.from({ length: layers }, (_, l): [string, string] => [String(l), String(l)]),
        String(layer),
      );
      fill(
        this.headSel,
        [
          ['mean', 'mean over heads'],
          ...Array.from({ length: heads }, (_, h): [string, string] => [
            String(h),
            role(h) ? `${h}: ${role(h)}` : String(h),
          ]),
        ],
        String(head),
      );
    }
    if (this.layerSel.value !== String(layer)) this.layerSel.value = String(layer);
    if (this.headSel.value !== String(head)) this.headSel.value = String(head);
  }
}

function fill(sel: Select, items: [string, string][], value: string): void {
  sel.replaceChildren(
    ...items.map(([v, label]) =>
      custom('vscode-option', { value: v, ...(v === value ? { selected: '' } : {}) }, label),
    ),
  );
  sel.value = value;
}
