// What the panel does with its model: loads the runtime and the model as soon as it knows them, runs each text the
// host sends (the latest wins), shows the first heat map for the token window on screen before the rest of the text
// (the model is causal: the rows of the first tokens need no later token), then compares a run that reused the cache
// with a full one, and — where WebGPU exists — measures it against WASM once per model and keeps the faster.
import type { Backend, RunResult } from '../../src/core/attention/kvSession';
import type {
  AttentionBackendChoice,
  AttentionFirstPaint,
  AttentionModelView,
  AttentionRuntimeView,
  AttentionStatus,
  AttentionViewToHost,
} from '../../src/protocol';
import { prefixShare } from './derived';
import { Engine } from './engine';
import { buildDemoModel } from './demoModel';
import { keepRows, readKept, rowsFor, type Kept } from './rowCache';
import { cachedOr, fetchAsset, releaseCacheWrites, Runtime, webGpuAdapter, type Fetched } from './runtime';
import type { AttentionState, LoadStep } from './state';
import { endOf, windowAt } from './tokenWindow';

/** The version of a model's graph (its file's, or the demo's). */
const versionOf = (m: AttentionModelView) => (m.source.kind === 'file' ? m.source.file.version : m.source.version);

export interface RunnerHost {
  readonly state: () => AttentionState;
  readonly update: (patch: Partial<AttentionState>) => void;
  readonly post: (m: AttentionViewToHost) => void;
  /** Resolves once what update() drew is on screen. */
  readonly painted: () => Promise<void>;
}

/** Tokens of the one run on each backend that decides between them (a WebGPU emulated on the CPU is slow). */
const PROBE_TOKENS = 64;
/** Longest the runtime waits for the first text to arrive when rows are kept (the host tokenizes it meanwhile). */
const GATE_MS = 250;
/** Longest the runtime waits for the look-up itself to say whether anything is kept. */
const LOOKUP_MS = 40;
const now = () => performance.now();

/** What the first heat map's breakdown collects on the way. */
interface FirstClock {
  wasmFetchMs?: number;
  compileMs?: number;
  wasmCached?: boolean;
  modelLoadMs?: number;
  modelCached?: boolean;
  modelBuilt?: boolean;
  sessionMs?: number;
  documentMs?: number;
}

export class PanelRunner {
  private readonly runtimes = new Map<Backend, Promise<Runtime>>();
  private readonly files = new Map<string, Promise<Fetched>>();
  private engine: Engine | undefined;
  /** The model being loaded or run (id and file version): a second message for it changes nothing. */
  private modelKey: string | undefined;
  private running = false;
  private pending = false;
  /** A run asked for while one ran that must happen even for the same tokens (Run cold, a layer, a new model). */
  private pendingForced = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly clock: FirstClock = {};
  private firstPainted = false;
  /** The start-up step the host was last told of. */
  private saidStep = '';
  /** The load steps still on, in the order they are shown. */
  private steps = new Map<LoadStep['step'], LoadStep>();
  private readonly probed = new Set<string>();
  /** The rows an earlier panel kept for the first model and layer, read as the script starts. */
  private kept: Promise<Kept | undefined> | undefined;
  /** The first text was looked up among them (once: the first heat map only). */
  private lookedUp = false;
  /**
   * Where rows were kept, the runtime and the model wait for the first text's look-up and, on a hit, its paint (the
   * compile and the session take the cores and the thread; see keptPainted). A first panel, whose look-up is slow
   * (its database is being created), does not wait for it past LOOKUP_MS.
   */
  private gate: Promise<unknown> = Promise.resolve();
  /** The same for the model's session, without the LOOKUP_MS shortcut: a run never overtakes the kept rows' paint. */
  private sessionGate: Promise<unknown> = Promise.resolve();
  /** The look-up found nothing kept, or had not answered in LOOKUP_MS (a new profile creating its database). */
  private nothingKept = false;
  private looked!: () => void;
  private readonly lookedAt = new Promise<void>((r) => (this.looked = r));
  /** What the kept rows hold now (model, layer, tokens): a run of the same start is not written again. */
  private keptFor = '';

  constructor(
    private readonly host: RunnerHost,
    private readonly runtime: AttentionRuntimeView,
    /** When the script started, on the webview's clock. */
    private readonly scriptMs: number,
  ) {}

  get current(): Engine | undefined {
    return this.engine;
  }

  /** Starts the WASM runtime at once (before any message); the WebGPU one only when it was measured faster. */
  start(model: AttentionModelView | undefined): void {
    // First the kept rows (a few ms alone, ten times that once the runtime's compile has the cores).
    if (model) {
      const kept = readKept(`${model.id}@${versionOf(model)}`, this.host.state().layer).catch(() => undefined);
      this.kept = kept;
      // A first panel's IndexedDB is created on this read (a tenth of a second): the runtime does not wait for that.
      const late = new Promise((r) => setTimeout(() => r('late'), LOOKUP_MS));
      // The model's session never overtakes that paint, however slow the look-up (a busy machine).
      this.sessionGate = kept.then((k) => (k ? this.keptPainted() : undefined));
      this.gate = Promise.race([kept, late]).then((k) => {
        if (k && k !== 'late') return this.sessionGate;
        this.nothingKept = true;
      });
    }
    if (model?.preferred?.backend !== 'webgpu')
      void this.gate.then(() => this.runtimeFor('wasm')).catch(() => undefined);
    if (model) this.setModel(model);
  }

  setModel(m: AttentionModelView): void {
    const key = `${m.id}@${versionOf(m)}`;
    if (key === this.modelKey) {
      this.host.update({ model: m });
      return;
    }
    this.modelKey = key;
    const old = this.engine;
    this.engine = undefined;
    this.host.update({ model: m, run: undefined, backend: undefined, choice: m.preferred });
    void old?.release().catch(() => undefined);
    void this.open(m, key);
  }

  /** A new text: run it soon; texts that arrive together (a burst of typing) make one run. */
  textChanged(): void {
    this.clock.documentMs ??= now() - this.scriptMs;
    if (!this.lookedUp) void this.paintKept().finally(() => this.looked());
    if (this.timer === undefined)
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.sameTokens()) void this.runNow(false);
      }, 30);
  }

  /**
   * The host sends the text again when only its cache facts change (a send recorded, a baseline chosen): when the
   * tokens are those of the last whole run, that run's figures stand and are shown with the new text's boundary.
   * Running again would recompute the last token for nothing and report "Reused 1,023 tokens, computed 1".
   */
  private sameTokens(): boolean {
    const s = this.host.state(),
      run = s.run,
      doc = s.doc;
    if (this.running || !run?.whole || !doc) return false;
    const a = run.doc.tokens,
      b = doc.tokens;
    if (run.doc !== doc && (a.length !== b.length || a.some((t, i) => t.id !== b[i].id))) return false;
    if (run.doc !== doc) this.host.update({ run: { ...run, doc } });
    return true;
  }

  /** The whole text again from an empty cache (the "Run cold" button). */
  cold(): void {
    this.engine?.clear();
    void this.runNow();
  }

  rerun(): void {
    void this.runNow();
  }

  /** The panel's status for the host (kvlens.attentionStatus), from the last run of the whole text. */
  report(): void {
    const s = this.host.state(),
      run = s.run,
      engine = this.engine;
    if (!run || !engine || !s.model || !run.whole) return;
    const r = run.result,
      v = run.verification;
    const status: AttentionStatus = {
      backend: engine.backend,
      model: s.model.id,
      tokens: r.tokens,
      reused: r.reused,
      computed: r.computed,
      ms: r.ms,
      fullMs: v?.fullMs ?? null,
      maxAbsDiffLogits: v?.maxAbsDiffLogits ?? null,
      maxAbsDiffAttention: v?.maxAbsDiffAttention ?? null,
      prefixShare: prefixShare(run, s.model.shape.heads, run.doc.cacheBoundary),
      cacheBoundary: run.doc.cacheBoundary,
      layer: s.layer,
      head: s.head,
      ...(engine.fallback || s.backend?.fallback ? { fallback: engine.fallback ?? s.backend?.fallback } : {}),
      ...(s.choice ? { backendChoice: s.choice } : {}),
    };
    this.host.post({ type: 'status', status });
  }

  private progress(step: LoadStep | undefined, done?: LoadStep['step']): void {
    if (done) this.steps.delete(done);
    if (step) this.steps.set(step.step, step);
    // After the first heat map the line is gone — unless that map is kept rows and the model is still on its way.
    if (this.firstPainted && !this.host.state().run?.kept) return;
    const order: LoadStep['step'][] = ['runtime', 'compile', 'build', 'model', 'session', 'text', 'run'];
    const shown = order.map((k) => this.steps.get(k)).find((x) => x) ?? { step: 'text' };
    this.host.update({ loading: shown });
    // The host hears each step as it begins (not each byte): a slow start on a busy machine is still a start.
    const said = shown.step === 'run' ? `run:${shown.from}` : shown.step;
    if (said !== this.saidStep) {
      this.saidStep = said;
      this.host.post({ type: 'loading', step: shown.step });
    }
  }

  private runtimeFor(backend: Backend): Promise<Runtime> {
    let r = this.runtimes.get(backend);
    if (!r) {
      const asset = backend === 'webgpu' ? this.runtime.webgpu : this.runtime.wasm;
      const first = !this.firstPainted && backend === 'wasm';
      if (first) this.progress({ step: 'runtime', received: 0, total: asset.bytes });
      r = Runtime.load(backend, asset, (received, total) => {
        if (first && received >= total) this.progress({ step: 'compile' }, 'runtime');
        else if (first) this.progress({ step: 'runtime', received, total });
      }).then((rt) => {
        if (first) {
          this.progress(undefined, 'runtime');
          this.progress(undefined, 'compile');
          this.clock.wasmFetchMs = rt.timing.wasmFetchMs;
          this.clock.compileMs = rt.timing.compileMs;
          this.clock.wasmCached = rt.timing.cached;
        }
        if (backend === 'wasm') void rt.warm().catch(() => undefined);
        return rt;
      });
      this.runtimes.set(backend, r);
      r.catch(() => this.runtimes.delete(backend));
    }
    return r;
  }

  /** The model's graph: from the panel's cache, else fetched — or, the demo, built from its seed. */
  private bytesOf(m: AttentionModelView): Promise<Fetched> {
    const kind = `model:${m.id}`,
      key = `${kind}@${versionOf(m)}`,
      src = m.source;
    let f = this.files.get(key);
    if (!f) {
      const first = !this.firstPainted;
      if (first)
        this.progress(src.kind === 'demo' ? { step: 'build' } : { step: 'model', received: 0, total: src.file.bytes });
      f = (
        src.kind === 'demo'
          ? this.demoBytes(kind, src.version)
          : fetchAsset(kind, src.file, (received, total) => {
              if (first) this.progress({ step: 'model', received, total });
            })
      ).then((got) => {
        if (first) {
          this.progress(undefined, src.kind === 'demo' ? 'build' : 'model');
          this.clock.modelLoadMs = got.ms;
          this.clock.modelCached = got.cached;
          this.clock.modelBuilt = src.kind === 'demo' && !got.cached;
        }
        return got;
      });
      this.files.set(key, f);
      f.catch(() => this.files.delete(key));
    }
    return f;
  }

  /**
   * Resolves once the first text has been looked up among the kept rows and, on a hit, painted — or after GATE_MS
   * when no text has come by then (the host may be slow to tokenize; the model then starts without waiting).
   */
  private keptPainted(): Promise<unknown> {
    return Promise.race([this.lookedAt, new Promise((r) => setTimeout(r, GATE_MS))]).then(() =>
      this.lookedUp ? this.lookedAt : undefined,
    );
  }

  /**
   * The demo's graph from the panel's cache, else built. Where nothing was kept (a first panel: its caches are being
   * created, which takes a tenth of a second) the worker starts beside the look-up and is stopped on a hit.
   */
  private demoBytes(kind: string, version: string): Promise<Fetched> {
    const early = this.nothingKept ? buildDemoModel() : undefined;
    return cachedOr(kind, version, () => (early ?? buildDemoModel()).bytes).finally(() => early?.stop());
  }

  /** The backend to start on: WASM, unless WebGPU was measured faster for this model here and an adapter exists. */
  private async backendFor(m: AttentionModelView): Promise<{ name: Backend; fallback?: string }> {
    if (m.preferred?.backend !== 'webgpu') return { name: 'wasm' };
    const gpu = await webGpuAdapter();
    return gpu.ok ? { name: 'webgpu' } : { name: 'wasm', fallback: gpu.reason };
  }

  private async open(m: AttentionModelView, key: string): Promise<void> {
    try {
      await this.gate;
      const backend = await this.backendFor(m);
      const [runtime, file] = await Promise.all([this.runtimeFor(backend.name), this.bytesOf(m)]);
      if (key !== this.modelKey) return;
      await this.sessionGate;
      this.progress({ step: 'session' });
      const t0 = now();
      const engine = await Engine.open(m, new Uint8Array(file.bytes), runtime, () => this.runtimeFor('wasm'));
      if (!this.firstPainted) this.clock.sessionMs = now() - t0;
      this.progress(undefined, 'session');
      if (key !== this.modelKey) {
        void engine.release();
        return;
      }
      this.engine = engine;
      this.host.update({ backend: backend });
      if (!this.host.state().doc) this.progress({ step: 'text' });
      void this.runNow();
    } catch (e) {
      if (key !== this.modelKey) return;
      this.host.update({
        notice: { message: `Could not open ${m.label}: ${(e as Error).message ?? e}`, error: true },
        loading: null,
      });
      this.host.post({ type: 'error', message: `could not open ${m.label}: ${(e as Error).message ?? e}` });
    }
  }

  private async runNow(forced = true): Promise<void> {
    const engine = this.engine,
      doc = this.host.state().doc;
    if (!engine || !doc) return;
    if (doc.tokens.length === 0) {
      this.host.update({ notice: { message: 'The text has no tokens.', error: false }, loading: null });
      return;
    }
    if (this.running) {
      this.pending = true;
      this.pendingForced ||= forced;
      return;
    }
    this.running = true;
    this.host.update({ running: true });
    try {
      await this.runText(engine);
    } catch (e) {
      const message = String((e as Error).message ?? e);
      this.host.update({ notice: { message: `The model could not run: ${message}`, error: true }, loading: null });
      this.host.post({ type: 'error', message });
    } finally {
      this.running = false;
      this.host.update({ running: false });
    }
    if (this.pending) {
      const again = this.pendingForced;
      this.pending = this.pendingForced = false;
      if (again || !this.sameTokens()) void this.runNow(again);
    }
  }

  private async runText(engine: Engine): Promise<void> {
    const s = this.host.state(),
      doc = s.doc!,
      layer = s.layer;
    const ids = doc.tokens.map((t) => t.id);
    this.progress(undefined, 'text');
    // The first load shows the window on screen first: its rows need only the tokens up to its end. The rest then
    // runs on that prefix's keys and values; to the reader both are one first run of the text (nothing reused).
    const firstEnd = endOf(windowAt(s.windowStart, ids.length));
    const loading = !this.firstPainted || !!s.run?.kept;
    let firstPart: RunResult | undefined;
    if (!this.firstPainted && firstEnd < ids.length && engine.reusableFor(ids) < firstEnd) {
      this.progress({ step: 'run', from: 1, to: firstEnd, of: ids.length });
      const t0 = now();
      firstPart = await engine.run(ids.slice(0, firstEnd), layer, false);
      this.host.update({ run: { result: firstPart, verification: null, doc, whole: false }, notice: null });
      if (windowAt(s.windowStart, ids.length).start === 0) this.keep(ids, firstPart); // kept as soon as known
      this.progress({ step: 'run', from: firstEnd + 1, to: ids.length, of: ids.length });
      await this.firstPaint(now() - t0, firstPart.tokens, engine.backend);
      if (this.host.state().doc !== doc) return; // a newer text: run that one
    } else if (loading) this.progress({ step: 'run', from: 1, to: ids.length, of: ids.length });
    const t0 = now();
    const ran = await engine.run(ids, layer);
    const result: RunResult = firstPart ? { ...ran, reused: 0, computed: ran.tokens, ms: firstPart.ms + ran.ms } : ran;
    this.host.update({ run: { result, verification: null, doc, whole: true }, notice: null, loading: null });
    if (!this.firstPainted) await this.firstPaint(now() - t0, result.tokens, engine.backend);
    this.keep(ids, result);
    this.report();
    // A run that reused the cache is compared with the whole text computed again — unless a newer text waits.
    if (result.reused > 0 && !this.pending && this.host.state().doc === doc) {
      const verification = await engine.verify(ids, result);
      if (this.host.state().run?.result === result) {
        this.host.update({ run: { result, verification, doc, whole: true } });
        this.report();
      }
    }
    void this.probe(ids, layer);
  }

  /**
   * A reopened or reloaded panel whose text starts with the tokens an earlier panel ran: that panel's rows of the
   * window on screen are painted at once (the model is causal: the same tokens, the same rows), while the runtime and
   * the model load; the model's own run of the whole text then replaces them.
   */
  private async paintKept(): Promise<void> {
    this.lookedUp = true;
    const s = this.host.state(),
      { doc, model } = s,
      key = this.modelKey;
    if (!doc || !model || !key || this.firstPainted) return;
    const w = windowAt(s.windowStart, doc.tokens.length);
    if (w.start !== 0 || w.size === 0) return;
    const ids = doc.tokens.slice(0, w.size).map((t) => t.id);
    const got = await this.kept;
    // Read for the boot model and layer: another model or layer since then has no kept rows here.
    const kept =
      got?.entry.model === key && got.entry.layer === s.layer ? rowsFor(got, ids, model.shape.heads) : undefined;
    const after = this.host.state();
    if (!kept || this.firstPainted || after.doc !== doc || after.layer !== s.layer || this.modelKey !== key) return;
    this.keptFor = `${key}|${s.layer}|${ids.join(',')}`;
    const result: RunResult = {
      tokens: kept.tokens,
      reused: 0,
      computed: 0,
      ms: kept.ms,
      attention: kept.attention,
      layer: s.layer,
      nextLogits: new Float32Array(0),
    };
    this.host.update({ run: { result, doc, whole: false, verification: null, kept: true }, notice: null });
    await this.firstPaint(kept.ms, kept.tokens, model.preferred?.backend ?? 'wasm', true);
  }

  /** Keeps a run's rows of the first window (tokens 0…255) for the next panel, when they changed. */
  private keep(ids: readonly number[], r: RunResult): void {
    const key = this.modelKey,
      H = this.host.state().model?.shape.heads;
    if (!key || !H) return;
    const S = r.tokens,
      end = windowAt(0, S).size,
      first = ids.slice(0, end);
    const what = `${key}|${r.layer}|${first.join(',')}`;
    if (what === this.keptFor) return;
    this.keptFor = what;
    const rows = new Float32Array(H * end * end);
    for (let h = 0; h < H; h++)
      for (let i = 0; i < end; i++)
        rows.set(r.attention.subarray((h * S + i) * S, (h * S + i) * S + end), (h * end + i) * end);
    void keepRows(key, r.layer, first, rows).catch(() => undefined);
  }

  /** Posts the first heat map's breakdown once it is on screen. */
  private async firstPaint(runMs: number, tokens: number, backend: Backend, kept = false): Promise<void> {
    if (this.firstPainted) return;
    this.firstPainted = true;
    if (!kept) this.steps.clear();
    const drawn = now();
    await this.host.painted();
    // Kept rows need neither runtime nor model: those parts, still under way, are not on the first heat map's path.
    const c: FirstClock = kept ? { documentMs: this.clock.documentMs } : this.clock;
    const timing: AttentionFirstPaint = {
      backend,
      elapsedMs: now(),
      scriptMs: this.scriptMs,
      wasmFetchMs: c.wasmFetchMs ?? 0,
      compileMs: c.compileMs ?? 0,
      modelLoadMs: c.modelLoadMs ?? 0,
      sessionMs: c.sessionMs ?? 0,
      documentMs: c.documentMs ?? 0,
      firstRunMs: runMs,
      firstPaintMs: now() - drawn,
      firstTokens: tokens,
      wasmCached: c.wasmCached ?? false,
      modelCached: c.modelCached ?? false,
      modelBuilt: c.modelBuilt ?? false,
      rowsKept: kept,
    };
    this.host.post({ type: 'firstPaint', timing });
    releaseCacheWrites();
    // Let the message leave before the next run holds the thread (the webview's outer frame shares it).
    await new Promise((r) => setTimeout(r, 0));
  }

  /**
   * Where a WebGPU adapter exists: one run of the first tokens on each backend, once per model; the faster one is
   * kept (a WebGPU emulated on the CPU, or a slow integrated GPU with a small model, loses to WASM) and the host
   * remembers the choice, so the next panel starts on it without measuring.
   */
  private async probe(ids: readonly number[], layer: number): Promise<void> {
    const m = this.host.state().model,
      wasmEngine = this.engine;
    if (!m || !wasmEngine || wasmEngine.backend !== 'wasm' || this.probed.has(m.id)) return;
    this.probed.add(m.id);
    const gpu = await webGpuAdapter();
    if (!gpu.ok) {
      if (this.host.state().backend?.name === 'wasm')
        this.host.update({ backend: { name: 'wasm', fallback: gpu.reason } });
      this.report();
      return;
    }
    if (m.preferred) return;
    const slice = ids.slice(0, Math.min(ids.length, PROBE_TOKENS));
    let choice: AttentionBackendChoice;
    let gpuEngine: Engine | undefined;
    try {
      const rt = await this.runtimeFor('webgpu');
      const file = await this.bytesOf(m);
      const t1 = now();
      gpuEngine = await Engine.open(m, new Uint8Array(file.bytes), rt, () => this.runtimeFor('wasm'));
      const t2 = now();
      await gpuEngine.attentionOf(slice, layer);
      const t3 = now();
      await gpuEngine.attentionOf(slice, layer);
      const webgpuMs = now() - t3;
      await wasmEngine.attentionOf(slice, layer);
      const t4 = now();
      await wasmEngine.attentionOf(slice, layer);
      const wasmMs = now() - t4;
      choice = {
        backend: webgpuMs < wasmMs ? 'webgpu' : 'wasm',
        tokens: slice.length,
        wasmMs,
        webgpuMs,
        webgpu: {
          wasmFetchMs: rt.timing.wasmFetchMs,
          compileMs: rt.timing.compileMs,
          sessionMs: t2 - t1,
          firstRunMs: t3 - t2,
        },
      };
    } catch (e) {
      choice = {
        backend: 'wasm',
        tokens: slice.length,
        wasmMs: 0,
        webgpuMs: null,
        note: `WebGPU could not run the model: ${(e as Error).message ?? e}`,
      };
    }
    if (this.host.state().model?.id !== m.id) {
      void gpuEngine?.release();
      return;
    }
    this.host.post({ type: 'backendMeasured', model: m.id, choice });
    if (choice.backend === 'webgpu' && gpuEngine && this.engine === wasmEngine) {
      this.engine = gpuEngine;
      void wasmEngine.release();
      this.host.update({ choice, backend: { name: 'webgpu' } });
      void this.runNow();
    } else {
      void gpuEngine?.release();
      this.host.update({ choice });
      this.report();
    }
  }
}
