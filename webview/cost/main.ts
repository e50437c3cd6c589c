import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { CostReportState, CostViewToHost } from '../../src/protocol';
import { channel, followState, onThemeChange } from '../shared/vscodeApi';
import { CostApp } from './app';

// The cost report's webview: per model side by side (or as cards in a narrow panel), inputs that recompute live (the
// host recomputes with core, so the figures are `kvlens cost`'s), a cumulative-cost chart, the workspace table,
// sources. This file only connects the app (app.ts: one state, one render) to the host, the panel's size and the
// theme. Keyboard: every control is a button, field or select in tab order; table headers sort with Enter or Space.

const ch = channel<CostViewToHost, { state?: CostReportState }>();
const root = document.getElementById('app')!;
root.removeAttribute('aria-busy');
const app = new CostApp(root, ch);
// A side panel resized across the point where the figures fit: columns or cards, a flat or a stacked table.
new ResizeObserver(() => app.update({ width: app.results.clientWidth })).observe(app.results);
onThemeChange(() => app.retheme());
followState<CostReportState>(ch, (report) => app.update({ report, width: app.results.clientWidth }));
