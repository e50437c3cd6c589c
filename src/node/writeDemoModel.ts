// Build step: writes what the attention panel shows about the demo model (dist/webview/models/demo-gpt2.json: its shape,
// the role of each head, and a version — a hash of the graph's bytes), and the graph itself (demo-gpt2.onnx) for the
// tests and benchmarks. The .vsix ships only the description: the panel builds the graph from the same seed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { demoGraph } from '../core/attention/demoGraph';
import { demoWeights, HEAD_ROLE_LABELS } from '../core/attention/demoWeights';
import { adaptGpt2Graph } from '../core/attention/graphAdapt';

export function writeDemoModel(dir: string): { file: string; bytes: number } {
  const w = demoWeights();
  const bytes = demoGraph();
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
        version: createHash('sha256').update(bytes).digest('hex').slice(0, 16),
        bytes: bytes.length,
        shape,
        heads: w.heads.map((row) => row.map((r) => HEAD_ROLE_LABELS[r])),
      },
      null,
      2,
    ),
  );
  return { file, bytes: bytes.length };
}
