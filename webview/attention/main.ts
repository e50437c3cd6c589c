// The attention panel: the heat map of one layer and head (or the mean over heads) for the prompt in the editor, the
// provider's cache boundary on it, how much of the uncached tokens' attention falls on the cached prefix, and the
// panel's own prompt cache at work. Keyboard: the map takes focus; arrows move a cell, Enter reveals the query token
// in the editor, Shift+Enter the key token; tokens in the strip are buttons.
//
// Start-up: the runtime's WebAssembly and the model start loading here, from what the host wrote into the HTML,
// before the first message — the host tokenizes the text meanwhile.
import type { AttentionBoot, AttentionSaved, AttentionViewToHost, HostToAttentionView } from '../../src/protocol';
import { channel, onThemeChange } from '../shared/vscodeApi';
import { AttentionApp } from './app';

const scriptMs = performance.now();
const boot = JSON.parse(document.getElementById('boot')?.textContent ?? 'null') as AttentionBoot | null;
const ch = channel<AttentionViewToHost, AttentionSaved>();
const root = document.getElementById('app')!;
if (!boot) root.textContent = 'The panel was opened without its runtime (no boot data in its HTML).';
else {
  const app = new AttentionApp(root, ch, boot.runtime, scriptMs);
  app.runner.start(boot.model);
  window.addEventListener('message', (ev: MessageEvent<HostToAttentionView>) => app.onMessage(ev.data));
  window.addEventListener('resize', () => app.render());
  // A theme switch while the panel is open: the heat map is a canvas and keeps the old colours until redrawn.
  onThemeChange(() => app.repaint());
  ch.post({ type: 'ready', at: performance.now() });
}
