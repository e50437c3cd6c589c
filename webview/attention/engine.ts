// The panel's model runner: onnxruntime-web with the WebGPU execution provider when the webview has an adapter, else
// WASM (single-threaded: webviews are not cross-origin isolated). A lost GPU device or a failing WebGPU run falls back
// to WASM and runs again, keeping the panel. Runs are serialized; only the newest waiting text is run.
import * as ort from 'onnxruntime-web/webgpu';
import { KvSession, type Backend, type RunResult, type Verification } from '../../src/core/attention/kvSession';
import type { AttentionModelView } from '../../src/protocol';

export interface EngineRun {
  readonly result: RunResult;
  readonly verification: Verification | null;
}

export class Engine {
  private session: KvSession | undefined;
  private busy: Promise<unknown> = Promise.resolve();
  fallback: string | undefined;

  private constructor(
    readonly model: AttentionModelView,
    private readonly bytes: Uint8Array,
  ) {}

  static async open(model: AttentionModelView, preferWasm = false): Promise<Engine> {
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.wasmPaths = { wasm: model.wasmUrl };
    ort.env.logLevel = 'error';
    const res = await fetch(model.url);
    if (!res.ok) throw new Error(`cannot load ${model.label}: HTTP ${res.status}`);
    const e = new Engine(model, new Uint8Array(await res.arrayBuffer()));
    await e.start(preferWasm);
    return e;
  }

  get backend(): Backend {
    return this.session?.backend ?? 'wasm';
  }

  private async start(preferWasm: boolean): Promise<void> {
    const backends: Backend[] = [];
    if (!preferWasm) {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      if (!gpu) this.fallback = 'this webview has no WebGPU (navigator.gpu)';
      else {
        const adapter = await gpu.requestAdapter().catch(() => null);
        if (adapter) backends.push('webgpu');
        else this.fallback = 'no WebGPU adapter';
      }
    }
    backends.push('wasm');
    this.session = await KvSession.create(ort, this.bytes, this.model.shape, backends);
    if (this.session.backend === 'wasm' && backends[0] === 'webgpu') this.fallback = 'WebGPU could not open the model';
  }

  /** Runs the text (reusing the cache) and, when asked, the same from scratch to compare. */
  run(ids: readonly number[], layer: number, verify: boolean): Promise<EngineRun> {
    return this.queue(async (s) => {
      const result = await s.run(ids, layer);
      return { result, verification: verify ? await s.verify(ids, result) : null };
    });
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

  /** One session call at a time, in order; a WebGPU failure falls back to WASM (guarded). */
  private queue<T>(f: (s: KvSession) => Promise<T>): Promise<T> {
    const next = this.busy.then(() => this.guarded(f));
    this.busy = next.catch(() => undefined);
    return next;
  }

  clear(): void {
    this.session?.clear();
  }

  async release(): Promise<void> {
    await this.session?.release();
  }

  private async guarded<T>(f: (s: KvSession) => Promise<T>): Promise<T> {
    try {
      return await f(this.session!);
    } catch (e) {
      if (this.session?.backend !== 'webgpu') throw e;
      // A lost device or a kernel WebGPU cannot run: the same model on WASM, from an empty cache.
      this.fallback = `WebGPU failed (${(e as Error).message ?? e}); running on WASM`;
      await this.session.release().catch(() => undefined);
      this.session = await KvSession.create(ort, this.bytes, this.model.shape, ['wasm']);
      return f(this.session);
    }
  }
}
