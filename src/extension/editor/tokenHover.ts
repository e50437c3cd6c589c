import * as vscode from 'vscode';
import { tokenAtSource } from '../../core/analysis/reportRanges';
import { idAt } from '../../core/cache/tokenSources';
import { FRAMING_ID_BASE } from '../../core/prompt/render';
import type { CacheAnalyses } from '../analysis/cacheAnalyses';
import { againstBaseline } from '../../core/report/baseline';
import { blockName, blockOfToken } from '../../core/report/blocks';
import { count } from '../../core/report/numbers';

/** Whitespace made visible, so a hover shows " the" and "\n\n" for what they are. */
export function visible(s: string): string {
  return s
    .replace(/ /g, '·')
    .replace(/\t/g, '→')
    .replace(/\r\n|\n|\r/g, '↵');
}

/**
 * Hover on any token of a prompt: its id and text, its index in the prompt as sent, and whether the provider reads it
 * from cache, writes it, or recomputes it — and why.
 */
export class TokenHover implements vscode.HoverProvider {
  constructor(
    private readonly analyses: CacheAnalyses,
    private readonly enabled: () => boolean,
  ) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!this.enabled()) return undefined;
    const a = this.analyses.get(doc);
    if (!a?.result.ok) return undefined;
    const r = a.result.value;
    const hit = tokenAtSource(r.rendered, doc.offsetAt(pos));
    if (!hit) return undefined;
    const rep = r.report;
    const i = hit.index;
    // Through the live path's runs when it has them: reading `ids` would build an array of every token.
    const id = idAt(r.rendered, i) ?? 0;
    const text = doc.getText(new vscode.Range(doc.positionAt(hit.start), doc.positionAt(hit.end)));
    const exact = rep.tokenizer.exact;
    const idText = id >= FRAMING_ID_BASE ? 'framing' : exact ? `id ${id}` : 'estimated token (no public id)';
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(
      `**KV Lens** token ${count(i + 1)} of ${count(rep.tokens)} · ${idText} · \`${rep.tokenizer.encoding}\`\n\n`,
    );
    md.appendCodeblock(visible(text).slice(0, 200) || '(part of the previous character)', 'text');
    md.appendMarkdown(`\n${this.why(a, i)}`);
    return new vscode.Hover(
      md,
      new vscode.Range(doc.positionAt(hit.start), doc.positionAt(Math.max(hit.end, hit.start + 1))),
    );
  }

  private why(a: NonNullable<ReturnType<CacheAnalyses['get']>>, i: number): string {
    if (!a.result.ok) return '';
    const r = a.result.value,
      rep = r.report;
    const block = blockName(blockOfToken(r, i));
    if (i < rep.cachedTokens)
      return `$(zap) **Read from cache** — in the first ${count(rep.cachedTokens)} tokens the provider serves from cache (${block === 'the prompt' ? 'of the prompt' : block}).`;
    if (i < rep.cachedTokens + rep.cacheWriteTokens)
      return `$(cloud-upload) **Written to cache** by this request (${block}), up to a cache breakpoint: read at the cache price on the next call.`;
    const d = rep.firstDivergence;
    if (d && i >= d.token)
      return `$(circle-slash) **Recomputed**: after the cache break at line ${d.line}, column ${d.column} — ${blockName(blockOfToken(r, d.token))} ${againstBaseline(r)}.`;
    const below = rep.warnings.find((w) => w.code === 'below-minimum');
    if (below) return `$(circle-outline) **Recomputed**: ${below.message}.`;
    if (rep.warnings.some((w) => w.code === 'no-breakpoint'))
      return '$(circle-outline) **Recomputed**: no cache breakpoint covers it (Anthropic caches only up to a `cache_control` breakpoint).';
    const m = a.model.ok ? a.model.model : undefined;
    if (m && m.cache.granularity > 1 && i < rep.reusablePrefixTokens)
      return `$(circle-outline) **Recomputed**: ${m.id} caches in steps of ${m.cache.granularity} tokens after the first ${count(m.cache.minTokens)}; this token is past the last whole step.`;
    return '$(circle-outline) **Recomputed**: after the part the provider can serve from cache.';
  }
}
