// Build step: writes the demo model the attention panel ships (dist/webview/models/demo-gpt2.onnx) and what the panel shows
// about it beside (its shape and the role of each head), from the fixed seed.
import fs from 'node:fs';
import path from 'node:path';
import { demoWeights, HEAD_ROLE_LABELS } from '../core/attention/demoWeights';
import { adaptGpt2Graph } from '../core/attention/graphAdapt';
import { buildGpt2Onnx } from '../core/attention/onnxBuild';

export function writeDemoModel(dir: string): { file: string; bytes: number } {
  const w = demoWeights();
  const bytes = buildGpt2Onnx(w, { halfEmbedding: true });
  const { shape } = adaptGpt2Graph(bytes);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'demo-gpt2.onnx');
  fs.writeFileSync(`${file}.part`, bytes);
  fs.renameSync(`${file}.part`, file);
  fs.writeFileSync(
    path.join(dir, 'demo-gpt2.json'),
    JSON.stringify(
      {
        label: 'Demo GPT-2 (generated weights, not trained)',
        tokenizer: 'r50k_base',
        seed: w.cfg.seed,
        shape,
        heads: w.heads.map((row) => row.map((r) => HEAD_ROLE_LABELS[r])),
      },
      null,
      2,
    ),
  );
  return { file, bytes: bytes.length };
}
