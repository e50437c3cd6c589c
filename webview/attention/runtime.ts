// onnxruntime-web for the attention panel: only the build its backend needs (the plain SIMD WebAssembly for WASM,
// 14 MB, 3.7 MB gzip'd; the JSPI build with the WebGPU execution provider, 17 MB, only where an adapter exists), fetched and
// compiled as soon as the panel's script runs — while the host still tokenizes the text — and kept in the panel's
// Cache Storage, which every attention panel of this VS Code shares (webview origins are stable per view type), so a
// reopened or reloaded panel reads it from disk instead of through the extension's resource loader.
import * as ortWasm from 'onnxruntime-web/wasm';
import * as ortWebGpu from 'onnxruntime-web/jspi';
import type { Backend, OrtModule } from '../../src/core/attention/kvSession';
import type { AttentionAsset } from '../../src/protocol';
import { warmGraph } from './warmGraph';

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
const keyOf = (kind: string, version: string) => `https://kvlens.invalid/${kind}?v=${encodeURIComponent(version)}`;

/** Bytes counted as they pass (the download's progress), before they are decompressed. */
function counting(progress: Progress | undefined, total: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, out) {
      seen += chunk.length;
      progress?.(seen, total);
      out.enqueue(chunk);
    },
  });
}

/** A URL's bytes, gunzipped on the way when the file is gzip'd (the runtime ships so: a quarter of the bytes). */
async function download(asset: AttentionAsset, progress?: Progress): Promise<ArrayBuffer> {
  const res = await fetch(asset.url);
  if (!res.ok || !res.body) throw new Error(`cannot load ${asset.url.split('/').pop()}: HTTP ${res.status}`);
  const total = Number(res.headers.get('content-length')) || asset.bytes;
  let body = res.body.pipeThrough(counting(progress, total));
  if (/\.gz$/.test(new URL(asset.url, location.href).pathname))
    body = body.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  return new Response(body).arrayBuffer();
}

/**
 * Writes to the cache wait for the first heat map: putting the runtime's 14 MB holds the thread and the disk for a
 * tenth of a second, which the first panel's start-up needs more. The panel releases them once it has painted.
 */
let release: () => void = () => undefined;
const painted = new Promise<void>((resolve) => (release = resolve));
export const releaseCacheWrites = (): void => release();

/** Keeps `bytes` under `kind`'s key and drops the other versions of the same kind. */
async function keep(cache: Cache | undefined, kind: string, version: string, bytes: ArrayBuffer, type: string) {
  if (!cache) return;
  await painted;
  const key = keyOf(kind, version);
  await cache.put(key, new Response(bytes, { headers: { 'Content-Type': type } }));
  for (const old of await cache.keys())
    if (old.url.startsWith(`https://kvlens.invalid/${kind}?`) && old.url !== key) await cache.delete(old);
}

/**
 * Bytes of one kind and version: from the panel's cache, else made (fetched, or built) and then kept there for the
 * next panel.
 */
export async function cachedOr(kind: string, version: string, make: () => Promise<ArrayBuffer>): Promise<Fetched> {
  const t0 = performance.now();
  const cache = await openCache();
  const hit = await cache?.match(keyOf(kind, version)).catch(() => undefined);
  if (hit) return { bytes: await hit.arrayBuffer(), ms: performance.now() - t0, cached: true };
  const bytes = await make();
  const ms = performance.now() - t0;
  void keep(cache, kind, version, bytes, 'application/octet-stream').catch(() => undefined);
  return { bytes, ms, cached: false };
}

/** An asset's bytes: from the panel's cache, else fetched (with progress) and then kept there. */
export const fetchAsset = (kind: string, asset: AttentionAsset, progress?: Progress): Promise<Fetched> =>
  cachedOr(kind, asset.version, () => download(asset, progress));

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
    const hit = await cache?.match(keyOf(kind, asset.version)).catch(() => undefined);
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
      void keep(cache, kind, asset.version, bytes, 'application/wasm').catch(() => undefined);
    }
    const ort = (backend === 'webgpu' ? ortWebGpu : ortWasm) as unknown as OrtModule;
    return new Runtime(backend, ort, module, { wasmFetchMs, compileMs, cached: !!hit });
  }

  /**
   * Starts onnxruntime — its WebAssembly instantiated, its runtime initialized (most of a first session's time) — on a
   * one-node graph, while the model is still being built or read; the model's session then waits for this if need be.
   */
  warm(): Promise<void> {
    return this.open(async (ort) => {
      const session = await ort.InferenceSession.create(warmGraph(), { executionProviders: ['wasm'] });
      await session.release();
    });
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
