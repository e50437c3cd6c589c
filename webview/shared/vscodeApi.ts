// The webview side of the host channel: typed postMessage and the panel's saved state (kept across reloads).
declare function acquireVsCodeApi<S>(): { postMessage(msg: unknown): void; getState(): S | undefined; setState(s: S): void };

export interface Channel<ToHost, Saved> {
  post(msg: ToHost): void;
  saved(): Saved | undefined;
  save(s: Saved): void;
}

let api: ReturnType<typeof acquireVsCodeApi<unknown>> | undefined;

export function channel<ToHost, Saved>(): Channel<ToHost, Saved> {
  api ??= acquireVsCodeApi<unknown>();
  const a = api;
  return { post: (m) => a.postMessage(m), saved: () => a.getState() as Saved | undefined, save: (s) => a.setState(s) };
}

/** A theme colour as the webview sees it (VS Code sets --vscode-* variables on the document). */
export function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(`--vscode-${name.replace(/\./g, '-')}`).trim() || fallback;
}
