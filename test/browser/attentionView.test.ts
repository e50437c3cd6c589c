import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decode, encode } from 'gpt-tokenizer/encoding/r50k_base';
import { demoWeights } from '../../src/core/attention/demoWeights';
import type { AttentionDocumentView, AttentionStatus } from '../../src/protocol';
import { referenceForward } from '../unit/attention/reference';
import { keptRowsSaved, repoRoot, webviewPage } from './page';

// The attention panel's engine and app in headless Chromium under the panel's CSP ('wasm-unsafe-eval'): on WebGPU
// (SwiftShader) and on WASM, against the float64 reference, and the cached run against the full one.

const PROMPT =
  'You are a support agent for Acme. Answer politely and cite the handbook. The customer asks about the refund policy; the refund policy says refunds take five days.';
const EDITED = PROMPT.replace('five days', 'ten business days');
/** onnxruntime-web's builds as the panel loads them: the plain SIMD one for WASM, the JSPI one for WebGPU. */
const PLAIN = '/dist/webview/ort/ort-wasm-simd-threaded.wasm';
const JSPI = '/dist/webview/ort/ort-wasm-simd-threaded.jspi.wasm';
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
          wasm: backend === 'webgpu' ? JSPI : PLAIN,
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

  /** A file as the host describes it to the panel: its URL, a version (its size here) and its size. */
  const asset = (url: string) => {
    const bytes = fs.statSync(path.join(repoRoot(), url)).size;
    return { url, version: String(bytes), bytes };
  };
  const demoMeta = () =>
    JSON.parse(fs.readFileSync(path.join(repoRoot(), 'dist/webview/models/demo-gpt2.json'), 'utf8'));
  /** The demo as the host describes it: the panel builds its graph from the seed (nothing to fetch). */
  const demoModel = () => {
    const meta = demoMeta();
    const source = { kind: 'demo', version: meta.version, bytes: meta.bytes };
    return { id: 'demo', label: meta.label, demo: true, shape: meta.shape, heads: meta.heads, source };
  };
  /** The panel as the host opens it: its HTML names the runtime builds (gzip'd, as shipped) and the model. */
  async function openPanel(theme: Record<string, string> = {}, opts: { webgpu?: boolean; init?: string } = {}) {
    const boot = { runtime: { wasm: asset(`${PLAIN}.gz`), webgpu: asset(`${JSPI}.gz`) }, model: demoModel() };
    return webviewPage('attention', theme, " 'wasm-unsafe-eval'", { boot, ...opts });
  }
  const docView = (text: string, boundary: number | null, cached = boundary): AttentionDocumentView => {
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
      provider:
        boundary === null
          ? null
          : { model: 'GPT-4.1', cachedTokens: cached ?? 0, tokens: ids.length, baseline: 'sent 10:00' },
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
        /The \d+ tokens after the line put [\d.]+ % of their attention on the tokens before it/,
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
        /the next-token scores \(logits\) differ by at most \d\.\de[-+]\d+, the attention by \d\.\de[-+]\d+/,
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

  /** A prompt longer than the map's window (256 tokens): the first load shows the window before the rest. */
  const LONG = Array.from({ length: 12 }, (_, i) => `${PROMPT} Rule ${i + 1}.`).join('\n');
  const posts = async (page: import('playwright-core').Page) =>
    (await page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted)) as {
      type: string;
      timing?: Record<string, number | boolean | string>;
      status?: AttentionStatus;
    }[];

  it('for a first-time reader: the first load says what it does step by step, the axes and a legend say what the map shows, and the texts of the two caches never contradict', async () => {
    // The progress line as it changes, recorded from the page's start (the runtime starts loading before any message).
    const init = `window.__progress = [];
      new MutationObserver(() => {
        const t = document.getElementById('progress-text')?.textContent;
        const p = document.getElementById('progress');
        if (t && p && !p.hidden && window.__progress.at(-1) !== t) window.__progress.push(t);
      }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });`;
    const { page, close } = await openPanel({}, { init });
    try {
      const long = docView(LONG, 0);
      assert.ok(long.tokens.length > 300, `${long.tokens.length} tokens`);
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), long);
      await page.waitForFunction(
        (n) => (document.getElementById('reused')?.textContent ?? '') === `Reused 0 tokens, computed ${n}`,
        long.tokens.length.toLocaleString('en-US'),
        { timeout: 90000 },
      );
      const progress = (await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress)).join(
        ' | ',
      );
      for (const step of [
        /Downloading the model runtime \(onnxruntime-web, [\d.]+ of [\d.]+ MB\)|Compiling the model runtime/,
        /Running GPT-2 on tokens 1–256 of [\d,]+ \(the part on screen first\)/,
        /Running GPT-2 on the rest: tokens 257–/,
      ])
        assert.match(progress, step, `the first load's progress: ${progress}`);
      assert.ok(await page.locator('#progress').isHidden(), 'the progress line goes once the whole text has run');
      // The axes in words, with the first and last token of the window; a one-line legend.
      assert.match((await page.textContent('#axis-x')) ?? '', /^#0.*tokens it attends to \(keys\).*#255$/);
      assert.match((await page.textContent('#axis-y')) ?? '', /^#0.*each token, attending \(queries\).*#255$/);
      assert.match((await page.textContent('#legend')) ?? '', /brighter: more attention; a row adds up to 100 %/);
      // A cold run: no comparison with a full run to show (it is one), and no "|Δ| 0" pretending to be a finding.
      assert.equal(await page.locator('#delta').count(), 0);
      assert.doesNotMatch((await page.textContent('#kv')) ?? '', /logits|Δ/);
      assert.match(
        (await page.textContent('#kv')) ?? '',
        /^In this panel: Reused 0 tokens, computed [\d,]+ in [\d.]+ ms: a first run/,
      );
      // The provider caches nothing of it (boundary 0), the panel reuses its own keys after an edit: two labelled lines.
      const edited = docView(LONG.replace('Rule 11.', 'Rule eleven.'), 0);
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), edited);
      await page.waitForSelector('#delta', { timeout: 60000 });
      const cache = (await page.textContent('#cache')) ?? '',
        kv = (await page.textContent('#kv')) ?? '';
      assert.match(
        cache,
        /^At the provider: nothing of this prompt would be read from GPT-4\.1's cache \(sent 10:00\)/,
      );
      assert.doesNotMatch(cache, /served from cache yet/);
      assert.match(
        kv,
        /^In this panel: Reused [1-9][\d,]* tokens, computed \d+ in [\d.]+ ms instead of [\d.]+ ms for the whole text/,
      );
      assert.match(kv, /Same result as computing everything again: the next-token scores \(logits\) differ by at most/);
      // "Run cold": again a first run, again nothing to compare.
      await page.click('#cold');
      await page.waitForFunction(
        () => /^Reused 0 tokens/.test(document.getElementById('reused')?.textContent ?? ''),
        null,
        {
          timeout: 60000,
        },
      );
      assert.equal(await page.locator('#delta').count(), 0, 'no difference shown after a cold run');
      fs.mkdirSync(path.join(repoRoot(), 'test-output'), { recursive: true });
      await page.setViewportSize({ width: 560, height: 900 });
      await page.screenshot({
        path: path.join(repoRoot(), 'test-output', 'browser-attention-narrow.png'),
        fullPage: true,
      });
    } finally {
      await close();
    }
  });

  it('the first heat map shows the window on screen before the rest of the text has run, and reports its breakdown; a reopened panel paints the rows it kept for the same tokens, and reads the runtime and the model from its cache', async () => {
    // What the panel shows when it shows kept rows (before the model's run replaces them): the map's pixels and its
    // words, taken as the render that put them there ends (the map is drawn in the same render as the words).
    const atKeptRows = `new MutationObserver(() => {
      const kv = document.getElementById('kv');
      if (!window.__kept && kv && kv.textContent.startsWith('In this panel: Kept rows'))
        window.__kept = { map: document.getElementById('heatmap').toDataURL(), kv: kv.textContent };
    }).observe(document, { subtree: true, childList: true, characterData: true });`;
    const { page, close } = await openPanel({}, { init: atKeptRows });
    try {
      const long = docView(LONG, 40);
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), long);
      await page.waitForFunction(
        (n) =>
          (window as unknown as { __posted: { type: string; status?: { tokens: number } }[] }).__posted.some(
            (m) => m.type === 'status' && m.status?.tokens === n,
          ),
        long.tokens.length,
        { timeout: 90000 },
      );
      const msgs = await posts(page);
      const first = msgs.findIndex((m) => m.type === 'firstPaint'),
        status = msgs.findIndex((m) => m.type === 'status');
      assert.ok(
        first >= 0 && first < status,
        `the first paint (${first}) comes before the whole text's status (${status})`,
      );
      const t = msgs[first].timing!;
      assert.equal(t.firstTokens, 256, 'the first heat map is the window on screen');
      for (const k of [
        'elapsedMs',
        'scriptMs',
        'wasmFetchMs',
        'compileMs',
        'modelLoadMs',
        'sessionMs',
        'documentMs',
        'firstRunMs',
        'firstPaintMs',
      ])
        assert.ok(typeof t[k] === 'number' && (t[k] as number) >= 0, `${k}: ${t[k]}`);
      assert.ok((t.elapsedMs as number) >= (t.firstRunMs as number));
      assert.equal(t.wasmCached, false);
      assert.equal(t.modelCached, false);
      assert.equal(t.modelBuilt, true, 'the demo is built in the panel from its seed');
      assert.equal(t.backend, 'wasm');
      // The same bytes as the build step's graph (the tests' reference model): its version is their hash.
      const version = demoMeta().version as string;
      assert.equal(
        await page.evaluate(async (v) => {
          const c = await caches.open('kvlens.attention');
          const r = await c.match(`https://kvlens.invalid/model:demo?v=${v}`);
          const d = new Uint8Array(await crypto.subtle.digest('SHA-256', await r!.arrayBuffer()));
          return Array.from(d, (b) => b.toString(16).padStart(2, '0'))
            .join('')
            .slice(0, 16);
        }, version),
        version,
      );
      assert.equal(t.rowsKept, false, 'nothing was kept before the first panel');
      const statusOf = (n: number) =>
        page.waitForFunction(
          (k) =>
            (window as unknown as { __posted: { type: string; status?: { tokens: number } }[] }).__posted.some(
              (m) => m.type === 'status' && m.status?.tokens === k,
            ),
          n,
          { timeout: 90000 },
        );
      const shown = () =>
        page.evaluate(() => ({
          map: (document.getElementById('heatmap') as HTMLCanvasElement).toDataURL(),
          kv: document.getElementById('kv')!.textContent,
        }));
      const computed = await shown();
      // The rows are written after the run (a user takes longer than that to close and reopen the panel).
      await keptRowsSaved(page);
      // The panel opened again on the same text (a new document of the same origin): the rows the first panel kept
      // for these tokens are painted before the model has loaded — the same pixels the model's run then draws.
      await page.reload();
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), long);
      await statusOf(long.tokens.length);
      const again = (await posts(page)).find((m) => m.type === 'firstPaint')!.timing!;
      assert.equal(again.rowsKept, true, JSON.stringify(again));
      assert.equal(again.firstTokens, 256);
      const kept = await page.evaluate(() => (window as unknown as { __kept: { map: string; kv: string } }).__kept);
      assert.ok(kept, 'the kept rows were shown');
      assert.match(kept.kv, /^In this panel: Kept rows of 256 tokens read in [\d.]+ ms: an earlier panel computed/);
      assert.equal(kept.map, computed.map, 'the kept rows draw the map the model computed');
      await page.waitForFunction(() => /^Reused 0 tokens/.test(document.getElementById('reused')?.textContent ?? ''));
      assert.equal((await shown()).map, computed.map, "the model's own run draws the same map");
      // Another text (its first token changed): nothing kept matches, the model runs first — its runtime and graph
      // from the panel's Cache Storage.
      const other = docView(`Hello. ${LONG}`, 40);
      await page.reload();
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), other);
      await statusOf(other.tokens.length);
      const third = (await posts(page)).find((m) => m.type === 'firstPaint')!.timing!;
      assert.equal(third.rowsKept, false, JSON.stringify(third));
      assert.equal(third.wasmCached, true, JSON.stringify(third));
      assert.equal(third.modelCached, true, JSON.stringify(third));
      console.log(
        `      first heat map in Chromium (ms): ${JSON.stringify(t)}; reopened on the same text: ${JSON.stringify(again)}; on another: ${JSON.stringify(third)}`,
      );
    } finally {
      await close();
    }
  });

  it('the window bar is built once: a new text keeps its buttons (and their listeners); the arrows move by half a window', async () => {
    const { page, close } = await openPanel();
    try {
      const long = docView(LONG, 40);
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), long);
      await page.waitForFunction(
        () => /^Reused 0 tokens, computed \d{3}/.test(document.getElementById('reused')?.textContent ?? ''),
        null,
        {
          timeout: 90000,
        },
      );
      await page.evaluate(() => {
        (document.getElementById('window-next') as HTMLElement & { mark?: number }).mark = 1;
      });
      const edited = docView(LONG.replace('Rule 12.', 'Rule twelve.'), 40);
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), edited);
      await page.waitForFunction(
        () => /^Reused [1-9]/.test(document.getElementById('reused')?.textContent ?? ''),
        null,
        {
          timeout: 60000,
        },
      );
      assert.equal(
        await page.evaluate(() => (document.getElementById('window-next') as HTMLElement & { mark?: number }).mark),
        1,
        'the same button after a new text',
      );
      assert.match((await page.textContent('#window-tokens')) ?? '', /^tokens 0–255 of \d{3}$/);
      await page.click('#window-next');
      await page.waitForFunction(() =>
        /^tokens 128–383 of/.test(document.getElementById('window-tokens')?.textContent ?? ''),
      );
      assert.match((await page.textContent('#axis-x')) ?? '', /^#128.*#383$/);
      await page.click('#window-boundary');
      await page.waitForFunction(() =>
        /^tokens 0–255 of/.test(document.getElementById('window-tokens')?.textContent ?? ''),
      );
    } finally {
      await close();
    }
  });

  it('WebGPU (SwiftShader here): both backends are measured once and the faster is kept — by measured speed, not by presence', async () => {
    const { page, close } = await openPanel({}, { webgpu: true });
    try {
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), docView(PROMPT, 12));
      await page.waitForFunction(
        () =>
          (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'backendMeasured'),
        null,
        { timeout: 110000 },
      );
      const measured = (await posts(page)).find((m) => m.type === 'backendMeasured') as unknown as {
        choice: {
          backend: string;
          wasmMs: number;
          webgpuMs: number | null;
          tokens: number;
          webgpu?: Record<string, number>;
        };
      };
      const c = measured.choice;
      assert.ok(c.webgpuMs !== null && c.wasmMs > 0, JSON.stringify(c));
      assert.equal(c.backend, c.webgpuMs! < c.wasmMs ? 'webgpu' : 'wasm', 'the faster one');
      for (const k of ['wasmFetchMs', 'compileMs', 'sessionMs', 'firstRunMs'])
        assert.ok((c.webgpu?.[k] ?? -1) >= 0, `WebGPU's start-up breakdown: ${JSON.stringify(c.webgpu)}`);
      await page.waitForFunction(
        () => /measured faster here/.test(document.getElementById('fallback')?.textContent ?? ''),
        null,
        { timeout: 60000 },
      );
      await page.waitForFunction(
        () =>
          (window as unknown as { __posted: { type: string; status?: { backendChoice?: unknown } }[] }).__posted.some(
            (m) => m.type === 'status' && m.status?.backendChoice,
          ),
        null,
        { timeout: 60000 },
      );
      const last = (await posts(page)).filter((m) => m.type === 'status' && m.status?.backendChoice).at(-1)!.status!;
      assert.equal(last.backend, c.backend);
      assert.deepEqual(last.backendChoice, c);
      console.log(`      WebGPU (SwiftShader) against WASM: ${JSON.stringify(c)}`);
    } finally {
      await close();
    }
  });

  it('a burst of typing: the latest text wins, superseded texts are never run, the ring shows while a run is on', async () => {
    const { page, posted, close } = await openPanel();
    try {
      const start = docView(PROMPT, null);
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), start);
      // Counted from the first text's status, not from its words on screen: the panel posts the status after the
      // first heat map is painted, so a busy machine could otherwise count that run as one of the burst's.
      await page.waitForFunction(
        (n) =>
          (window as unknown as { __posted: { type: string; status?: { tokens: number } }[] }).__posted.some(
            (m) => m.type === 'status' && m.status?.tokens === n,
          ),
        start.tokens.length,
        { timeout: 60000 },
      );
      assert.match((await page.textContent('#kv')) ?? '', /Reused 0 tokens/);
      const before = (await statuses(posted)).length;
      // Ten versions as fast as a keystroke each; the host debounces too, but the panel must not queue them.
      const burst = Array.from({ length: 10 }, (_, i) => docView(`${PROMPT} Edit number ${i}.`, null));
      // The ring is watched from the first text of the burst until the last one's status has come.
      await page.evaluate((docs) => {
        const w = window as unknown as { __ringSeen: boolean };
        w.__ringSeen = false;
        const ring = document.getElementById('busy')!;
        new MutationObserver(() => {
          if (!ring.hidden) w.__ringSeen = true;
        }).observe(ring, { attributes: true, attributeFilter: ['hidden'] });
        for (const d of docs) window.postMessage({ type: 'document', document: d }, '*');
      }, burst);
      const last = burst.at(-1)!;
      await page.waitForFunction(
        (n) =>
          (window as unknown as { __posted: { type: string; status?: { tokens: number } }[] }).__posted
            .filter((m) => m.type === 'status')
            .at(-1)?.status?.tokens === n,
        last.tokens.length,
        { timeout: 60000 },
      );
      assert.ok(
        await page.evaluate(() => (window as unknown as { __ringSeen: boolean }).__ringSeen),
        'the busy ring shows while the model runs',
      );
      await page.waitForTimeout(500); // nothing more is queued behind the last text
      // A run posts its status when drawn, and again once compared with a full run (fullMs set): count the first.
      const runs = (await statuses(posted)).slice(before).filter((st) => st.fullMs === null);
      assert.ok(
        runs.length <= 2,
        `${runs.length} runs for a burst of 10 texts (the one running when it began, then the latest)`,
      );
      assert.equal(runs.at(-1)!.tokens, last.tokens.length, 'the latest text is the one shown');
    } finally {
      await close();
    }
  });

  it('the same tokens sent again (the host re-sends a text when only its cache facts change) are not run again', async () => {
    const { page, posted, close } = await openPanel();
    try {
      const first = docView(PROMPT, null);
      await page.evaluate((d) => window.postMessage({ type: 'document', document: d }, '*'), first);
      await page.waitForFunction(
        (n) =>
          (window as unknown as { __posted: { type: string; status?: { tokens: number } }[] }).__posted.some(
            (m) => m.type === 'status' && m.status?.tokens === n,
          ),
        first.tokens.length,
        { timeout: 60000 },
      );
      const before = (await statuses(posted)).length;
      // The same text, now with a cache boundary (as after "Record as Sent"): one run already covers it.
      await page.evaluate(
        (d) => window.postMessage({ type: 'document', document: d }, '*'),
        docView(PROMPT, Math.floor(first.tokens.length / 2)),
      );
      await page.waitForTimeout(1500);
      // A status may be posted again for the same run (e.g. once the backends are measured); a second run would
      // report the cache reused: "Reused 1,023 tokens, computed 1".
      const after = (await statuses(posted)).slice(before);
      assert.deepEqual(
        after.filter((st) => st.reused > 0).map((st) => `reused ${st.reused}, computed ${st.computed}`),
        [],
        'no run for the same tokens',
      );
      assert.match((await page.textContent('#kv')) ?? '', /Reused 0 tokens/, 'the first run still stands');
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
            document: { file: 'empty.md', tokens: [], cutTokens: 0, cacheBoundary: null, provider: null, blocks: [] },
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
