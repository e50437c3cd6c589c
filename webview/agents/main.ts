import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { AgentContextState, AgentFileView, AgentHarnessView, AgentsViewToHost } from '../../src/protocol';
import { el } from '../shared/dom';
import { count, usd } from '../shared/format';
import { channel, followState } from '../shared/vscodeApi';

// The Agent Context view: per coding agent, the request it sends as a stacked bar — system prompt and tools, each
// always-loaded instruction file, environment, conversation — the part read from the cache marked, and a table of the
// files with their tokens and cost per session. Widths grow with the square root of the tokens, so a 40-token rule is
// visible beside 15,000 tokens of system prompt; a click on a file opens it. One state, one render.

const ch = channel<AgentsViewToHost, { state?: AgentContextState }>();
let state: AgentContextState | undefined;

const app = document.getElementById('app')!;
app.removeAttribute('aria-busy');
app.classList.add('agents');
const title = el('h1', { id: 'title' });
const note = el('p', { class: 'muted', id: 'note' });
const refresh = document.createElement('vscode-button');
refresh.id = 'refresh';
refresh.setAttribute('secondary', '');
refresh.setAttribute('icon', 'refresh');
refresh.textContent = 'Refresh';
refresh.addEventListener('click', () => ch.post({ type: 'refresh' }));
const list = el('div', { id: 'harnesses' });
const problems = el('section', { id: 'problems' });
app.replaceChildren(title, note, el('div', { class: 'toolbar' }, refresh), list, problems);

const open = (f: AgentFileView) => {
  if (f.openable) ch.post({ type: 'openFile', file: f.path });
};
const k = (n: number) => (n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));
/** Width of a segment: √tokens (at least a sliver), so small files stay visible beside the system prompt. */
const grow = (tokens: number) => Math.max(1.5, Math.sqrt(Math.max(0, tokens)));
const fileName = (p: string) => p.split('/').pop() ?? p;
const LOADED: Record<string, string> = {
  always: 'every request',
  'on-match': 'when a matching file is touched',
  'on-invoke': 'when invoked',
  listing: 'name and description listed',
  'own-context': "sub-agent's own context",
  manual: 'attached by hand',
  never: 'not loaded',
};

function segment(cls: string, tokens: number, label: string, tip: string, cached: boolean): HTMLElement {
  return el(
    'div',
    { class: `seg ${cls}${cached ? ' cached' : ''}`, style: `flex-grow:${grow(tokens).toFixed(2)}`, title: tip },
    el('span', { class: 'seg-label' }, label),
  );
}

function bar(h: AgentHarnessView): HTMLElement {
  const always = h.files
    .filter((f) => f.loaded === 'always' && f.order !== null)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const parts: HTMLElement[] = [];
  for (const layer of h.layers) {
    if (layer === 'tools') continue; // drawn with the system prompt: the harness's fixed part
    if (layer === 'system') {
      const mid = (h.fixed.minTokens + h.fixed.maxTokens) / 2;
      parts.push(
        segment(
          'fixed',
          mid,
          `system prompt + tools ≈${k(h.fixed.minTokens)}–${k(h.fixed.maxTokens)}`,
          `System prompt and tools: ≈${count(h.fixed.minTokens)}–${count(h.fixed.maxTokens)} tokens (${h.fixed.confidence}; ${h.fixed.source})`,
          true,
        ),
      );
    } else if (layer === 'instructions') {
      always.forEach((f, i) => {
        const b = el(
          'button',
          {
            type: 'button',
            class: `seg file${i % 2 ? ' alt' : ''}${f.bytesLost ? ' cut' : ''} cached`,
            style: `flex-grow:${grow(f.tokens).toFixed(2)}`,
            title: `${f.path}: ${count(f.tokens)} tokens in every request${f.costUsd !== null ? `, ${usd(f.costUsd)} per session` : ''}${f.bytesLost ? `; ${count(f.bytesLost)} bytes never sent (budget)` : ''}${f.openable ? ' — click to open' : ''}`,
            'data-file': f.path,
            'aria-label': `${f.path}, ${count(f.tokens)} tokens`,
          },
          el('span', { class: 'seg-label' }, fileName(f.path)),
        );
        if (f.openable) b.addEventListener('click', () => open(f));
        else b.setAttribute('disabled', '');
        parts.push(b);
      });
      if (!always.length) parts.push(segment('none', 1, '', 'No instruction file is sent in every request', false));
    } else if (layer === 'environment')
      parts.push(
        segment(
          'env',
          400,
          'environment',
          'Environment: working folder, date, git status … (not to scale; it changes between sessions)',
          true,
        ),
      );
    else
      parts.push(
        segment(
          'conv',
          6000,
          'conversation',
          'Conversation: your prompts, tool calls and results (not to scale; read from cache up to the previous turn)',
          false,
        ),
      );
  }
  return el(
    'div',
    {
      class: 'bar',
      role: 'group',
      'aria-label': `${h.displayName}'s request, first to last: ${h.layers.join(', ')}`,
    },
    ...parts,
  );
}

function harness(h: AgentHarnessView): HTMLElement {
  const c = h.cost;
  const requests = c
    ? `${c.requests} requests (${c.requestsFrom === 'sessions' ? `median of your ${h.sessions?.count ?? ''} sessions here` : 'a default: no session of yours here'})`
    : '';
  const summary = el(
    'p',
    { class: 'summary' },
    h.instructionTokens !== null
      ? `Instructions: ${count(h.instructionTokens)} tokens as ${h.role ?? 'an undocumented role'} in every request`
      : 'No instruction file in every request',
    c
      ? ` · ${usd(c.totalUsd)} per session at ${c.model}: one ${c.ttl} cache write ${usd(c.writeUsd)}, ${c.requests - 1} reads ${usd(c.readsUsd)}; ${requests}`
      : '',
    ` · an edit takes effect at the ${h.takesEffect === 'next-turn' ? 'next turn (it re-writes from that file on)' : 'next session (running sessions keep their cache)'}`,
  );
  const shown = h.files.filter((f) => f.loaded !== 'never');
  const hidden = h.files.length - shown.length;
  const rows = shown.map((f) => {
    const name = f.openable
      ? el('button', { type: 'button', class: 'link', 'data-file': f.path }, f.path)
      : el('span', {}, f.path);
    if (f.openable) name.addEventListener('click', () => open(f));
    return el(
      'tr',
      { class: f.bytesLost ? 'cut' : '' },
      el('td', {}, name),
      el('td', {}, LOADED[f.loaded] ?? f.loaded),
      el('td', { class: 'num' }, count(f.tokens)),
      el('td', { class: 'num' }, f.costUsd !== null ? usd(f.costUsd) : '–'),
    );
  });
  return el(
    'section',
    { class: 'harness', 'data-harness': h.harness },
    el(
      'h2',
      {},
      el('span', { class: 'codicon codicon-hubot', 'aria-hidden': 'true' }),
      ` ${h.displayName} `,
      el('span', { class: 'muted model' }, `${h.model} · rules for ${h.version}`),
    ),
    bar(h),
    el(
      'p',
      { class: 'legend muted' },
      el('span', { class: 'swatch cached-mark' }),
      ' read from the cache on every request of a session (the conversation up to the previous turn)',
    ),
    summary,
    el(
      'div',
      { class: 'scroll' },
      el(
        'table',
        { class: 'grid files' },
        el(
          'thead',
          {},
          el('tr', {}, ...['file', 'loaded', 'tokens', 'per session'].map((t) => el('th', { scope: 'col' }, t))),
        ),
        el('tbody', {}, ...rows),
      ),
    ),
    ...(hidden
      ? [el('p', { class: 'muted' }, `${hidden} more file${hidden === 1 ? '' : 's'} recognised but not loaded here.`)]
      : []),
    ...(h.warnings
      ? [
          el(
            'p',
            { class: 'muted' },
            `${h.warnings} warning${h.warnings === 1 ? '' : 's'}: open the files to see them.`,
          ),
        ]
      : []),
  );
}

function render(): void {
  if (!state) return;
  title.textContent = `Agent Context — ${state.folder}`;
  note.textContent = `What each coding agent sends when started in ${state.folder}, first to last; widths grow with √tokens.${state.trusted ? '' : ' Restricted Mode: parent folders and global instruction files are not read.'}`;
  list.replaceChildren(
    ...(state.harnesses.length
      ? state.harnesses.map(harness)
      : [el('p', { class: 'muted' }, 'No coding agent finds an instruction file here (CLAUDE.md, AGENTS.md, …).')]),
  );
  problems.replaceChildren(
    ...(state.problems.length
      ? [el('h2', {}, 'Not read'), ...state.problems.map((p) => el('p', { class: 'problem' }, p))]
      : []),
  );
}

followState<AgentContextState>(ch, (next) => {
  state = next;
  render();
});
