import * as vscode from 'vscode';
import { warningMessage } from '../../core/agents';
import type { AgentPlacement } from '../analysis/agentPlacements';
import { costDetail, costText, effectShort, effectText, ordered, tokensText, whereText } from './agentText';
import { count } from '../../core/report/numbers';

/** Keeps text from a user's files from being read as Markdown. */
const md = (s: string) => s.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');

/**
 * The status bar item of an open instruction file: the file's own agent, its tokens, its cost per session and when an
 * edit applies; the tooltip is the table of every agent. A click opens the Agent Context view.
 */
export class AgentStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kvlens.agents', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'KV Lens: agent instruction file';
    this.item.command = 'kvlens.agentPlacements';
  }

  show(a: AgentPlacement): void {
    const all = ordered(a);
    const first = all[0];
    const others = all.slice(1).filter((p) => p.loaded !== 'never').length;
    if (!first || first.loaded === 'never') {
      this.item.text = '$(hubot) not loaded by any agent here';
    } else {
      const cost = costText(first);
      this.item.text = `$(hubot) ${first.displayName}: ${count(first.tokens)} tokens${cost ? ` · ${cost.replace(' per session', '/session')}` : ''} · ${effectShort(first)}${others ? ` · +${others} agent${others === 1 ? '' : 's'}` : ''}`;
    }
    this.item.tooltip = this.tooltip(a);
    this.item.accessibilityInformation = {
      label: `KV Lens: ${this.item.text.replace('$(hubot) ', '')}`,
      role: 'button',
    };
    this.item.show();
    this.shown = true;
  }

  private tooltip(a: AgentPlacement): vscode.MarkdownString {
    const tip = new vscode.MarkdownString(undefined, true);
    tip.isTrusted = { enabledCommands: ['kvlens.showAgentContext', 'kvlens.agentPlacements'] };
    const rows = [`**KV Lens** — \`${md(a.label)}\` in each coding agent's request`, ''];
    for (const p of ordered(a)) {
      rows.push(`**${md(p.displayName)}** — ${md(whereText(p, a))}`, '');
      if (p.loaded === 'never') continue;
      rows.push(`- ${md(tokensText(p))}${p.role ? ` as ${p.role}` : ''}`);
      const detail = costDetail(p);
      if (detail) rows.push(`- ${md(costText(p)!)}: ${md(detail)}`);
      rows.push(`- ${md(effectText(p))}`);
      if (p.loaded === 'always')
        rows.push(
          `- the system prompt and tools in front: a${p.fixedBefore.confidence === 'assumed' ? 'n assumed' : p.fixedBefore.confidence === 'official' ? 'n official' : ' third-party'} figure ([source](${p.fixedBefore.source.split(' ')[0]}))`,
        );
      rows.push('');
    }
    for (const w of a.warnings.slice(0, 4)) rows.push(`$(warning) ${md(warningMessage(w))}`, '');
    if (!a.trusted)
      rows.push('$(shield) Restricted Mode: parent folders and global instruction files are not read', '');
    rows.push(
      `Placed in ${a.ms.toFixed(0)} ms. [Agent Context](command:kvlens.showAgentContext) shows each agent's whole request.`,
    );
    tip.appendMarkdown(rows.join('\n'));
    return tip;
  }

  hide(): void {
    this.shown = false;
    this.item.hide();
  }

  /** The item's text while it is shown (the tests read it), else undefined. */
  get text(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }

  private shown = false;

  get tooltipText(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : (t?.value ?? '');
  }

  dispose(): void {
    this.item.dispose();
  }
}
