import * as vscode from 'vscode';
import { pricesFor } from '../../core/pricing/cost';
import { errorBandFor } from '../../core/tokenizer/errorBand';
import { getTokenizer } from '../../core/tokenizer/registry';
import type { Analysis, CacheAnalyses } from '../analysis/cacheAnalyses';
import { NO_EARLIER_VERSION, STEADY_MEANS, steadyNote, stepWords } from '../../core/report/baseline';
import { breakpointNote, breakReason, minimumNote } from '../../core/report/cacheNotes';
import { count, share, tokens, usd } from '../../core/report/numbers';

const MAX_BLOCK_LENSES = 200;

function band(a: Analysis): number | undefined {
  if (!a.result.ok) return undefined;
  const t = getTokenizer(a.result.value.report.tokenizer.encoding);
  return t && errorBandFor(t, a.result.value.report.blocks);
}

/**
 * CodeLens: a summary over the prompt (and, once, how far it is below the model's cache minimum), and over each block
 * of a structured prompt its tokens, how many are read from / written to cache, and its share of the input cost.
 */
export class PromptLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly analyses: CacheAnalyses,
    private readonly enabled: () => boolean,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.enabled()) return [];
    // The newest analysis, even while the next one runs: lenses sit on lines, which an edit rarely moves far.
    const a = this.analyses.get(doc) ?? this.analyses.last(doc);
    if (!a?.result.ok || !a.model.ok) return [];
    const r = a.result.value,
      rep = r.report,
      model = a.model.model,
      ex = rep.tokenizer.exact;
    const prompt = r.version.prompts[r.version.prompts.length - 1];
    const first = prompt?.blocks[0]?.range.start ?? 0;
    const top = new vscode.Range(doc.positionAt(first).line, 0, doc.positionAt(first).line, 0);
    const lenses: vscode.CodeLens[] = [];
    const cached = `KV Lens: ${tokens(rep.cachedTokens, ex)}/${tokens(rep.tokens, ex)} tokens cached (${share(rep.cachedTokens, rep.tokens)})`;
    const steady = rep.baseline.kind === 'steady' ? steadyNote(a.baseline.steady) : undefined;
    // Edited, and still no break: there is nothing earlier to compare with. Said here, where the eye is after typing,
    // in place of the cost (the status bar keeps it), with the two commands that give the prompt a baseline.
    if (steady?.noEarlierVersion && doc.version > 1) {
      const tooltip = `Baseline: steady state (${STEADY_MEANS}) — ${steady.why}.`;
      lenses.push(
        new vscode.CodeLens(top, {
          title: `${cached} · steady state: ${NO_EARLIER_VERSION}`,
          command: 'kvlens.showActions',
          tooltip,
        }),
        new vscode.CodeLens(top, {
          title: 'Record as Sent',
          command: 'kvlens.recordAsSent',
          tooltip: `Record as Sent ${stepWords('record')}`,
        }),
        new vscode.CodeLens(top, {
          title: 'Choose Baseline…',
          command: 'kvlens.chooseBaseline',
          tooltip: `Choose Baseline ${stepWords('choose')}`,
        }),
      );
    } else {
      const summary =
        cached +
        (rep.cost ? ` · ${usd(rep.cost.withCache)} vs ${usd(rep.cost.uncached)} per call` : '') +
        ` · ${model.id}`;
      lenses.push(new vscode.CodeLens(top, { title: summary, command: 'kvlens.showActions' }));
    }
    const below = minimumNote(rep.tokens, model, ex, band(a));
    if (below) lenses.push(new vscode.CodeLens(top, { title: `$(warning) ${below}`, command: 'kvlens.selectModel' }));
    // Where the cache breaks, always visible (the end-of-line note can run off a long line).
    const why = breakReason(r, model.cache.minTokens);
    if (why && rep.firstDivergence) {
      const line = rep.firstDivergence.line - 1;
      lenses.push(
        new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: `$(debug-breakpoint-unverified) ${why[0].toUpperCase()}${why.slice(1)}`,
          command: 'kvlens.chooseBaseline',
        }),
      );
    }
    const structured =
      (prompt?.blocks.length ?? 0) > 1 || /prompty|github|anthropic|openai|gemini/.test(prompt?.format ?? '');
    if (!structured || !prompt) return lenses;
    // Now: the per-block shares follow time-of-day and scheduled prices as the report's total does.
    const p = pricesFor(model, rep.tokens, undefined, Date.now());
    const cost = (b: (typeof rep.blocks)[number]) =>
      b.cachedTokens * Number(p.cachedInput) +
      b.cacheWriteTokens * Number(p.cacheWrite) +
      (b.tokens - b.cachedTokens - b.cacheWriteTokens) * Number(p.input);
    const total = rep.blocks.reduce((s, b) => s + cost(b), 0);
    rep.blocks.slice(0, MAX_BLOCK_LENSES).forEach((b, i) => {
      const block = prompt.blocks[i];
      if (!block) return;
      const line = doc.positionAt(block.range.start).line;
      const parts = [`${b.label}: ${tokens(b.tokens, ex)} tokens`];
      if (b.cachedTokens) parts.push(`${count(b.cachedTokens)} cached`);
      if (b.cacheWriteTokens) parts.push(`${count(b.cacheWriteTokens)} written`);
      const rest = b.tokens - b.cachedTokens - b.cacheWriteTokens;
      if (rest) parts.push(`${count(rest)} uncached`);
      if (total > 0) parts.push(`${Math.round((100 * cost(b)) / total)}% of input cost`);
      lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: parts.join(' · '), command: '' }));
    });
    return lenses;
  }
}

/** Inlay hints at each cache breakpoint: tokens up to there, TTL, and whether that prefix reaches the minimum. */
export class BreakpointHints implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(private readonly analyses: CacheAnalyses) {}

  refresh(): void {
    this.changed.fire();
  }

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const a = this.analyses.get(doc);
    if (!a?.result.ok || !a.model.ok) return [];
    const r = a.result.value,
      ex = r.report.tokenizer.exact;
    const prompt = r.version.prompts[r.version.prompts.length - 1];
    const out: vscode.InlayHint[] = [];
    for (const bp of r.rendered.breakpoints) {
      const block = prompt?.blocks[bp.block];
      if (!block) continue;
      const pos = doc.positionAt(block.range.end);
      if (!range.contains(pos)) continue;
      const hint = new vscode.InlayHint(pos, `⟵ ${breakpointNote(bp.token, bp.ttl, a.model.model, ex, band(a))}`);
      hint.paddingLeft = true;
      hint.paddingRight = true;
      out.push(hint);
    }
    return out;
  }
}
