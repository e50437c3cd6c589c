import * as vscode from 'vscode';
import { dirnameOf, joinPath } from '../../core/agents/agentFs';
import { claudeImports } from '../../core/agents/imports';
import { HARNESS_NAMES, warningMessage, type AgentFile } from '../../core/agents';
import type { AgentPlacements } from '../analysis/agentPlacements';
import { costText, effectText, ordered, reasonText, tokensText, whereText } from './agentText';
import { count } from '../../core/report/numbers';

const md = (s: string) => s.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');

/**
 * Hover in an open instruction file: on a part never sent, which agent cuts it and why; on the front matter, what its
 * settings make the agents do; on an `@import`, the file it brings and its tokens; elsewhere, where the text lands in
 * each agent's request.
 */
export class AgentHover implements vscode.HoverProvider {
  constructor(
    private readonly placements: AgentPlacements,
    private readonly enabled: () => boolean,
  ) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!this.enabled() || !this.placements.isInstructionFile(doc)) return undefined;
    const a = this.placements.get(doc);
    if (!a) return undefined;
    const at = doc.offsetAt(pos);
    const all = ordered(a);
    const out = new vscode.MarkdownString(undefined, true);
    const line = doc.lineAt(pos.line).range;

    const cut = a.ranges.cut.find((c) => at >= c.start && at < c.end);
    if (cut) {
      const w = [...a.warnings, ...(a.nested?.warnings ?? [])].find(
        (x) =>
          x.harness === cut.harness &&
          (cut.why === 'budget' ? x.code === 'budget-truncated' : x.code === 'skill-description-truncated'),
      );
      const senders = all.filter(
        (p) => p.harness !== cut.harness && (p.loaded === 'always' || p.loaded === 'on-match'),
      );
      out.appendMarkdown(
        `$(circle-slash) **Never sent by ${HARNESS_NAMES[cut.harness]}** — ${md(w ? warningMessage(w) : 'past its limit')}${senders.length ? `\n\n${senders.map((p) => p.displayName).join(', ')} ${senders.length === 1 ? 'sends' : 'send'} it.` : ''}`,
      );
      return new vscode.Hover(out, new vscode.Range(doc.positionAt(cut.start), doc.positionAt(cut.end)));
    }

    const fm = a.ranges.frontMatter;
    if (fm && at < fm[1]) {
      out.appendMarkdown("**Front matter** — the file's settings for the agents, not sent as instructions.\n\n");
      for (const p of all) out.appendMarkdown(`- ${md(p.displayName)}: ${md(whereText(p, a))}\n`);
      return new vscode.Hover(out, new vscode.Range(doc.positionAt(0), doc.positionAt(fm[1])));
    }

    const imp = claudeImports(doc.lineAt(pos.line).text).find(
      (i) => pos.character >= i.start && pos.character <= i.end,
    );
    if (imp) {
      const f = this.imported(
        a.ctx.harnesses.flatMap((h) => h.files),
        a.path,
        imp.path,
      );
      out.appendMarkdown(
        f
          ? `**@${md(imp.path)}** — Claude Code sends \`${md(f.path)}\` as an entry of its own after this file: ${count(f.tokens)} tokens, ${f.loaded === 'always' ? 'in every request' : reasonText(f.reason)}.`
          : `**@${md(imp.path)}** — not loaded (the Problems panel says why).`,
      );
      return new vscode.Hover(out, new vscode.Range(pos.line, imp.start, pos.line, imp.end));
    }

    const loading = all.filter((p) => p.loaded !== 'never');
    if (!loading.length) return undefined;
    const inSent = a.ranges.sent.some(([s, e]) => at >= s && at < e);
    out.appendMarkdown(
      `${inSent ? '$(zap) **Sent**' : '**Not sent**'} — ${inSent ? 'this text reaches the model:' : 'loaded by:'}\n\n`,
    );
    for (const p of loading) {
      const cost = costText(p);
      out.appendMarkdown(
        `- **${md(p.displayName)}** · ${md(whereText(p, a))} · ${md(tokensText(p))}${cost ? ` · ${md(cost)}` : ''}\n`,
      );
    }
    const first = loading[0];
    out.appendMarkdown(`\n${md(effectText(first).replace(/^an edit/, `${first.displayName}: an edit`))}`);
    return new vscode.Hover(out, line);
  }

  /** The imported file an `@path` in this file brought (Claude Code lists it as imported, by its absolute path). */
  private imported(files: readonly AgentFile[], from: string, path: string): AgentFile | undefined {
    const abs = joinPath(dirnameOf(from), path);
    return files.find((f) => f.abs === abs && f.reason.why === 'imported');
  }
}
