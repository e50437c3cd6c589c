import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { KEPT_ROWS } from '../../webview/attention/rowCache';

/** The repository root (test bundles run from the out folder, so look for package.json upwards). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.html': 'text/html',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
};

/**
 * Serves dist/ and media/ on 127.0.0.1 and a page that stands in for a VS Code webview: the same strict CSP the
 * extension sets, the theme variables, and an `acquireVsCodeApi` that records what the app posts.
 */
export async function webviewPage(
  app: string,
  theme: Record<string, string> = {},
  extraCsp = '',
  /** patient: no time limit on loading (the benchmark, on a machine busy with other work). */
  opts: { webgpu?: boolean; script?: string; boot?: unknown; init?: string; patient?: boolean } = {},
): Promise<{ page: Page; posted: () => Promise<unknown[]>; close: () => Promise<void> }> {
  const root = repoRoot();
  const vars = {
    foreground: '#cccccc',
    'editor-background': '#1e1e1e',
    descriptionForeground: '#9d9d9d',
    'charts-blue': '#3794ff',
    'charts-orange': '#d18616',
    'editorWidget-border': '#454545',
    focusBorder: '#007fd4',
    ...theme,
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      const style = Object.entries(vars)
        .map(([k, v]) => `--vscode-${k}: ${v};`)
        .join(' ');
      res.writeHead(200, {
        'Content-Type': 'text/html',
        'Content-Security-Policy': `default-src 'none'; img-src 'self' data:; font-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'nonce-test'${extraCsp}; connect-src 'self'; worker-src 'self' blob:`,
      });
      res.end(`<!doctype html><html style="${style}"><head><link rel="stylesheet" href="/dist/webview/codicon.css" id="vscode-codicon-stylesheet"><link rel="stylesheet" href="/media/webview.css"></head>
<body><main id="app"></main>${opts.boot === undefined ? '' : `<script type="application/json" id="boot">${JSON.stringify(opts.boot).replace(/</g, '\\u003c')}</script>`}<script nonce="test">window.__posted = []; window.__state = undefined;
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });</script>
<script nonce="test" src="${opts.script ?? `/dist/webview/${app}.js`}"></script></body></html>`);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = path.join(root, url.pathname);
    if (!file.startsWith(root) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    ...(opts.patient ? { timeout: 0 } : {}),
    // WebGPU runs on SwiftShader (a CPU Vulkan) in headless Chromium with these flags; the other tests keep the GPU off.
    args: [
      '--no-sandbox',
      ...(opts.webgpu ? ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'] : ['--disable-gpu']),
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  if (opts.init) await page.addInitScript(opts.init);
  if (opts.patient) {
    page.setDefaultTimeout(0);
    page.setDefaultNavigationTimeout(0);
  }
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  return {
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted),
    close: async () => {
      await browser.close();
      server.close();
      if (errors.length) throw new Error(`page errors: ${errors.join(' | ')}`);
    },
  };
}

export const tmpDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-browser-'));

/**
 * Waits until the attention panel has kept its first window's rows for layer 0 (webview/attention/rowCache.ts): they
 * are written after its run, and a user takes longer than that to close and reopen the panel.
 */
export const keptRowsSaved = (page: Page) =>
  page.waitForFunction(
    ({ db, store, key }) =>
      new Promise<boolean>((resolve) => {
        const o = indexedDB.open(db, 1);
        o.onupgradeneeded = () => o.result.createObjectStore(store);
        o.onsuccess = () => {
          const get = o.result.transaction(store).objectStore(store).get(key);
          get.onsuccess = () => resolve(!!get.result);
          get.onerror = () => resolve(false);
        };
        o.onerror = () => resolve(false);
      }),
    { db: KEPT_ROWS.db, store: KEPT_ROWS.store, key: KEPT_ROWS.key(0) },
  );
