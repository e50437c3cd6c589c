// The demo model's graph, built from its fixed seed in a worker (demoWorker.ts) — the same code and seed as the build
// step that describes it (src/node/writeDemoModel.ts), so the same bytes: its version (a hash of them) keys the
// panel's cache. The worker's script is bundled into the panel's as text and started from a blob.
import workerSource from 'inline-worker:./demoWorker.ts';

export interface DemoBuild {
  readonly bytes: Promise<ArrayBuffer>;
  /** Stops the worker: done, or not needed (the panel's cache had the graph). */
  readonly stop: () => void;
}

export function buildDemoModel(): DemoBuild {
  if (typeof Worker === 'undefined') {
    const bytes = Promise.reject(new Error('this webview cannot start a worker to build the demo model'));
    bytes.catch(() => undefined); // read only when the cache does not have the graph
    return { bytes, stop: () => undefined };
  }
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  const worker = new Worker(url);
  const stop = () => {
    worker.terminate();
    URL.revokeObjectURL(url);
  };
  const bytes = new Promise<ArrayBuffer>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ bytes?: ArrayBuffer; error?: string }>) =>
      e.data.bytes ? resolve(e.data.bytes) : reject(new Error(e.data.error ?? 'the demo model was not built'));
    worker.onerror = (e) => reject(new Error(e.message || 'the worker building the demo model failed'));
    worker.postMessage(null);
  }).finally(stop);
  bytes.catch(() => undefined);
  return { bytes, stop };
}
