import * as vscode from 'vscode';
import type { TokenState } from '../core/tokenizer/types';

const fmt = new Intl.NumberFormat('en-US');

/** The status bar item: token count of the active prompt document; hidden for anything else. */
export class TokenCountStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('kvlens.tokens', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'KV Lens: prompt tokens';
  }

  show(state: TokenState, exact: boolean, fileLabel: string): void {
    const n = state.ids.length;
    this.item.text = `$(symbol-numeric) ${fmt.format(n)} tokens`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**KV Lens** — ${fmt.format(n)} tokens in \`${fileLabel}\`\n\n`);
    tip.appendMarkdown(`Encoding: \`${state.encoding}\`${exact ? ' (exact)' : ' (estimate)'}\n\n`);
    tip.appendMarkdown(`${fmt.format(state.text.length)} characters`);
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: `KV Lens: ${n} tokens, encoding ${state.encoding}`, role: 'status' };
    this.item.show();
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
