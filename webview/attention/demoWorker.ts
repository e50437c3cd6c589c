// A worker that builds the demo model's graph from its seed (bundled into the panel as text: demoModel.ts): a fifth of a
// second of work that, on the panel's thread, held back the runtime's download beside it (its bytes move on that
// thread). The panel's bundle carries this script as a string, which its own start does not have to compile.
import { demoGraph } from '../../src/core/attention/demoGraph';

const scope = self as unknown as { onmessage: (() => void) | null; postMessage(m: unknown, t?: Transferable[]): void };
scope.onmessage = () => {
  try {
    const bytes = demoGraph();
    const buffer =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : (bytes.slice().buffer as ArrayBuffer);
    scope.postMessage({ bytes: buffer }, [buffer]);
  } catch (e) {
    scope.postMessage({ error: String((e as Error).message ?? e) });
  }
};
