// onnxruntime-web for the attention panel: only the build its backend needs (the plain SIMD WebAssembly for WASM,
// 14 MB; the JSPI build with the WebGPU execution provider, 17 MB, only where an adapter exists), fetched and
// compiled as soon as the panel's script runs — while the host still tokenizes the text — and kept in the panel's
// Cache Storage, which every attention panel of this VS Code shares (webview origins are stable per view type), so a
// reopened or reloaded panel reads it from disk instead of through the extension's resource loader.
import * as ortWasm from 'onnxruntime-web/wasm';
import * as ortWebGpu from 'onnxruntime-web/jspi';
import type { Backend, OrtModule } from '../../src/core/attention/kvSession';
import type { AttentionAsset } from '../../src/protocol';

const CACHE = 'kvlens.attention';

/** Bytes received of a download (the first load's progress line). */
export type Progress = (received: number, total: number) => void;

export interface Fetched {
  readonly bytes: ArrayBuffer;
  readonly ms: number;
  /** Read from the panel's cache (an earlier panel kept it), not fetched from the extension. */
  readonly cached: boolean;
}

async function openCache(): Promise<Cache | undefined> {
  // Cache Storage exists only in a secure context (https, localhost): elsewhere every panel fetches.
  if (typeof caches === 'undefined') return undefined;
  return caches.open(CACHE).catch(() => undefined);
}

/** The cache key of an asset: its kind and version (the URL differs between installs and windows). */
const keyOf = (kind: string, asset: AttentionAsset) =>
  `https://kvlens.invalid/${kind}?v=${encodeURIComponent(asset.version)}`;

async function download(asset: AttentionAsset, progress?: Progress): Promise<ArrayBuffer> {
  const res = await fetch(asset.url);
  if (!res.ok || !res.body) throw new Error(`cannot load ${asset.url.split('/').pop()}: HTTP ${res.status}`);
  const total = Number(res.headers.get('content-length')) || asset.bytes;
  const out = new Uint8Array(total);
  const reader = res.body.getReader();
  let at = 0,
    grown = out;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.length > grown.length) {
      const bigger = new Uint8Array(Math.max(grown.length * 2, at + value.length));
      bigger.set(grown.subarray(0, at));
      grown = bigger;
    }
    grown.set(value, at);
    at += value.length;
    progress?.(at, total);
  }
  return at === grown.length ? grown.buffer : grown.slice(0, at).buffer;
}

/** Keeps `bytes` under `kind`'s key and drops the other versions of the same kind. */
async function keep(cache: Cache | undefined, kind: string, asset: AttentionAsset, bytes: ArrayBuffer, type: string) {
  if (!cache) return;
  const key = keyOf(kind, asset);
  await cache.put(key, new Response(bytes, { headers: { 'Content-Type': type } }));
  for (const old of await cache.keys())
    if (old.url.startsWith(`https://kvlens.invalid/${kind}?`) && old.url !== key) await cache.delete(old);
}

/** An asset's bytes: from the panel's cache, else fetched (with progress) and then kept there. */
export async function fetchAsset(kind: string, asset: AttentionAsset, progress?: Progress): Promise<Fetched> {
  const t0 = performance.now();
  const cache = await openCache();
  const hit = await cache?.match(keyOf(kind, asset)).catch(() => undefined);
  if (hit) return { bytes: await hit.arrayBuffer(), ms: performance.now() - t0, cached: true };
  const bytes = await download(asset, progress);
  const ms = performance.now() - t0;
  void keep(cache, kind, asset, bytes, 'application/octet-stream').catch(() => undefined);
  return { bytes, ms, cached: false };
}

export interface RuntimeTiming {
  readonly wasmFetchMs: number;
  readonly compileMs: number;
  readonly cached: boolean;
}

/**
 * One onnxruntime-web build, its WebAssembly compiled. onnxruntime compiles its binary inside its first session;
 * here it is compiled beforehand, in parallel with the model's download, and handed over at that session's start:
 * the binary is given as Emscripten's `wasmBinary` (a placeholder buffer), and the one `WebAssembly.instantiate` call
 * that names it gets the compiled module instead. That call is the only seam onnxruntime leaves (its factory does not
 * pass Emscripten's `instantiateWasm` hook through); the patch lasts only for that first session.
 */
export class Runtime {
  private readonly placeholder = new ArrayBuffer(8);
  private started: Promise<unknown> | undefined;

  private constructor(
    readonly backend: Backend,
    readonly ort: OrtModule,
    private readonly module: WebAssembly.Module,
    readonly timing: RuntimeTiming,
  ) {
    ort.env.wasm.numThreads = 1; // webviews are not cross-origin isolated: no threads
    ort.env.logLevel = 'error';
    ort.env.wasm.wasmBinary = this.placeholder;
  }

  /** Fetches (or reads from the cache) and compiles the build for `backend`. */
  static async load(backend: Backend, asset: AttentionAsset, progress?: Progress): Promise<Runtime> {
    const kind = `ort-${backend}`;
    const t0 = performance.now();
    const cache = await openCache();
    const hit = await cache?.match(keyOf(kind, asset)).catch(() => undefined);
    let module: WebAssembly.Module, wasmFetchMs: number, compileMs: number;
    if (hit) {
      // Streaming from Cache Storage: V8 may also reuse the machine code it cached for this response.
      wasmFetchMs = performance.now() - t0;
      const t1 = performance.now();
      module = await WebAssembly.compileStreaming(hit);
      compileMs = performance.now() - t1;
    } else {
      const bytes = await download(asset, progress);
      wasmFetchMs = performance.now() - t0;
      const t1 = performance.now();
      module = await WebAssembly.compile(bytes);
      compileMs = performance.now() - t1;
      void keep(cache, kind, asset, bytes, 'application/wasm').catch(() => undefined);
    }
    const ort = (backend === 'webgpu' ? ortWebGpu : ortWasm) as unknown as OrtModule;
    return new Runtime(backend, ort, module, { wasmFetchMs, compileMs, cached: !!hit });
  }

  /** Runs `f` (which opens a session); the first one starts onnxruntime with the compiled module. */
  async open<T>(f: (ort: OrtModule) => Promise<T>): Promise<T> {
    if (this.started) {
      await this.started.catch(() => undefined);
      return f(this.ort);
    }
    const original = WebAssembly.instantiate;
    const { module, placeholder } = this;
    const patched = (source: unknown, imports?: WebAssembly.Imports) =>
      ArrayBuffer.isView(source) && source.buffer === placeholder
        ? original(module, imports).then((instance) => ({ module, instance }))
        : (original as (s: unknown, i?: WebAssembly.Imports) => Promise<unknown>)(source, imports);
    WebAssembly.instantiate = patched as typeof WebAssembly.instantiate;
    const first = f(this.ort);
    this.started = first;
    try {
      return await first;
    } finally {
      WebAssembly.instantiate = original;
    }
  }
}

/** A WebGPU adapter, when the webview has one; else why not (the panel says it). */
export async function webGpuAdapter(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return { ok: false, reason: 'this webview has no WebGPU (navigator.gpu)' };
  if (!('Suspending' in WebAssembly))
    return { ok: false, reason: "this webview's WebAssembly has no JSPI, which the WebGPU build needs" };
  const adapter = await gpu.requestAdapter().catch(() => null);
  return adapter ? { ok: true } : { ok: false, reason: 'no WebGPU adapter' };
}
