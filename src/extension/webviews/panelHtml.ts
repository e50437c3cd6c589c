import * as vscode from 'vscode';

/**
 * The one HTML frame of every KV Lens panel: a strict Content Security Policy with a per-load nonce (scripts only
 * from the extension's dist/webview with that nonce; `'wasm-unsafe-eval'` only for panels that run
 * onnxruntime-web), styles from the extension and the webview toolkit's constructable stylesheets, VS Code theme
 * variables, codicons. `localResourceRoots` is limited to dist/webview and media.
 */
export interface PanelFrame {
  /** dist/webview/<app>.js */
  readonly app: string;
  readonly title: string;
  /** Allow WebAssembly compilation (onnxruntime-web). */
  readonly wasm?: boolean;
  /** Data the app reads before its first message (JSON in a non-executed script element, id "boot"). */
  readonly boot?: unknown;
}

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

function nonce(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, frame: PanelFrame): string {
  const n = nonce();
  const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `script-src 'nonce-${n}'${frame.wasm ? " 'wasm-unsafe-eval'" : ''}`,
    `connect-src ${webview.cspSource}`,
    `worker-src ${webview.cspSource} blob:`,
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title}</title>
<link rel="stylesheet" href="${asset('dist', 'webview', 'codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset('media', 'webview.css')}">
</head>
<body>
<main id="app" aria-busy="true"><p class="muted">Loading…</p></main>
${frame.boot === undefined ? '' : `<script type="application/json" id="boot">${JSON.stringify(frame.boot).replace(/</g, '\\u003c')}</script>\n`}<script nonce="${n}" src="${asset('dist', 'webview', `${frame.app}.js`)}"></script>
</body>
</html>`;
}
