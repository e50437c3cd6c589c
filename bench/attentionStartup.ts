// The attention panel's start-up in Chromium, through the panel's own code (dist/webview/attention.js in an iframe
// under the extension's CSP, its boot data in its HTML as the host writes it): from the moment the "command" opens the
// panel to the first heat map painted, with the demo model on the sample prompt. The harness page plays the
// workbench: it creates the panel's frame, answers its `ready` with the model and the text — no earlier than the host
// would have tokenized it (measured here with the same core code) — and collects the panel's breakdown.
//   first   a new browser profile: nothing in the panel's caches (a user's very first panel)
//   reopen  the panel closed and opened again in the same window on the same text (a new frame, same origin: the
//           rows it kept for that text are painted while the model loads)
//   reload  the window reloaded: a new page of the same profile, the same text
//   cold    a new window (a new page of the same profile) on another text: no kept rows match, so the first heat map
//           is the model's own run, with the runtime and the graph from the panel's cache
// Each also reports computedMs: when the model's own run of the whole text was reported (kept rows or not).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { documentTokens } from '../src/core/attention/documentTokens';
import { preloadEncoding } from '../src/core/tokenizer/openAiEncodings';
import { getTokenizer } from '../src/core/tokenizer/registry';
import type { AttentionBoot, AttentionDocumentView, AttentionFirstPaint, AttentionStatus } from '../src/protocol';
import { keptRowsSaved, repoRoot } from '../test/browser/page';

export type StartupKind = 'first' | 'cold' | 'reopen' | 'reload';
export type Breakdown = Record<string, number>;

export interface StartupRun {
  readonly kind: StartupKind;
  /** Command → first heat map painted (harness clock), and the panel's own parts. */
  readonly breakdown: Breakdown;
  readonly timing: AttentionFirstPaint;
  /** The status of the whole text's first run (its logits are compared with a full run after an edit elsewhere). */
  readonly status: AttentionStatus;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.json': 'application/json',
};
const CSP =
  "default-src 'none'; img-src 'self' data:; font-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'nonce-bench' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'self' blob:";

/** The workbench stand-in: opens a panel frame on `openPanel(...)`, relays messages both ways, reports the result. */
const HOST_PAGE = `<!doctype html><html><body style="margin:0"><script nonce="bench">
window.openPanel = (doc, docAt) => new Promise((resolve, reject) => {
  document.querySelector('iframe')?.remove();
  const t0 = performance.now();
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width:660px;height:900px;border:0';
  let timing;
  const onMessage = (ev) => {
    if (ev.source !== frame.contentWindow) return;
    const m = ev.data;
    if (m.type === 'ready')
      setTimeout(() => frame.contentWindow.postMessage({ type: 'document', document: doc }, '*'), Math.max(0, t0 + docAt - performance.now()));
    // The panel's own clock starts with its document: the harness adds when that was (the message may be late).
    else if (m.type === 'firstPaint') {
      const panelMs = frame.contentWindow.performance.timeOrigin - performance.timeOrigin - t0;
      timing = { ...m.timing, panelMs, totalMs: panelMs + m.timing.elapsedMs };
    }
    else if (m.type === 'status' && timing && m.status.tokens === doc.tokens.length) {
      window.removeEventListener('message', onMessage);
      resolve({ timing, status: m.status, computedMs: performance.now() - t0 });
    } else if (m.type === 'error') reject(new Error(m.message));
  };
  window.addEventListener('message', onMessage);
  frame.src = '/panel.html?' + Math.random();
  document.body.append(frame);
});
</script></body></html>`;

/** The panel's document, as the extension writes it (panelHtml.ts): CSP, stylesheets, boot data, the app. */
const panelPage = (boot: AttentionBoot) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="/dist/webview/codicon.css" id="vscode-codicon-stylesheet"><link rel="stylesheet" href="/media/webview.css"></head>
<body><main id="app" aria-busy="true"><p class="muted">Loading…</p></main>
<script type="application/json" id="boot">${JSON.stringify(boot).replace(/</g, '\\u003c')}</script>
<script nonce="bench">let state; window.acquireVsCodeApi = () => ({ postMessage: (m) => parent.postMessage(m, '*'), getState: () => state, setState: (s) => { state = s; } });</script>
<script nonce="bench" src="/dist/webview/attention.js"></script></body></html>`;

/** A sample's text (after its front matter), as GPT-2 gets it: built the way the host builds it. */
function sampleDocument(rel = 'samples/prompts/support-agent.prompt.md'): {
  doc: AttentionDocumentView;
  hostMs: number;
} {
  const t0 = performance.now();
  const file = path.join(repoRoot(), rel);
  const text = fs.readFileSync(file, 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
  const { tokens, cutTokens } = documentTokens(
    getTokenizer('r50k_base')!,
    (a, b) => text.slice(a, b),
    text.length,
    1024,
  );
  return {
    doc: {
      file: path.relative(path.join(repoRoot(), 'samples'), file),
      tokens,
      cutTokens,
      cacheBoundary: null,
      provider: null,
      blocks: [],
    },
    hostMs: performance.now() - t0,
  };
}

async function server(boot: () => AttentionBoot): Promise<{ url: string; close: () => void }> {
  const root = repoRoot();
  const srv = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/' || u.pathname === '/panel.html') {
      const host = u.pathname === '/';
      res.writeHead(200, {
        'Content-Type': 'text/html',
        'Content-Security-Policy': host
          ? "default-src 'none'; script-src 'nonce-bench'; style-src 'unsafe-inline'; frame-src 'self'"
          : CSP,
      });
      res.end(host ? HOST_PAGE : panelPage(boot()));
      return;
    }
    // The panel's script as it ships (minified: scripts/build.mjs --bench), whatever mode dist/ was built in.
    const shipped = path.join(root, process.env.KVLENS_OUT || 'out', 'bench/webview/attention.js');
    const f =
      u.pathname === '/dist/webview/attention.js' && fs.existsSync(shipped) ? shipped : path.join(root, u.pathname);
    if (!f.startsWith(root) || !fs.existsSync(f)) {
      res.writeHead(404).end();
      return;
    }
    // As VS Code's webview resource loader answers: revalidated each time, never taken from the HTTP cache unasked.
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(f)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
    });
    fs.createReadStream(f).pipe(res);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`, close: () => srv.close() };
}

function asset(rel: string) {
  const st = fs.statSync(path.join(repoRoot(), rel));
  return { url: `/${rel}`, version: `${st.size}-${st.mtimeMs}`, bytes: st.size };
}

function demoBoot(): AttentionBoot {
  const meta = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'dist/webview/models/demo-gpt2.json'), 'utf8'));
  return {
    runtime: {
      wasm: asset('dist/webview/ort/ort-wasm-simd-threaded.wasm.gz'),
      webgpu: asset('dist/webview/ort/ort-wasm-simd-threaded.jspi.wasm.gz'),
    },
    model: {
      id: 'demo',
      label: meta.label,
      demo: true,
      shape: meta.shape,
      heads: meta.heads,
      source: { kind: 'demo', version: meta.version, bytes: meta.bytes },
    },
  };
}

async function openPanel(page: Page, doc: AttentionDocumentView, hostMs: number, kind: StartupKind) {
  const r = (await page.evaluate(
    ([d, at]) => (window as unknown as { openPanel: (d: unknown, at: number) => Promise<unknown> }).openPanel(d, at),
    [doc, hostMs] as const,
  )) as {
    timing: AttentionFirstPaint & { totalMs: number; panelMs: number };
    status: AttentionStatus;
    computedMs: number;
  };
  const t = r.timing;
  const breakdown: Breakdown = {
    totalMs: t.totalMs,
    computedMs: r.computedMs,
    panelMs: t.panelMs,
    hostTokenizeMs: hostMs,
    scriptMs: t.scriptMs,
    wasmFetchMs: t.wasmFetchMs,
    compileMs: t.compileMs,
    modelLoadMs: t.modelLoadMs,
    sessionMs: t.sessionMs,
    documentMs: t.documentMs,
    firstRunMs: t.firstRunMs,
    firstPaintMs: t.firstPaintMs,
  };
  for (const k of Object.keys(breakdown)) breakdown[k] = Math.round(breakdown[k] * 10) / 10;
  return { kind, breakdown, timing: t, status: r.status } satisfies StartupRun;
}

const launch = (dir: string): Promise<BrowserContext> =>
  chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    timeout: 0,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-dev-shm-usage',
    ],
    viewport: { width: 700, height: 950 },
  });

/** A first panel (a new profile), a reopen in the same window, a reload of that window, and a new window. */
export async function measureStartup(): Promise<StartupRun[]> {
  await preloadEncoding('r50k_base');
  // The host's own part, cold: its first tokenization (the encoding's tables were loaded above, as the editor's
  // analysis has loaded its own by the time a panel opens); warm: the next one.
  const cold = sampleDocument();
  const warm = sampleDocument();
  const other = sampleDocument('samples/AGENTS.md');
  const srv = await server(demoBoot);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-startup-'));
  const runs: StartupRun[] = [];
  const ctx = await launch(profile);
  try {
    const page = await ctx.newPage();
    if (process.env.KVLENS_BENCH_DEBUG) {
      page.on('console', (m) => process.stderr.write(`  [page] ${m.text()}\n`));
      page.on('pageerror', (e) => process.stderr.write(`  [page error] ${e.message}\n`));
    }
    page.setDefaultTimeout(0);
    page.setDefaultNavigationTimeout(0);
    await page.goto(srv.url);
    runs.push(await openPanel(page, cold.doc, cold.hostMs, 'first'));
    // The panel keeps its first window's rows after its run (a user takes longer than that to reopen it).
    await keptRowsSaved(page);
    runs.push(await openPanel(page, warm.doc, warm.hostMs, 'reopen'));
    // The window reloaded: a new document of the workbench in the same browser (the panel's Cache Storage kept);
    // the panel is restored at once, and the extension host is new, so its tokenizer is cold again.
    await page.reload();
    runs.push(await openPanel(page, cold.doc, cold.hostMs, 'reload'));
    // A new window of the same VS Code (its webview caches kept), on another text; its extension host is new.
    await page.close();
    const win = await ctx.newPage();
    win.setDefaultTimeout(0);
    await win.goto(srv.url);
    runs.push(await openPanel(win, other.doc, other.hostMs, 'cold'));
  } finally {
    await ctx.close();
    srv.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  return runs;
}
