// The demo model's graph, as the panel runs it: one definition for the build step that describes it
// (src/node/writeDemoModel.ts, whose version is a hash of these bytes) and the panel that builds it from the seed.
import { demoWeights } from './demoWeights';
import { buildGpt2Onnx, type BuildOptions } from './onnxBuild';

/** Float16 token embedding (a small .vsix, a small cache entry); the last position's logits only (a fast run). */
export const DEMO_GRAPH: BuildOptions = { halfEmbedding: true, allLogits: false };

export const demoGraph = (): Uint8Array => buildGpt2Onnx(demoWeights(), DEMO_GRAPH);
