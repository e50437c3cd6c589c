// The panel's model: a KvSession on one onnxruntime-web build. Calls are serialized; a WebGPU failure (a lost device,
// a kernel it cannot run) reopens the model on WASM and runs again, keeping the panel.
import { KvSession, type Backend, type RunResult, type Verification } from '../../src/core/attention/kvSession';
import type { AttentionModelView } from '../../src/protocol';
import type { Runtime } from './runtime';

/**
 * onnxruntime's graph optimizations for a model on a backend. The demo graph is written for this panel and, on WASM,
 * needs none: skipping them takes most of the session's start-up away. On WebGPU they fold the demo's float16
 * embedding into float32 once (a device without shader-f16 cannot cast it at run time), and real exports gain from
 * the fusions everywhere.
 */
function optimization(model: AttentionModelView, backend: Backend): 'disabled' | 'all' {
  return model.demo && backend === 'wasm' ? 'disabled' : 'all';
}

export class Engine {
  private busy: Promise<unknown> = Promise.resolve();
  fallback: string | undefined;

  private constructor(
    readonly model: AttentionModelView,
    private readonly bytes: Uint8Array,
    private session: KvSession,
    /** The WASM build, for a fallback from WebGPU. */
    private readonly wasm: () => Promise<Runtime>,
  ) {}

  /** Opens the model on the runtime's backend. */
  static async open(
    model: AttentionModelView,
    bytes: Uint8Array,
    runtime: Runtime,
    wasm: () => Promise<Runtime>,
  ): Promise<Engine> {
    const session = await runtime.open((ort) =>
      KvSession.create(ort, bytes, model.shape, [runtime.backend], optimization(model, runtime.backend)),
    );
    return new Engine(model, bytes, session, wasm);
  }

  get backend(): Backend {
    return this.session.backend;
  }

  /** Tokens at the start of `ids` the session holds keys and values for. */
  reusableFor(ids: readonly number[]): number {
    return this.session.reusableFor(ids);
  }

  /** Runs the text, reusing the cached prefix unless `reuse` is false. */
  run(ids: readonly number[], layer: number, reuse = true): Promise<RunResult> {
    return this.queue((s) => s.run(ids, layer, reuse));
  }

  /** The same text from scratch, compared with a run's result (the cache is left as it is). */
  verify(ids: readonly number[], result: RunResult): Promise<Verification> {
    return this.queue((s) => s.verify(ids, result));
  }

  attentionOf(ids: readonly number[], layer: number): Promise<Float32Array> {
    return this.queue((s) => s.attentionOf(ids, layer));
  }

  keysAndValues(
    layer: number,
    head: number,
  ): Promise<{ keys: Float32Array; values: Float32Array; tokens: number } | undefined> {
    return this.queue((s) => s.keysAndValues(layer, head));
  }

  clear(): void {
    this.session.clear();
  }

  async release(): Promise<void> {
    await this.busy;
    await this.session.release();
  }

  /** One session call at a time, in order; a WebGPU failure falls back to WASM. */
  private queue<T>(f: (s: KvSession) => Promise<T>): Promise<T> {
    const next = this.busy.then(() => this.guarded(f));
    this.busy = next.catch(() => undefined);
    return next;
  }

  private async guarded<T>(f: (s: KvSession) => Promise<T>): Promise<T> {
    try {
      return await f(this.session);
    } catch (e) {
      if (this.session.backend !== 'webgpu') throw e;
      // The same model on WASM, from an empty cache.
      this.fallback = `WebGPU failed (${(e as Error).message ?? e}); running on WASM`;
      await this.session.release().catch(() => undefined);
      const wasm = await this.wasm();
      this.session = await wasm.open((ort) =>
        KvSession.create(ort, this.bytes, this.model.shape, ['wasm'], optimization(this.model, 'wasm')),
      );
      return f(this.session);
    }
  }
}
