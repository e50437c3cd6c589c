import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decode, encode } from 'gpt-tokenizer/encoding/r50k_base';
import { demoWeights } from '../../src/core/attention/demoWeights';
import type { AttentionDocumentView, AttentionStatus } from '../../src/protocol';
import { referenceForward } from '../unit/attention/reference';
import { repoRoot, webviewPage } from './page';

// The attention panel's engine and app in headless Chromium under the panel's CSP ('wasm-unsafe-eval'): on WebGPU
// (SwiftShader) and on WASM, against the float64 reference, and the cached run against the full one.

const PROMPT =
  'You are a support agent for Acme. Answer politely and cite the handbook. The customer asks about the refund policy; the refund policy says refunds take five days.';
const EDITED = PROMPT.replace('five days', 'ten business days');
const WASM = '/dist/webview/ort/ort-wasm-simd-threaded.asyncify.wasm';
const MODEL = '/dist/webview/models/demo-gpt2.onnx';
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return a.length === b.length ? m : Infinity;
};

interface EngineOut {
  backend: string;
  full: { attention: number[]; nextLogits: number[] };
  cached: { reused: number; computed: number; attention: number[]; nextLogits: number[] };
  verification: { fullMs: number; maxAbsDiffLogits: number; maxAbsDiffAttention: number };
}

describe('attention engine in Chromium: logits and attention against the float64 reference', function () {
  this.timeout(120000);
  const w = demoWeights(),
    ids = encode(PROMPT),
    edited = encode(EDITED);
  const ref = referenceForward(w, ids),
    refEdited = referenceForward(w, edited);

  for (const backend of ['webgpu', 'wasm'] as const) {
    it(`${backend}: full prefill, then a cached run from the first changed token (≤ 1e-5)`, async () => {
      const { page, close } = await webviewPage('attention', {}, " 'wasm-unsafe-eval'", {
        webgpu: backend === 'webgpu',
        script: '/out/test/browser-fixtures/attentionEngine.js',
      });
      try {
        if (backend === 'webgpu')
          assert.ok(
            await page.evaluate(
              async () =>
                !!(await (
                  navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }
                ).gpu?.requestAdapter()),
            ),
            'a WebGPU adapter (SwiftShader)',
          );
        const r = (await page.evaluate((a) => window.runEngine(a), {
          model: MODEL,
          wasm: WASM,
          backend,
          ids,
          edited,
          layer: 0,
        })) as EngineOut;
        assert.equal(r.backend, backend);
        assert.ok(
          maxDiff(r.full.attention, ref.attn[0].flat(2)) <= 1e-5,
          `attention vs reference: ${maxDiff(r.full.attention, ref.attn[0].flat(2))}`,
        );
        assert.ok(
          maxDiff(r.full.nextLogits, ref.logits.at(-1)!) <= 1e-4,
          `logits vs reference: ${maxDiff(r.full.nextLogits, ref.logits.at(-1)!)}`,
        );
        const common = edited.findIndex((t, i) => t !== ids[i]);
        assert.equal(r.cached.reused, common);
        assert.equal(r.cached.computed, edited.length - common);
        assert.ok(
          maxDiff(r.cached.attention, refEdited.attn[0].flat(2)) <= 1e-5,
          'cached run: attention of the reference',
        );
        assert.ok(
          r.verification.maxAbsDiffLogits <= 1e-5 && r.verification.maxAbsDiffAttention <= 1e-5,
          JSON.stringify(r.verification),
        );
      } finally {
        await close();
      }
    });
  }
});

describe('attention panel (webview/attention) in Chromium', function () {
  this.timeout(120000);

  async function openPanel(theme: Record<string, string> = {}) {
    const p = await webviewPage('attention', theme, " 'wasm-unsafe-eval'");
    const meta = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'dist/webview/models/demo-gpt2.json'), 'utf8'));
    await p.page.evaluate(
      ({ meta, WASM, MODEL }) => {
        window.postMessage(
          {
            type: 'model',
            model: {
              id: 'demo',
              label: meta.label,
              demo: true,
              shape: meta.shape,
              heads: meta.heads,
              url: MODEL,
              wasmUrl: WASM,
            },
          },
          '*',
        );
      },
      { meta, WASM, MODEL },
    );
    return p;
  }
  const docView = (text: string, boundary: number | null): AttentionDocumentView => {
    const ids = encode(text);
    let at = 0;
    // ASCII prompt: each token decodes to its own characters.
    const tokens = ids.map((id) => {
      const t = decode([id]);
      at += t.length;
      return { id, text: t, start: at - t.length, end: at };
    });
    return {
      file: 'prompts/support.prompt.md',
      tokens,
      cutTokens: 0,
      cacheBoundary: boundary,
      cacheNote: `${boundary} of ${ids.length} tokens cached (test)`,
      blocks: boundary
        ? [
            { label: 'system', start: 0, end: boundary },
            { label: 'user', start: boundary, end: ids.length },
          ]
        : [],
    };
  };
  const statuses = async (posted: () => Promise<unknown[]>) =>
    (await posted())
      .filter((m): m is { type: 'status'; status: AttentionStatus } => (m as { type: string }).type === 'status')
      .map((m) => m.status);

  it('shows the heat map, the backend, the cache boundary share; an edit reuses the prefix; a token click reveals it', async () => {
    const { page, posted, close } = await openPanel();
    try {
      const first = docView(PROMPT, 12);
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), first);
      await page.waitForFunction(
        () => /Reused 0 tokens, computed \d+/.test(document.getElementById('kv')?.textContent ?? ''),
        null,
        { timeout: 60000 },
      );
      assert.match((await page.textContent('#backend')) ?? '', /^(WASM|WebGPU)$/);
      assert.match((await page.textContent('#model')) ?? '', /demo weights, generated from a fixed seed/);
      assert.match(
        (await page.textContent('#prefix-share')) ?? '',
        /The \d+ uncached tokens put [\d.]+ % of their attention on the cached prefix/,
      );
      const lit = await page.evaluate(() => {
        const c = document.getElementById('heatmap') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 2] > 80) n++;
        return n;
      });
      assert.ok(lit > 1000, `the map is drawn (${lit} bright pixels)`);
      const edited = docView(EDITED, 12);
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), edited);
      const common = encode(EDITED).findIndex((t, i) => t !== encode(PROMPT)[i]);
      await page.waitForFunction(
        (n) => (document.getElementById('reused')?.textContent ?? '').startsWith(`Reused ${n} tokens`),
        common,
        { timeout: 60000 },
      );
      assert.match(
        (await page.textContent('#delta')) ?? '',
        /max \|Δ\| logits \d\.\de[-+]\d+, attention \d\.\de[-+]\d+/,
      );
      const s = (await statuses(posted)).at(-1)!;
      assert.equal(s.reused, common);
      assert.ok(s.maxAbsDiffLogits! <= 1e-5 && s.maxAbsDiffAttention! <= 1e-5);
      assert.ok(s.prefixShare! > 0 && s.prefixShare! <= 1);
      await page.click('button.tok[data-index="3"]');
      const reveal = (await posted()).find((m) => (m as { type: string }).type === 'reveal') as {
        start: number;
        end: number;
      };
      assert.deepEqual(reveal, { type: 'reveal', start: edited.tokens[3].start, end: edited.tokens[3].end });
      await page.evaluate(() => window.postMessage({ type: 'selection', start: 4, end: 10 }, '*'));
      // window.postMessage is delivered after this call returns: wait for the render it causes.
      await page.waitForSelector('button.tok.selected', { timeout: 10000 });
      assert.ok(
        (await page.locator('button.tok.selected').count()) >= 1,
        'the editor selection highlights panel tokens',
      );
      // Keyboard: focus the map, move the cursor, Enter reveals the query token.
      await page.focus('#heatmap');
      for (const k of ['ArrowDown', 'ArrowDown', 'ArrowRight']) await page.keyboard.press(k);
      assert.match((await page.textContent('#tip')) ?? '', /^#\d+ ".*" → #\d+ ".*": \d\.\d{3}/);
      await page.evaluate(() => {
        const sel = document.getElementById('head') as HTMLElement & { value: string };
        sel.value = '0';
        sel.dispatchEvent(new Event('change'));
      });
      const st = (await statuses(posted)).at(-1)!;
      assert.equal(st.head, 0);
      fs.mkdirSync(path.join(repoRoot(), 'test-output'), { recursive: true });
      await page.screenshot({ path: path.join(repoRoot(), 'test-output', 'browser-attention.png'), fullPage: true });
    } finally {
      await close();
    }
  });

  it('a burst of typing: the latest text wins, superseded texts are never run, the ring shows while a run is on', async () => {
    const { page, posted, close } = await openPanel();
    try {
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), docView(PROMPT, null));
      await page.waitForFunction(() => /Reused 0 tokens/.test(document.getElementById('kv')?.textContent ?? ''), null, {
        timeout: 60000,
      });
      const before = (await statuses(posted)).length;
      // Ten versions as fast as a keystroke each; the host debounces too, but the panel must not queue them.
      const burst = Array.from({ length: 10 }, (_, i) => docView(`${PROMPT} Edit number ${i}.`, null));
      const ringSeen = await page.evaluate(async (docs) => {
        let seen = false;
        const ring = document.getElementById('busy')!;
        const watch = new MutationObserver(() => {
          if (!ring.hidden) seen = true;
        });
        watch.observe(ring, { attributes: true, attributeFilter: ['hidden'] });
        for (const d of docs) window.postMessage({ type: 'document', document: d }, '*');
        await new Promise((r) => setTimeout(r, 50));
        return seen || !ring.hidden;
      }, burst);
      assert.ok(ringSeen, 'the busy ring shows while the model runs');
      const last = burst.at(-1)!;
      await page.waitForFunction(
        (n) =>
          (window as unknown as { __posted: { type: string; status?: { tokens: number } }[] }).__posted
            .filter((m) => m.type === 'status')
            .at(-1)?.status?.tokens === n,
        last.tokens.length,
        { timeout: 60000 },
      );
      await page.waitForTimeout(500); // nothing more is queued behind the last text
      const runs = (await statuses(posted)).slice(before);
      assert.ok(
        runs.length <= 2,
        `${runs.length} runs for a burst of 10 texts (the one running when it began, then the latest)`,
      );
      assert.equal(runs.at(-1)!.tokens, last.tokens.length, 'the latest text is the one shown');
    } finally {
      await close();
    }
  });

  it('the grid of all layers × heads, and a clear message for a text with no tokens', async () => {
    const { page, close } = await openPanel({
      foreground: '#333333',
      'editor-background': '#ffffff',
      'charts-blue': '#0000ff',
    });
    try {
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), docView(PROMPT, null));
      await page.waitForFunction(() => /Reused 0 tokens/.test(document.getElementById('kv')?.textContent ?? ''), null, {
        timeout: 60000,
      });
      await page.click('#grid');
      await page.waitForFunction(() => document.querySelectorAll('canvas.thumb').length === 8, null, {
        timeout: 60000,
      });
      assert.match(
        (await page.getAttribute('canvas.thumb >> nth=0', 'aria-label')) ?? '',
        /layer 0, head 0: previous token/,
      );
      // A render that is not a new run (a selection in the editor) keeps the grid: it is computed once per run.
      await page.evaluate(() => {
        (document.querySelector('canvas.thumb') as HTMLCanvasElement & { mark?: number }).mark = 1;
      });
      await page.evaluate(() => window.postMessage({ type: 'selection', start: 4, end: 10 }, '*'));
      await page.waitForSelector('button.tok.selected', { timeout: 10000 });
      assert.equal(
        await page.evaluate(
          () => (document.querySelector('canvas.thumb') as HTMLCanvasElement & { mark?: number }).mark,
        ),
        1,
        'the grid was not recomputed',
      );
      // The step view: K and V of the head, a row per token; the first row after a cold run was computed.
      await page.click('#steps');
      await page.waitForFunction(() => /^Token 1 of/.test(document.getElementById('step-caption')?.textContent ?? ''));
      assert.match(
        (await page.textContent('#step-caption')) ?? '',
        /^Token 1 of \d+: "You" adds one row to K and one to V \(computed by the last run\)/,
      );
      await page.click('#step-next');
      await page.waitForFunction(() => /^Token 2 of/.test(document.getElementById('step-caption')?.textContent ?? ''));
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'step-next', 'the button keeps the focus');
      // One drag of the slider from end to end walks through every token (the slider is not rebuilt under the pointer).
      const box = (await page.locator('#step-range').boundingBox())!;
      const max = Number(await page.getAttribute('#step-range', 'max'));
      assert.ok(max > 5, `${max} tokens`);
      await page.mouse.move(box.x + 2, box.y + box.height / 2);
      await page.mouse.down();
      for (let k = 1; k <= 12; k++) {
        await page.mouse.move(box.x + (box.width * k) / 12, box.y + box.height / 2);
        await page.waitForTimeout(30);
      }
      await page.mouse.up();
      await page.waitForFunction(
        (n) => (document.getElementById('step-caption')?.textContent ?? '').startsWith(`Token ${n} of ${n}`),
        max,
      );
      // A theme switch while the panel is open redraws the heat map and the grid (canvases) in the new colours.
      // Mean brightness of the drawn (opaque) pixels: the cells blend from the editor background towards charts.blue.
      const light = (sel: string) =>
        page.evaluate((sel) => {
          let sum = 0,
            n = 0;
          for (const c of document.querySelectorAll<HTMLCanvasElement>(sel)) {
            const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
            for (let i = 0; i < d.length; i += 4)
              if (d[i + 3] > 200) {
                sum += (d[i] + d[i + 1] + d[i + 2]) / 3;
                n++;
              }
          }
          return n ? sum / n : -1;
        }, sel);
      const before = [await light('#heatmap'), await light('canvas.thumb')];
      assert.ok(
        before[0] > 150 && before[1] > 150,
        `drawn on the light theme's white: mean brightness ${before.join(', ')}`,
      );
      await page.evaluate(() => {
        document.documentElement.style.setProperty('--vscode-editor-background', '#000000');
        document.body.className = 'vscode-dark';
      });
      await page.waitForFunction(
        () =>
          getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim() ===
          '#000000',
      );
      await page.waitForTimeout(300);
      const after = [await light('#heatmap'), await light('canvas.thumb')];
      assert.ok(
        after[0] >= 0 && after[0] < 100,
        `the heat map redrawn on the dark background: mean brightness ${after[0]}`,
      );
      assert.ok(after[1] >= 0 && after[1] < 100, `the grid redrawn too: mean brightness ${after[1]}`);
      await page.evaluate(() =>
        window.postMessage(
          {
            type: 'document',
            document: { file: 'empty.md', tokens: [], cutTokens: 0, cacheBoundary: null, cacheNote: '', blocks: [] },
          },
          '*',
        ),
      );
      await page.waitForFunction(() =>
        (document.getElementById('notice')?.textContent ?? '').includes('The text has no tokens.'),
      );
    } finally {
      await close();
    }
  });
});
