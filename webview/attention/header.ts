import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { custom, el } from '../shared/dom';
import { count } from '../shared/format';
import type { AttentionStartup } from '../../src/protocol';
import type { AttentionState, LoadStep } from './state';

const mb = (n: number) => (n / 1e6).toFixed(1);
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;

/** The first load in words: what is being done now, and how far (a download's megabytes, a run's tokens). */
export function loadText(l: LoadStep): string {
  switch (l.step) {
    case 'runtime':
      return l.total
        ? `Downloading the model runtime (onnxruntime-web, ${mb(l.received)} of ${mb(l.total)} MB)…`
        : 'Loading the model runtime (onnxruntime-web)…';
    case 'compile':
      return 'Compiling the model runtime (WebAssembly)…';
    case 'model':
      return l.total ? `Loading the model (${mb(l.received)} of ${mb(l.total)} MB)…` : 'Loading the model…';
    case 'build':
      return 'Building the demo model from its seed…';
    case 'session':
      return 'Preparing the model…';
    case 'text':
      return "Waiting for the prompt's tokens…";
    case 'run':
      return l.from === 1
        ? `Running GPT-2 on tokens 1–${count(l.to)} of ${count(l.of)}${l.to < l.of ? ' (the part on screen first)' : ''}…`
        : `Running GPT-2 on the rest: tokens ${count(l.from)}–${count(l.to)}…`;
  }
}

/** The first heat map's breakdown in one line (the parts overlap: the runtime and the model load side by side). */
export function startupText(s: AttentionStartup): string {
  const part = (label: string, v: number) => `${label} ${ms(v)}`;
  const from = (cached: boolean) => (cached ? ' (from the panel cache)' : '');
  const after = s.kind === 'reload' ? 'the window reloaded' : 'the command';
  if (s.rowsKept)
    return `First heat map ${ms(s.totalMs)} after ${after}, from rows an earlier panel computed for these tokens: ${[
      part('panel', s.panelMs),
      part('script', s.scriptMs),
      part(`rows read (${count(s.firstTokens)} tokens)`, s.firstRunMs),
      part('paint', s.firstPaintMs),
    ].join(', ')}; the model ran the whole text after it.`;
  return `First heat map ${ms(s.totalMs)} after ${after}: ${[
    part('panel', s.panelMs),
    part('script', s.scriptMs),
    part('runtime download', s.wasmFetchMs) + from(s.wasmCached),
    part('compile', s.compileMs),
    part(s.modelBuilt ? 'model build' : 'model load', s.modelLoadMs) + from(s.modelCached),
    part('session', s.sessionMs),
    part(`first run (${count(s.firstTokens)} tokens)`, s.firstRunMs),
    part('paint', s.firstPaintMs),
  ].join(', ')}.`;
}

/** Share done of a step that has one (downloads and runs), else undefined (an indeterminate bar). */
function loadShare(l: LoadStep): number | undefined {
  if ((l.step === 'runtime' || l.step === 'model') && l.total) return l.received / l.total;
  if (l.step === 'run') return (l.from - 1) / l.of;
  return undefined;
}

/** Title, the model and the backend it runs on, the first load's progress, and a notice. */
export class Header {
  private readonly title = el('h1', { id: 'title' }, 'Attention');
  private readonly modelLine = el('p', { id: 'model', class: 'muted' }, 'Loading the model…');
  private readonly progressText = el('span', { id: 'progress-text' });
  private readonly bar = custom('vscode-progress-bar', { 'aria-label': 'First load' }) as HTMLElement & {
    value?: number;
    max: number;
    indeterminate: boolean;
  };
  private readonly progress = el(
    'div',
    { id: 'progress', class: 'progress', role: 'status' },
    this.progressText,
    this.bar,
  );
  private readonly notice = el('p', { id: 'notice', class: 'problem', hidden: '' });
  readonly nodes: HTMLElement[] = [this.title, this.modelLine, this.progress, this.notice];
  private shownModel = '';

  render(s: AttentionState): void {
    const title = s.doc ? `Attention — ${s.doc.file}` : 'Attention';
    if (this.title.textContent !== title) this.title.textContent = title;
    this.renderModel(s);
    if (this.progress.hidden !== !s.loading) this.progress.hidden = !s.loading;
    if (s.loading && this.progressText.textContent !== loadText(s.loading)) {
      this.progressText.textContent = loadText(s.loading);
      const share = loadShare(s.loading);
      this.bar.indeterminate = share === undefined;
      this.bar.max = 1;
      this.bar.value = share;
    }
    if (this.notice.hidden !== !s.notice) this.notice.hidden = !s.notice;
    if (this.notice.textContent !== (s.notice?.message ?? '')) this.notice.textContent = s.notice?.message ?? '';
    this.notice.className = s.notice?.error ? 'problem' : 'muted';
  }

  private renderModel(s: AttentionState): void {
    const m = s.model;
    if (!m || !s.backend) {
      const text = m ? `${m.label} — loading…` : 'Loading the model…';
      if (text !== this.shownModel) this.modelLine.textContent = this.shownModel = text;
      return;
    }
    const { name, fallback } = s.backend,
      c = s.choice;
    const how =
      c && c.webgpuMs !== null
        ? ` (${c.backend === 'webgpu' ? 'WebGPU' : 'WASM'} measured faster here: ${ms(Math.min(c.wasmMs, c.webgpuMs))} against ${ms(Math.max(c.wasmMs, c.webgpuMs))} on ${count(c.tokens)} tokens)`
        : c?.note
          ? ` (${c.note})`
          : fallback
            ? ` (${fallback})`
            : '';
    const key = JSON.stringify([m.id, name, how]);
    if (key === this.shownModel) return;
    this.shownModel = key;
    const sh = m.shape;
    this.modelLine.replaceChildren(
      el('span', { class: `chip-label backend-${name}`, id: 'backend' }, name === 'webgpu' ? 'WebGPU' : 'WASM'),
      ' ',
      `${m.label}: ${sh.layers} layers × ${sh.heads} heads, ${sh.maxPositions ? `${count(sh.maxPositions)}-token context` : 'context as exported'}`,
      ...(m.demo
        ? [
            el(
              'span',
              { class: 'muted' },
              ' — demo weights, generated from a fixed seed: heads of layer 0 are built to show known patterns, the others are random.',
            ),
          ]
        : []),
      ...(how ? [el('span', { class: 'muted', id: 'fallback' }, how)] : []),
    );
  }
}
