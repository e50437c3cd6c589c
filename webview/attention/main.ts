import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { attentionOnPrefix, meanOverHeads } from '../../src/core/attention/attentionMath';
import type {
  AttentionDocumentView,
  AttentionModelView,
  AttentionSaved,
  AttentionStatus,
  AttentionViewToHost,
  HostToAttentionView,
} from '../../src/protocol';
import { custom, el } from '../shared/dom';
import { count } from '../shared/format';
import { channel, onThemeChange } from '../shared/vscodeApi';
import { Engine, type EngineRun } from './engine';
import { GridView } from './gridView';
import { HeatMap } from './heatmap';
import { BlocksTable, TokenStrip, visible } from './tokenViews';
import { StepView } from './stepView';

// The attention panel: the heat map of one layer and head (or the mean over heads) for the prompt in the editor, the
// provider's cache boundary on it, how much of the uncached tokens' attention falls on the cached prefix, and the
// panel's own prompt cache at work — "reused N tokens, computed M" with the time beside a full run and the largest
// difference between the two. Keyboard: the map takes focus; arrows move a cell, Enter reveals the query token in the
// editor, Shift+Enter the key token; tokens in the strip are buttons.

const WINDOW = 256;
const ch = channel<AttentionViewToHost, AttentionSaved>();
const saved = ch.saved();
let layer = saved?.layer ?? 0,
  head: number | 'mean' = saved?.head ?? 'mean',
  grid = saved?.grid ?? false,
  windowStart = saved?.windowStart ?? 0;
let model: AttentionModelView | undefined, engine: Engine | undefined, doc: AttentionDocumentView | undefined;
let last: EngineRun | undefined,
  cursor: [number, number] | null = null,
  selected: [number, number] | null = null;
let pending = false,
  running = false;

const app = document.getElementById('app')!;
app.replaceChildren();
app.removeAttribute('aria-busy');
const title = el('h1', { id: 'title' }, 'Attention');
const modelLine = el('p', { id: 'model', class: 'muted' }, 'Loading the model…');
const layerSel = custom('vscode-single-select', { id: 'layer', 'aria-label': 'Layer' });
const headSel = custom('vscode-single-select', { id: 'head', 'aria-label': 'Head' });
const gridBox = custom('vscode-checkbox', { id: 'grid', label: 'All layers × heads' });
const stepToggle = custom('vscode-checkbox', { id: 'steps', label: 'Step through K and V' });
const cold = custom(
  'vscode-button',
  { id: 'cold', secondary: '', title: 'Forget the cached keys and values and run the whole prompt' },
  'Run cold',
);
const pickModel = custom('vscode-button', { id: 'pick-model', secondary: '' }, 'Model…');
const toolbar = el(
  'div',
  { class: 'toolbar', role: 'toolbar', 'aria-label': 'Attention view' },
  el('label', { class: 'inline' }, 'Layer ', layerSel),
  el('label', { class: 'inline' }, 'Head ', headSel),
  gridBox,
  stepToggle,
  cold,
  pickModel,
);
const cacheLine = el('p', { id: 'cache', 'aria-live': 'polite' });
const kvLine = el('p', { id: 'kv', 'aria-live': 'polite' });
const busy = custom('vscode-progress-ring', { id: 'busy', 'aria-label': 'Running the model', hidden: '' });
const canvas = el('canvas', {
  id: 'heatmap',
  tabindex: '0',
  role: 'img',
  'aria-label': 'Attention heat map: rows are query tokens, columns are the tokens they attend to',
});
const tip = el('div', { id: 'tip', role: 'status', 'aria-live': 'polite', class: 'tip' });
const windowBar = el('div', { id: 'window', class: 'toolbar', hidden: '' });
const mapBox = el(
  'section',
  { class: 'map', 'aria-label': 'Heat map' },
  windowBar,
  el('div', { class: 'map-box' }, canvas, busy),
  tip,
);
const blocks = new BlocksTable();
const strip = new TokenStrip((t) => ch.post({ type: 'reveal', start: t.start, end: t.end }));
const steps = new StepView(() => ({
  engine,
  run: last,
  tokens: doc?.tokens,
  layer,
  head,
  headDim: model?.shape.headDim ?? 0,
}));
const gridView = new GridView((l, h) => {
  layer = l;
  head = h;
  setModel(model!);
  save();
  void runNow();
});
const notice = el('p', { id: 'notice', class: 'problem', hidden: '' });
app.append(
  title,
  modelLine,
  notice,
  toolbar,
  cacheLine,
  kvLine,
  mapBox,
  steps.root,
  gridView.root,
  blocks.root,
  strip.root,
);
const map = new HeatMap(canvas);

const save = () => ch.save({ layer, head, grid, windowStart });
const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;

function options(sel: HTMLElement, items: [string, string][], value: string): void {
  sel.replaceChildren(
    ...items.map(([v, label]) =>
      custom('vscode-option', { value: v, ...(v === value ? { selected: '' } : {}) }, label),
    ),
  );
  (sel as HTMLElement & { value: string }).value = value;
}

function setModel(m: AttentionModelView): void {
  model = m;
  const { layers, heads } = m.shape;
  layer = Math.min(layer, layers - 1);
  if (head !== 'mean' && head >= heads) head = 'mean';
  options(
    layerSel,
    Array.from({ length: layers }, (_, l) => [String(l), String(l)]),
    String(layer),
  );
  const role = (h: number) => m.heads[layer]?.[h];
  options(
    headSel,
    [
      ['mean', 'mean over heads'],
      ...Array.from({ length: heads }, (_, h): [string, string] => [
        String(h),
        role(h) ? `${h}: ${role(h)}` : String(h),
      ]),
    ],
    String(head),
  );
  (gridBox as HTMLElement & { checked: boolean }).checked = grid;
}

async function loadModel(m: AttentionModelView): Promise<void> {
  const old = engine;
  engine = undefined;
  await old?.release().catch(() => undefined);
  setModel(m);
  modelLine.textContent = `${m.label} — loading on ${'gpu' in navigator ? 'WebGPU' : 'WASM'}…`;
  try {
    engine = await Engine.open(m);
  } catch (e) {
    showNotice(`Could not open ${m.label}: ${(e as Error).message}`);
    return;
  }
  describeModel();
  void runNow();
}

function describeModel(): void {
  if (!model || !engine) return;
  const s = model.shape;
  modelLine.replaceChildren(
    el(
      'span',
      { class: `chip-label backend-${engine.backend}`, id: 'backend' },
      engine.backend === 'webgpu' ? 'WebGPU' : 'WASM',
    ),
    ' ',
    `${model.label}: ${s.layers} layers × ${s.heads} heads, ${s.maxPositions ? `${count(s.maxPositions)}-token context` : 'context as exported'}`,
    ...(model.demo
      ? [
          el(
            'span',
            { class: 'muted' },
            ' — demo weights, generated from a fixed seed: heads of layer 0 are built to show known patterns, the others are random.',
          ),
        ]
      : []),
    ...(engine.fallback ? [el('span', { class: 'muted', id: 'fallback' }, ` (${engine.fallback})`)] : []),
  );
}

function showNotice(message: string | undefined, error = true): void {
  notice.hidden = !message;
  notice.textContent = message ?? '';
  notice.className = error ? 'problem' : 'muted';
}

// The mean over heads of a run, computed once: the map, the hover text and the prefix share all read it.
const means = new WeakMap<EngineRun, Float32Array>();
function meanOf(run: EngineRun): Float32Array {
  let m = means.get(run);
  if (!m) means.set(run, (m = meanOverHeads(run.result.attention, model!.shape.heads, run.result.tokens)));
  return m;
}

/** The matrix shown: the chosen head, or the mean over heads. */
function shown(run: EngineRun): Float32Array {
  const { attention, tokens: S } = run.result;
  return head === 'mean' ? meanOf(run) : attention.subarray(head * S * S, (head + 1) * S * S);
}

/** Of the uncached tokens' attention (mean over heads), the share on the cached prefix. */
function prefixShare(run: EngineRun): number | null {
  return doc?.cacheBoundary == null ? null : attentionOnPrefix(meanOf(run), run.result.tokens, doc.cacheBoundary);
}

let runTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleRun(): void {
  if (runTimer === undefined)
    runTimer = setTimeout(() => {
      runTimer = undefined;
      void runNow();
    }, 30);
}

async function runNow(): Promise<void> {
  if (!engine || !doc || doc.tokens.length === 0) {
    if (doc && doc.tokens.length === 0) showNotice('The text has no tokens.', false);
    return;
  }
  if (running) {
    pending = true;
    return;
  }
  running = true;
  busy.hidden = false;
  try {
    const ids = doc.tokens.map((t) => t.id);
    const run = await engine.run(ids, layer, true);
    last = run;
    showNotice(undefined);
    render();
    report();
  } catch (e) {
    showNotice(`The model could not run: ${(e as Error).message ?? e}`);
    ch.post({ type: 'error', message: String((e as Error).message ?? e) });
  } finally {
    running = false;
    busy.hidden = true;
    describeModel();
  }
  if (pending) {
    pending = false;
    void runNow();
  }
}

function report(): void {
  if (!last || !engine || !model || !doc) return;
  const r = last.result,
    v = last.verification;
  const share = prefixShare(last);
  const status: AttentionStatus = {
    backend: engine.backend,
    model: model.id,
    tokens: r.tokens,
    reused: r.reused,
    computed: r.computed,
    ms: r.ms,
    fullMs: v?.fullMs ?? null,
    maxAbsDiffLogits: v?.maxAbsDiffLogits ?? null,
    maxAbsDiffAttention: v?.maxAbsDiffAttention ?? null,
    prefixShare: share,
    cacheBoundary: doc.cacheBoundary,
    layer,
    head,
    ...(engine.fallback ? { fallback: engine.fallback } : {}),
  };
  ch.post({ type: 'status', status });
}

function render(): void {
  if (!last || !model || !doc) return;
  const r = last.result,
    S = r.tokens,
    m = shown(last),
    v = last.verification;
  title.textContent = `Attention — ${doc.file}`;
  const boundary = doc.cacheBoundary;
  const share = prefixShare(last);
  cacheLine.replaceChildren(
    el('span', { class: 'legend-line' }),
    ' ',
    doc.cacheNote,
    ...(share !== null
      ? [
          el('br'),
          el(
            'strong',
            { id: 'prefix-share' },
            `The ${count(S - boundary!)} uncached tokens put ${pct(share)} of their attention on the cached prefix`,
          ),
          ` (layer ${layer}, mean over heads) — the keys and values a provider keeps so that it need not compute them again.`,
        ]
      : boundary !== null && boundary >= S
        ? [
            el('br'),
            el('span', { class: 'muted' }, `All ${count(S)} tokens shown are in the provider's cached prefix.`),
          ]
        : boundary === 0
          ? [el('br'), el('span', { class: 'muted' }, 'Nothing of this prompt is served from cache yet.')]
          : []),
    ...(doc.cutTokens
      ? [
          el('br'),
          el(
            'span',
            { class: 'muted' },
            `The model's context holds ${count(S)} tokens; the ${doc.cutTokensEstimated ? '≈' : ''}${count(doc.cutTokens)} after them are not shown.`,
          ),
        ]
      : []),
  );
  // A cold run is itself a full run (the first one also compiles the WebAssembly): no ratio to show.
  const speed =
    r.reused === 0
      ? ` in ${ms(r.ms)} — nothing was cached yet${v ? ` (a second full run: ${ms(v.fullMs)})` : ''}`
      : v
        ? ` in ${ms(r.ms)} — a full run takes ${ms(v.fullMs)} (${pct(r.ms / Math.max(v.fullMs, 1e-3))})`
        : ` in ${ms(r.ms)}`;
  kvLine.replaceChildren(
    el('strong', { id: 'reused' }, `Reused ${count(r.reused)} tokens, computed ${count(r.computed)}`),
    speed,
    '. ',
    ...(v
      ? [
          el(
            'span',
            { id: 'delta' },
            `Same result as the full run: max |Δ| logits ${v.maxAbsDiffLogits.toExponential(1)}, attention ${v.maxAbsDiffAttention.toExponential(1)}.`,
          ),
        ]
      : []),
  );
  const size = Math.min(S, WINDOW);
  windowStart = Math.max(0, Math.min(windowStart, S - size));
  windowBar.hidden = S <= WINDOW;
  if (S > WINDOW) {
    const prev = custom('vscode-button', { secondary: '', id: 'window-prev', 'aria-label': 'Earlier tokens' }, '◀');
    const next = custom('vscode-button', { secondary: '', id: 'window-next', 'aria-label': 'Later tokens' }, '▶');
    prev.addEventListener('click', () => {
      windowStart -= WINDOW / 2;
      save();
      render();
    });
    next.addEventListener('click', () => {
      windowStart += WINDOW / 2;
      save();
      render();
    });
    const toCache = custom('vscode-button', { secondary: '', id: 'window-boundary' }, 'Go to the cache boundary');
    toCache.addEventListener('click', () => {
      if (boundary !== null) {
        windowStart = boundary - WINDOW / 2;
        save();
        render();
      }
    });
    windowBar.replaceChildren(
      prev,
      next,
      ...(boundary !== null ? [toCache] : []),
      el('span', { class: 'muted' }, `tokens ${count(windowStart)}–${count(windowStart + size - 1)} of ${count(S)}`),
    );
  }
  map.draw({ matrix: m, S, start: windowStart, size, boundary, selected, cursor });
  blocks.render(m, S, doc.blocks);
  strip.render(doc.tokens, windowStart, size, doc.cacheBoundary, selected);
  if (grid)
    void gridView.render(
      engine,
      model,
      doc.tokens.map((t) => t.id),
      last,
    );
  void steps.render();
}

function describeCell(i: number, j: number): void {
  if (!last || !doc) return;
  const S = last.result.tokens,
    v = shown(last)[i * S + j];
  const q = doc.tokens[i],
    k = doc.tokens[j];
  tip.textContent = `#${i} "${visible(q.text)}" → #${j} "${visible(k.text)}": ${v.toFixed(3)}${doc.cacheBoundary !== null ? (j < doc.cacheBoundary ? ' (key in the cached prefix)' : ' (key not cached)') : ''}`;
}

canvas.addEventListener('mousemove', (e) => {
  const c = map.cellAt(e.clientX, e.clientY);
  if (c) describeCell(c[0], c[1]);
});
canvas.addEventListener('click', (e) => {
  const c = map.cellAt(e.clientX, e.clientY);
  if (!c || !doc) return;
  cursor = c;
  render();
  describeCell(c[0], c[1]);
  const t = doc.tokens[c[0]];
  ch.post({ type: 'reveal', start: t.start, end: t.end });
});
canvas.addEventListener('keydown', (e) => {
  if (!last || !doc) return;
  const S = last.result.tokens;
  let [i, j] = cursor ?? [windowStart, windowStart];
  if (e.key === 'ArrowDown') i++;
  else if (e.key === 'ArrowUp') i--;
  else if (e.key === 'ArrowRight') j++;
  else if (e.key === 'ArrowLeft') j--;
  else if (e.key === 'Enter') {
    const t = doc.tokens[e.shiftKey ? j : i];
    ch.post({ type: 'reveal', start: t.start, end: t.end });
    e.preventDefault();
    return;
  } else return;
  e.preventDefault();
  i = Math.max(0, Math.min(S - 1, i));
  j = Math.max(0, Math.min(i, j));
  cursor = [i, j];
  const size = Math.min(S, WINDOW);
  if (i < windowStart || i >= windowStart + size || j < windowStart)
    windowStart = Math.max(0, Math.min(S - size, Math.min(i, j) - 8));
  render();
  describeCell(i, j);
});
layerSel.addEventListener('change', () => {
  layer = Number((layerSel as HTMLElement & { value: string }).value);
  if (model) setModel(model);
  save();
  void runNow();
});
headSel.addEventListener('change', () => {
  const v = (headSel as HTMLElement & { value: string }).value;
  head = v === 'mean' ? 'mean' : Number(v);
  save();
  render();
  report();
});
gridBox.addEventListener('change', () => {
  grid = (gridBox as HTMLElement & { checked: boolean }).checked;
  save();
  if (grid)
    void gridView.render(
      engine,
      model,
      doc?.tokens.map((t) => t.id),
      last,
    );
  else gridView.hide();
});
stepToggle.addEventListener('change', () => steps.show((stepToggle as HTMLElement & { checked: boolean }).checked));
cold.addEventListener('click', () => {
  engine?.clear();
  void runNow();
});
pickModel.addEventListener('click', () => ch.post({ type: 'chooseModel' }));

// Every message of the host (src/protocol.ts), each handled: the lint's exhaustiveness check keeps it so.
window.addEventListener('message', (ev: MessageEvent<HostToAttentionView>) => {
  const m = ev.data;
  switch (m.type) {
    case 'model':
      void loadModel(m.model);
      return;
    case 'document':
      // The latest text wins: texts that arrive together (a burst of typing) make one run, not one each.
      doc = m.document;
      scheduleRun();
      return;
    case 'selection': {
      if (!doc) return;
      const a = doc.tokens.findIndex((t) => t.end > m.start),
        b = doc.tokens.findIndex((t) => t.start >= Math.max(m.end, m.start + 1));
      selected = a < 0 ? null : [a, b < 0 ? doc.tokens.length : Math.max(b, a + 1)];
      if (selected && (selected[0] < windowStart || selected[0] >= windowStart + WINDOW))
        windowStart = Math.max(0, selected[0] - 16);
      render();
      return;
    }
    case 'notice':
      showNotice(m.message, m.error ?? false);
      return;
  }
});
window.addEventListener('resize', () => render());
// A theme switch while the panel is open: the heat map is a canvas and keeps the old colours until redrawn.
onThemeChange(() => {
  render();
  gridView.repaint();
});
ch.post({ type: 'ready' });
