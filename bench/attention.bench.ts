// The attention panel's prompt cache at GPT-2-small size: a generated model with GPT-2 small's depth and width (12
// layers, 12 heads, d = 768; a 4,096-token vocabulary keeps it at 350 MB), a 512-token prompt run from scratch against
// the last 32 tokens on a cached 480-token prefix — through KvSession, the panel's own code. On onnxruntime-web's WASM
// backend in Node, and in headless Chromium on WASM; WebGPU runs on SwiftShader here (a CPU emulating a GPU: its
// times say nothing of a GPU), too slowly for the big model, so the demo model is measured on WebGPU and WASM too.
// Budget: the cached run ≤ 15 % of the full one. Prints {"<backend>": {model, layers, promptTokens, reusedTokens,
// fullMs, cachedMs, cachedOverFull, maxAbsDiffLogits}} on its last line. KVLENS_BENCH_ATTENTION_BACKENDS narrows it.
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import { randomWeights } from '../src/core/attention/demoWeights';
import { adaptGpt2Graph } from '../src/core/attention/graphAdapt';
import { KvSession } from '../src/core/attention/kvSession';
import { buildGpt2Onnx } from '../src/core/attention/onnxBuild';
import { repoRoot, webviewPage } from '../test/browser/page';
import { measureReuse } from './attentionReuse';

const CFG = { vocab: 4096, nCtx: 1024, nEmbd: 768, nHead: 12, nLayer: 12, seed: 7, std: 0.02 };
const P = 480,
  K = 32,
  REPS = Number(process.env.KVLENS_BENCH_REPS ?? 3);
const MODEL = `gpt2-small-shaped (12×12, d=768, vocab ${CFG.vocab}, generated)`;
// webgpu-chromium (the big model on SwiftShader) takes far too long for a routine run: ask for it by name.
const backends = (
  process.env.KVLENS_BENCH_ATTENTION_BACKENDS ?? 'wasm-node,wasm-chromium,webgpu-chromium-demo,wasm-chromium-demo'
).split(',');
const ids = Array.from({ length: P + K }, (_, i) => (i * 7919 + 13) % CFG.vocab);
const row = (fullMs: number, cachedMs: number, maxAbsDiffLogits: number) => ({
  model: MODEL,
  layers: CFG.nLayer,
  promptTokens: P + K,
  reusedTokens: P,
  fullMs: Math.round(fullMs * 10) / 10,
  cachedMs: Math.round(cachedMs * 10) / 10,
  cachedOverFull: Math.round((cachedMs / fullMs) * 1000) / 1000,
  maxAbsDiffLogits,
});

async function main() {
  const t0 = performance.now();
  const bytes = buildGpt2Onnx(randomWeights(CFG));
  process.stderr.write(
    `  generated ${(bytes.length / 1e6).toFixed(0)} MB in ${Math.round(performance.now() - t0)} ms\n`,
  );
  const out: Record<string, unknown> = {};
  if (backends.includes('wasm-node')) {
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
    const { shape } = adaptGpt2Graph(bytes);
    const s = await KvSession.create(ort, bytes, shape, ['wasm']);
    const t = await measureReuse(s, ids, P, REPS);
    if (t.reused !== P) throw new Error(`reused ${t.reused}, expected ${P}`);
    await s.release();
    out['wasm-node'] = row(t.fullMs, t.cachedMs, t.maxAbsDiffLogits);
    process.stderr.write(`  wasm-node ${JSON.stringify(out['wasm-node'])}\n`);
  }
  const browser = backends.filter((b) => b.includes('-chromium'));
  if (browser.length) {
    const file = path.join(repoRoot(), process.env.KVLENS_OUT || 'out', 'bench', 'gpt2-small-shaped.onnx');
    fs.writeFileSync(file, bytes);
    for (const b of browser) {
      const backend = b.startsWith('webgpu') ? ('webgpu' as const) : ('wasm' as const);
      // The demo model (2 layers × 4 heads, d = 32) where the big one is too slow for SwiftShader's CPU emulation.
      const demo = b.endsWith('-demo');
      const { page, close } = await webviewPage('attention', {}, " 'wasm-unsafe-eval'", {
        webgpu: backend === 'webgpu',
        script: `/${process.env.KVLENS_OUT || 'out'}/test/browser-fixtures/attentionEngine.js`,
      });
      try {
        page.setDefaultTimeout(0);
        const model = demo ? '/dist/webview/models/demo-gpt2.onnx' : `/${path.relative(repoRoot(), file)}`;
        const r = (await page.evaluate((a) => window.benchEngine(a), {
          model,
          wasm: '/dist/webview/ort/ort-wasm-simd-threaded.jspi.wasm',
          backend,
          ids,
          prefix: P,
          reps: REPS,
        })) as { backend: string; fullMs: number; cachedMs: number; maxAbsDiffLogits: number };
        out[b] =
          r.backend !== backend
            ? { error: `ran on ${r.backend}` }
            : demo
              ? {
                  ...row(r.fullMs, r.cachedMs, r.maxAbsDiffLogits),
                  model: 'demo GPT-2 (2×4, d=32, GPT-2 vocabulary)',
                  layers: 2,
                }
              : row(r.fullMs, r.cachedMs, r.maxAbsDiffLogits);
      } catch (e) {
        out[b] = { error: String((e as Error).message ?? e).slice(0, 300) };
      } finally {
        await close().catch(() => undefined);
      }
      process.stderr.write(`  ${b} ${JSON.stringify(out[b])}\n`);
    }
    fs.rmSync(file, { force: true });
  }
  console.log(JSON.stringify(out));
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
