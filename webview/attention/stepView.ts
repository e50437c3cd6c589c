import { custom, el } from '../shared/dom';
import { count } from '../shared/format';
import type { Engine } from './engine';
import type { EngineRun } from './state';
import { drawKvStep } from './kvSteps';
import { visible } from './tokenViews';

/** What the step view draws from: the panel's engine, its last run, the tokens and the chosen layer and head. */
export interface StepSource {
  readonly engine: Engine | undefined;
  readonly run: EngineRun | undefined;
  readonly tokens: readonly { readonly text: string }[] | undefined;
  readonly layer: number;
  readonly head: number | 'mean';
  readonly headDim: number;
}

/**
 * "Step through K and V": the cached keys and values of one head growing a row per token, the rows the last run
 * reused marked apart from those it computed. Its elements are built once and updated in place, so a drag on the
 * slider keeps its pointer capture and a button its focus.
 */
export class StepView {
  readonly root = el('section', {
    id: 'kv-steps',
    hidden: '',
    'aria-label': 'Keys and values growing a row per token',
  });
  private step = 0;
  private readonly title = el('h2');
  private readonly caption = el('p', { id: 'step-caption' });
  private readonly range = el('input', {
    type: 'range',
    min: '1',
    max: '1',
    value: '1',
    id: 'step-range',
    'aria-label': 'Tokens so far',
  }) as HTMLInputElement;
  private readonly keys = el('canvas', { role: 'img' });
  private readonly values = el('canvas', { role: 'img' });

  constructor(private readonly source: () => StepSource) {
    const prev = custom('vscode-button', { secondary: '', id: 'step-prev' }, 'Previous token');
    const next = custom('vscode-button', { secondary: '', id: 'step-next' }, 'Next token');
    this.root.append(
      this.title,
      this.caption,
      el('div', { class: 'toolbar' }, prev, next, this.range),
      el(
        'div',
        { class: 'kv-pair' },
        el('figure', {}, el('figcaption', {}, 'K'), this.keys),
        el('figure', {}, el('figcaption', {}, 'V'), this.values),
      ),
    );
    this.range.addEventListener('input', () => {
      this.step = Number(this.range.value);
      void this.render();
    });
    prev.addEventListener('click', () => {
      this.step = Math.max(1, this.step - 1);
      void this.render();
    });
    next.addEventListener('click', () => {
      this.step = Math.min(Number(this.range.max), this.step + 1);
      void this.render();
    });
  }

  get shown(): boolean {
    return !this.root.hidden;
  }

  /** Shows or hides the view; shown again, it starts at the first token the last run computed. */
  show(on: boolean): void {
    this.root.hidden = !on;
    this.step = 0;
    if (on) void this.render();
  }

  /** Keys and values of the chosen head (head 0 for the mean), up to the step token. */
  async render(): Promise<void> {
    const { engine, run, tokens, layer, head, headDim } = this.source();
    if (!engine || !run || !tokens || this.root.hidden) return;
    const h = head === 'mean' ? 0 : head,
      kv = await engine.keysAndValues(layer, h);
    if (!kv) return;
    const S = kv.tokens,
      r = run.result;
    const step = (this.step = Math.max(1, Math.min(this.step || r.reused + 1, S)));
    const from = step - 1 < r.reused ? 'reused from the cache' : 'computed by the last run';
    this.title.textContent = `Keys and values, layer ${layer}, head ${h}`;
    this.caption.replaceChildren(
      `Token ${count(step)} of ${count(S)}: "${visible(tokens[step - 1]?.text ?? '')}" adds one row to K and one to V (${from}); its query attends to the ${count(step)} rows above it. `,
      el('span', { class: 'chip', style: `background:var(--vscode-charts-green)` }),
      ` reused (${count(r.reused)} rows) `,
      el('span', { class: 'chip', style: `background:var(--vscode-charts-orange)` }),
      ` computed (${count(r.computed)} rows)`,
    );
    if (this.range.max !== String(S)) this.range.max = String(S);
    if (this.range.value !== String(step)) this.range.value = String(step);
    this.keys.setAttribute('aria-label', `Keys of layer ${layer}, head ${h}: ${step} of ${S} rows`);
    this.values.setAttribute('aria-label', `Values of layer ${layer}, head ${h}: ${step} of ${S} rows`);
    drawKvStep(this.keys, this.values, { keys: kv.keys, values: kv.values, headDim, step, total: S, reused: r.reused });
  }
}
