// The demo model's graph, built in the panel from its fixed seed — the same code and seed as the build step that
// describes it (src/node/writeDemoModel.ts), so the same bytes: its version (a hash of them) keys the panel's cache.
import { demoWeights } from '../../src/core/attention/demoWeights';
import { buildGpt2Onnx } from '../../src/core/attention/onnxBuild';

export function buildDemoModel(): ArrayBuffer {
  const bytes = buildGpt2Onnx(demoWeights(), { halfEmbedding: true });
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}
