// The attention panel as an app with one state (as GitLens's webviews are): messages from the host and the user's
// gestures become update(patch); update() renders every view from the new state. The views are built once and
// update in place; the model work is the runner's.
import type {
  AttentionRuntimeView,
  AttentionSaved,
  AttentionViewToHost,
  HostToAttentionView,
} from '../../src/protocol';
import type { Channel } from '../shared/vscodeApi';
import { el } from '../shared/dom';
import { shownMatrix } from './derived';
import { GridView } from './gridView';
import { Header, startupText } from './header';
import { MapView, windowOf } from './mapView';
import { PanelRunner } from './panelRunner';
import { initialState, savedOf, type AttentionState } from './state';
import { StepView } from './stepView';
import { Summary } from './summary';
import { BlocksTable, TokenStrip } from './tokenViews';
import { Toolbar } from './toolbar';
import { centredOn, moved, revealing, revealingCell, STEP } from './tokenWindow';

/** Resolves after the next frame is on screen (at most half a second: a hidden panel draws no frames). */
const painted = () =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 500);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(t);
        resolve();
      }, 0),
    );
  });

export class AttentionApp {
  private state: AttentionState;
  readonly runner: PanelRunner;
  private readonly header = new Header();
  private readonly toolbar: Toolbar;
  private readonly summary = new Summary();
  private readonly map: MapView;
  private readonly steps: StepView;
  private readonly grid: GridView;
  private readonly blocks = new BlocksTable();
  private readonly strip: TokenStrip;
  /** The run the step view last drew. */
  private stepsOf: unknown;
  private renderQueued = false;
  private readonly startup = el('p', { id: 'startup', class: 'muted', hidden: '' });

  constructor(
    root: HTMLElement,
    private readonly ch: Channel<AttentionViewToHost, AttentionSaved>,
    runtime: AttentionRuntimeView,
    scriptMs: number,
  ) {
    this.state = initialState(ch.saved());
    this.toolbar = new Toolbar({
      layer: (layer) => {
        this.update({ layer });
        this.runner.rerun();
      },
      head: (head) => {
        this.update({ head });
        this.runner.report();
      },
      grid: (grid) => this.update({ grid }),
      steps: (steps) => this.update({ steps }),
      cold: () => this.runner.cold(),
      pickModel: () => ch.post({ type: 'chooseModel' }),
    });
    this.map = new MapView({
      move: (dir) => this.window((w) => moved(w, dir * STEP)),
      toBoundary: () => {
        const b = this.state.run?.doc.cacheBoundary;
        if (b !== null && b !== undefined) this.window((w) => centredOn(b, w.total));
      },
      cell: (i, j, reveal) => {
        const w = windowOf(this.state);
        this.update({ cursor: [i, j], ...(w ? { windowStart: revealingCell(w, i, j, 8).start } : {}) });
        if (reveal) this.reveal(i);
      },
      revealToken: (i) => this.reveal(i),
    });
    this.steps = new StepView(() => {
      const s = this.state;
      return {
        engine: this.runner.current,
        run: s.run,
        tokens: s.run?.doc.tokens,
        layer: s.layer,
        head: s.head,
        headDim: s.model?.shape.headDim ?? 0,
      };
    });
    this.grid = new GridView((layer, head) => {
      this.update({ layer, head });
      this.runner.rerun();
    });
    this.strip = new TokenStrip((i) => this.reveal(i));
    root.replaceChildren(
      ...this.header.nodes,
      this.toolbar.root,
      ...this.summary.nodes,
      this.map.root,
      this.steps.root,
      this.grid.root,
      this.blocks.root,
      this.strip.root,
      this.startup,
    );
    root.removeAttribute('aria-busy');
    this.runner = new PanelRunner(
      {
        state: () => this.state,
        update: (patch) => this.update(patch),
        post: (m) => ch.post(m),
        painted,
      },
      runtime,
      scriptMs,
    );
    this.render();
  }

  /** The one way the state changes: the new state is saved (what survives a reload) and rendered. */
  update(patch: Partial<AttentionState>): void {
    const before = this.state;
    this.state = { ...before, ...patch };
    const saved = savedOf(this.state),
      old = savedOf(before);
    if (Object.keys(saved).some((k) => saved[k as keyof AttentionSaved] !== old[k as keyof AttentionSaved]))
      this.ch.save(saved);
    // Updates of one task (ten texts of a burst, a run's result and its status) render once, before the next task.
    if (!this.renderQueued) {
      this.renderQueued = true;
      queueMicrotask(() => {
        this.renderQueued = false;
        this.render();
      });
    }
  }

  /** Every message of the host (src/protocol.ts), each handled: the lint's exhaustiveness check keeps it so. */
  onMessage(m: HostToAttentionView): void {
    switch (m.type) {
      case 'model':
        this.runner.setModel(m.model);
        return;
      case 'document':
        // The latest text wins; the window is kept inside it.
        this.update({ doc: m.document });
        this.runner.textChanged();
        return;
      case 'selection': {
        const doc = this.state.run?.doc;
        if (!doc) return;
        const a = doc.tokens.findIndex((t) => t.end > m.start),
          b = doc.tokens.findIndex((t) => t.start >= Math.max(m.end, m.start + 1));
        const selected: [number, number] | null = a < 0 ? null : [a, b < 0 ? doc.tokens.length : Math.max(b, a + 1)];
        const w = windowOf(this.state);
        this.update({ selected, ...(selected && w ? { windowStart: revealing(w, selected[0], 16).start } : {}) });
        return;
      }
      case 'notice':
        this.update({ notice: { message: m.message, error: m.error ?? false } });
        return;
      case 'startup':
        this.update({ startup: m.startup });
        return;
    }
  }

  /** The theme changed: canvases are drawn in the colours of the theme they were drawn in. */
  repaint(): void {
    this.map.repaint();
    this.grid.repaint();
  }

  render(): void {
    const s = this.state;
    this.header.render(s);
    this.toolbar.render(s);
    this.summary.render(s);
    this.map.render(s);
    this.startup.hidden = !s.startup;
    if (s.startup) this.startup.textContent = startupText(s.startup);
    const w = windowOf(s);
    if (w && s.run && s.model) {
      const doc = s.run.doc;
      this.blocks.render(shownMatrix(s.run, s.head, s.model.shape.heads), w.total, doc.blocks);
      this.strip.render(doc.tokens, w.start, w.size, doc.cacheBoundary, s.selected);
    }
    const whole = !!s.run?.whole;
    if (s.grid && s.run?.whole)
      void this.grid.render(
        this.runner.current,
        s.model,
        s.run.doc.tokens.map((t) => t.id),
        s.run,
      );
    else if (!s.grid) this.grid.hide();
    if (this.steps.shown !== s.steps) {
      this.steps.show(s.steps);
      this.stepsOf = s.run;
    } else if (s.steps && whole && this.stepsOf !== s.run) {
      this.stepsOf = s.run;
      void this.steps.render();
    }
  }

  private window(f: (w: NonNullable<ReturnType<typeof windowOf>>) => { start: number }): void {
    const w = windowOf(this.state);
    if (w) this.update({ windowStart: f(w).start });
  }

  private reveal(index: number): void {
    const t = this.state.run?.doc.tokens[index];
    if (t) this.ch.post({ type: 'reveal', start: t.start, end: t.end });
  }
}
