// The webview side of the host channel: typed postMessage and the panel's saved state (kept across reloads).
declare function acquireVsCodeApi<S>(): {
  postMessage(msg: unknown): void;
  getState(): S | undefined;
  setState(s: S): void;
};

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
  return (
    getComputedStyle(document.documentElement)
      .getPropertyValue(`--vscode-${name.replace(/\./g, '-')}`)
      .trim() || fallback
  );
}

/** A chart's text and grid colours in the current theme (read when the chart is built). */
export function chartColors(): { fg: string; grid: string } {
  return { fg: themeColor('foreground', '#cccccc'), grid: themeColor('editorWidget.border', '#454545') };
}

/**
 * The panels' state loop: each `{type: 'state'}` message from the host replaces the state, is saved (so the panel
 * restores after a reload) and rendered; the saved state is rendered at once; then the host is told the app is ready.
 */
export function followState<S>(ch: Channel<{ type: 'ready' }, { state?: S }>, apply: (s: S) => void): void {
  window.addEventListener('message', (ev: MessageEvent<{ type?: string; state?: S }>) => {
    if (ev.data?.type !== 'state' || ev.data.state === undefined) return;
    ch.save({ state: ev.data.state });
    apply(ev.data.state);
  });
  const saved = ch.saved()?.state;
  if (saved !== undefined) apply(saved);
  ch.post({ type: 'ready' });
}

/**
 * Calls `redraw` after the colour theme changes. VS Code switches themes in a live webview by rewriting the
 * `--vscode-*` variables on <html> and the body's theme class, so canvases (which read colours once per draw) are
 * redrawn then; several attribute writes of one switch make one call, on the next frame.
 */
export function onThemeChange(redraw: () => void): void {
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      redraw();
    });
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: ['class', 'data-vscode-theme-kind', 'data-vscode-theme-id'],
  });
}
