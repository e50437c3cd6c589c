// The two caches in words, each labelled, so they never read as one: the provider's (what the editor's report says
// it would read from its cache, drawn as the dashed line) and the panel's own (what its last run reused).
import type { AttentionDocumentView } from '../../src/protocol';
import { el } from '../shared/dom';
import { count } from '../shared/format';
import { prefixShare } from './derived';
import type { AttentionState } from './state';

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;
const label = (text: string) => el('strong', { class: 'which' }, `${text}: `);

/** What the provider would read from its cache, from the editor's report. */
function providerWords(doc: AttentionDocumentView): (Node | string)[] {
  const p = doc.provider;
  if (!p)
    return ['no cache report for this file (KV Lens analyzes prompt files; "KV Lens: Inspect This File" adds others).'];
  const model = `${p.model}'s`;
  if (p.cachedTokens === 0)
    return [`nothing of this prompt would be read from ${model} cache (${p.baseline}): every token is computed.`];
  if (p.cachedTokens >= p.tokens)
    return [`all ${count(p.tokens)} tokens would be read from ${model} cache (${p.baseline}).`];
  return [
    `${count(p.cachedTokens)} of ${count(p.tokens)} tokens would be read from ${model} cache (${p.baseline}). `,
    el('span', { class: 'legend-line' }),
    " The dashed line marks where that part ends in GPT-2's tokens.",
  ];
}

export class Summary {
  private readonly cache = el('p', { id: 'cache', 'aria-live': 'polite' });
  private readonly kv = el('p', { id: 'kv', 'aria-live': 'polite' });
  readonly nodes: HTMLElement[] = [this.cache, this.kv];

  private shown: unknown[] = [];

  render(s: AttentionState): void {
    const { run, model } = s,
      doc = run?.doc ?? s.doc;
    // A new text alone changes nothing here until it has run: the words follow the run shown.
    const key = [run, run?.verification, doc, model, s.layer];
    if (key.every((k, i) => k === this.shown[i])) return;
    this.shown = key;
    this.cache.hidden = !doc;
    this.kv.hidden = !run;
    if (!doc) return;
    const S = run?.result.tokens ?? doc.tokens.length,
      boundary = doc.cacheBoundary;
    const share = run && model ? prefixShare(run, model.shape.heads, boundary) : null;
    this.cache.replaceChildren(
      label('At the provider'),
      ...providerWords(doc),
      ...(share !== null
        ? [
            el('br'),
            el(
              'strong',
              { id: 'prefix-share' },
              `The ${count(S - boundary!)} tokens after the line put ${pct(share)} of their attention on the tokens before it`,
            ),
            ` (layer ${s.layer}, mean over heads): the part whose keys and values the provider keeps, so it need not compute them again.`,
          ]
        : doc.provider && boundary !== null && boundary >= S && boundary > 0
          ? [el('br'), el('span', { class: 'muted' }, `All ${count(S)} tokens shown are in that cached part.`)]
          : []),
      ...(doc.cutTokens
        ? [
            el('br'),
            el(
              'span',
              { class: 'muted' },
              `GPT-2 reads the first ${count(doc.tokens.length)} tokens; the ${doc.cutTokensEstimated ? '≈' : ''}${count(doc.cutTokens)} after them are not shown.`,
            ),
          ]
        : []),
    );
    if (!run) return;
    const r = run.result,
      v = run.verification,
      whole = run.whole;
    if (run.kept) {
      this.kv.replaceChildren(
        label('In this panel'),
        el('strong', { id: 'reused' }, `Kept rows of ${count(r.tokens)} tokens`),
        ` read in ${ms(r.ms)}: an earlier panel computed the heat map of exactly these tokens (the model is causal, so the rows are the same); the model is loading to run the whole text.`,
      );
      return;
    }
    const words =
      r.reused === 0
        ? whole
          ? ` in ${ms(r.ms)}: a first run, nothing was kept from before. The panel keeps their keys and values, so after an edit it computes only the tokens from the change on.`
          : ` in ${ms(r.ms)}: the part on screen first; the rest of the text is running.`
        : ` in ${ms(r.ms)}${v ? ` instead of ${ms(v.fullMs)} for the whole text (${pct(r.ms / Math.max(v.fullMs, 1e-3))})` : ''}: the keys and values of the unchanged start came from the panel's own cache, as a provider's prompt cache serves them.`;
    this.kv.replaceChildren(
      label('In this panel'),
      el('strong', { id: 'reused' }, `Reused ${count(r.reused)} tokens, computed ${count(r.computed)}`),
      words,
      ...(r.reused > 0
        ? [
            ' ',
            v
              ? el(
                  'span',
                  { id: 'delta' },
                  `Same result as computing everything again: the next-token scores (logits) differ by at most ${v.maxAbsDiffLogits.toExponential(1)}, the attention by ${v.maxAbsDiffAttention.toExponential(1)}.`,
                )
              : el('span', { class: 'muted', id: 'checking' }, 'Checking against a full run…'),
          ]
        : []),
    );
  }
}
