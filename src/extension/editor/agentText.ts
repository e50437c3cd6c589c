// An instruction file's placement in words: the editor's edge (lens, status bar, hover, quick pick) for core's typed
// FilePlacement. Nothing here decides anything; it says what core found.
import { HARNESS_DATA, type FilePlacement, type HarnessId, type LoadReason } from '../../core/agents';
import type { AgentPlacement } from '../analysis/agentPlacements';
import { count, usd } from '../../core/report/numbers';

/** The agent whose own file this is comes first (CLAUDE.md → Claude Code, AGENTS.md → Codex, …). */
const OWNER: Partial<Record<FilePlacement['kind'], HarnessId>> = {
  'claude-md': 'claude-code',
  'claude-local-md': 'claude-code',
  'claude-rule': 'claude-code',
  'agents-md': 'codex',
  'agents-override-md': 'codex',
  'copilot-instructions': 'copilot',
  instructions: 'copilot',
  agent: 'copilot',
  chatmode: 'copilot',
  prompt: 'copilot',
  'cursor-rule': 'cursor',
  cursorrules: 'cursor',
  'gemini-md': 'gemini-cli',
};

const loads = (p: FilePlacement) => p.loaded !== 'never';

/** The placements to show, the file's own agent first, then the others that load it by tokens; not-loaded ones last. */
export function ordered(a: AgentPlacement): FilePlacement[] {
  const all = [...a.placements];
  if (a.nested) {
    const i = all.findIndex((p) => p.harness === 'codex');
    if (i >= 0) all[i] = a.nested.placement;
  }
  const owner = all[0] ? OWNER[all[0].kind] : undefined;
  const rank = (p: FilePlacement) => (loads(p) ? (p.harness === owner ? 0 : 1) : 2);
  return all.sort((x, y) => rank(x) - rank(y) || y.tokens - x.tokens);
}

const k = (n: number) => (n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));

/** "≈12–20k tokens of system prompt and tools" (the fixed layers, a range with its source's confidence). */
export function fixedText(p: FilePlacement): string {
  const f = p.fixedBefore;
  return `≈${k(f.minTokens)}–${k(f.maxTokens)} tokens of system prompt and tools`;
}

/** Where the file's text lands: "first user message, after ≈12–20k tokens of system prompt and tools". */
export function whereText(p: FilePlacement, a?: AgentPlacement): string {
  const before = p.instructionTokensBefore
    ? ` and ${count(p.instructionTokensBefore)} tokens of other instructions`
    : '';
  const layers = HARNESS_DATA[p.harness].rules.layers.value;
  const envFirst = layers.indexOf('environment') < layers.indexOf('instructions') ? ', the environment' : '';
  const session = a?.nested && p.harness === 'codex' ? `in a session started in ${a.nested.folder}: ` : '';
  switch (p.loaded) {
    case 'always':
      return `${session}${roleText(p)}, after ${fixedText(p)}${envFirst}${before}`;
    case 'on-match':
      return `${session}added when a matching file is touched (${reasonText(p.reason)})`;
    case 'listing':
      return 'name and description listed for the model to choose from';
    case 'on-invoke':
      return 'when invoked: its body enters the conversation';
    case 'own-context':
      return "in the sub-agent's own request, not the main loop's";
    case 'manual':
      return `only when attached by hand (${reasonText(p.reason)})`;
    case 'never':
      return `not loaded (${reasonText(p.reason)})`;
  }
}

function roleText(p: FilePlacement): string {
  if (p.role === 'user') return 'first user message';
  if (p.role === 'system') return 'system message';
  if (p.role === 'developer') return 'developer message';
  return 'rules (placement not documented)';
}

/** Why a file is loaded the way it is, in a few words. */
export function reasonText(r: LoadReason): string {
  switch (r.why) {
    case 'root-to-cwd':
      return 'a folder the agent reads on its way to where it starts';
    case 'global':
      return 'your global file';
    case 'below-cwd':
      return `for work in ${r.folder.split('/').slice(-2).join('/')}`;
    case 'outside-chain':
      return 'outside the folders the agent reads';
    case 'shadowed':
      return `${r.by} is read instead`;
    case 'empty':
      return 'empty';
    case 'over-budget':
      return 'past the byte budget';
    case 'front-matter':
      return `${r.key}: ${JSON.stringify(r.value)}`;
    case 'globs':
      return `${r.globs.join(', ')}${r.matchesEverything ? ' matches every file' : ''}`;
    case 'no-front-matter':
      return 'no front matter';
    case 'skill-listing':
      return `skill "${r.name}"`;
    case 'sub-agent':
      return `sub-agent "${r.name}"${r.model ? ` on ${r.model}` : ''}`;
    case 'invoked':
      return 'invoked by name';
    case 'setting':
      return `setting ${r.setting}, ${r.defaultValue ? 'on' : 'off'} by default`;
    case 'fallback':
      return `read instead of ${r.instead}`;
    case 'imported':
      return `imported by ${r.by}`;
    case 'unreadable':
      return `not read: ${r.warning}`;
  }
}

/** "61 tokens in every request". */
export function tokensText(p: FilePlacement): string {
  const cut = p.bytesLost ? ` (${count(p.bytesLost)} bytes cut)` : '';
  return `${count(p.tokens)} tokens${p.loaded === 'always' ? ' in every request' : ''}${cut}`;
}

/** "$0.0008 per session". */
export function costText(p: FilePlacement): string | undefined {
  return p.cost ? `${usd(p.cost.totalUsd)} per session` : undefined;
}

/** How the per-session figure is made: one write at the TTL, one read per request, the requests' source. */
export function costDetail(p: FilePlacement): string | undefined {
  const c = p.cost;
  if (!c) return undefined;
  return `one ${c.ttl} cache write ${usd(c.writeUsd)} + ${c.requests - 1} reads ${usd(c.readsUsd)} at ${c.model}; ${c.requests} requests — ${c.requestsFrom === 'sessions' ? 'the median of your own sessions in this folder' : 'a default (no session of yours here)'}`;
}

/** When an edit reaches the model and what it re-writes. */
export function effectText(p: FilePlacement): string {
  if (p.invalidates.when === 'next-session')
    return 'an edit takes effect at the next session; running sessions keep their cache';
  const n = p.invalidates.instructionTokensAfter;
  const w = p.invalidates.writeUsd;
  return `an edit takes effect at the next turn: it re-writes everything from this file on — ≈${count(n)} tokens of instructions and the conversation so far — at the write price${w !== null ? ` (${usd(w)} for the instructions)` : ''}`;
}

/** The short form for the status bar. */
export function effectShort(p: FilePlacement): string {
  return p.invalidates.when === 'next-session' ? 'edit applies next session' : 'edit applies next turn';
}

/** The one line of a lens: "Claude Code · first user message, after … · 61 tokens in every request · $0.0008 per session". */
export function placementLine(p: FilePlacement, a?: AgentPlacement): string {
  return [
    p.displayName,
    whereText(p, a),
    ...(loads(p) ? [tokensText(p)] : []),
    ...(costText(p) ? [costText(p)!] : []),
  ].join(' · ');
}
