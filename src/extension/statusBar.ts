import * as vscode from 'vscode';
import type { PromptCostResult } from '../core/pricing/promptCost';
import type { TokenState } from '../core/tokenizer/types';

const fmt = new Intl.NumberFormat('en-US');

/** The status bar item: token count of the active prompt document; hidden for anything else. */
export class TokenCountStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('kvlens.tokens', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'KV Lens: prompt tokens';
  }

  show(state: TokenState, exact: boolean, fileLabel: string, cost?: PromptCostResult): void {
    const n = state.ids.length;
    this.item.text = `$(symbol-numeric) ${fmt.format(n)} tokens`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**KV Lens** — ${fmt.format(n)} tokens in \`${fileLabel}\`\n\n`);
    tip.appendMarkdown(`Encoding: \`${state.encoding}\`${exact ? ' (exact)' : ' (estimate)'}\n\n`);
    tip.appendMarkdown(`${fmt.format(state.text.length)} characters`);
    tip.appendMarkdown(`\n\n---\n\n${costMarkdown(cost)}`);
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: `KV Lens: ${n} tokens, encoding ${state.encoding}`, role: 'status' };
    this.item.show();
  }

  /** The tooltip as plain text (for tests and screen readers). */
  get tooltipText(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : t?.value ?? '';
  }

  /** A big document is being tokenized in the background. */
  showCounting(fileLabel: string): void {
    this.item.text = '$(sync~spin) counting…';
    this.item.tooltip = `KV Lens — counting the tokens of \`${fileLabel}\`…`;
    this.item.accessibilityInformation = { label: 'KV Lens: counting tokens', role: 'status' };
    this.item.show();
  }

  showError(message: string): void {
    this.item.text = '$(warning) KV Lens';
    this.item.tooltip = message;
    this.item.show();
  }

  hide(): void {
    this.item.hide();
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}

function costMarkdown(cost: PromptCostResult | undefined): string {
  if (!cost) return '$(sync~spin) pricing…';
  if (!cost.ok) return `$(warning) Cost: ${escape(cost.message)}`;
  const h = cost.hint;
  const from = h.modelFrom === 'file' ? 'named by the file' : 'setting `kvlens.model`';
  const lines = [
    `**${escape(h.model)}** (${from}): ${fmt.format(h.tokens)}${h.exact ? '' : '~'} tokens as sent (\`${h.encoding}\`${h.exact ? '' : ', estimate'})`,
    `Per call: **${h.uncachedCall}** uncached · **${h.warmCall}** warm (${fmt.format(h.cachedTokens)} tokens from cache${h.savingsPercent !== undefined ? `, −${h.savingsPercent}%` : ''})`,
    `Prices: [source](${h.source}), as of ${h.asOf}`,
  ];
  return lines.join('\n\n');
}

/** Model ids and messages come from user files; keep them from being read as Markdown. */
function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}
