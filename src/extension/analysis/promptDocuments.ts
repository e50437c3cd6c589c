import * as vscode from 'vscode';
import { isPromptFile, REQUEST_BODY_SNIFF_CHARS } from '../../core/prompt/promptFiles';
import type { KvLensSettings } from '../settings/settings';

/**
 * Decides which open documents KV Lens works on: prompt files by the settings' globs and content rules, plus any
 * document the user asked to inspect on demand. Other documents get nothing from KV Lens.
 */
export class PromptDocuments {
  private readonly onDemand = new Set<string>();
  private readonly onDemandChanged = new vscode.EventEmitter<void>();
  readonly onDidChange = this.onDemandChanged.event;

  constructor(private settings: (uri?: vscode.Uri) => KvLensSettings) {}

  isPrompt(doc: vscode.TextDocument): boolean {
    if (this.onDemand.has(doc.uri.toString())) return true;
    if (doc.uri.scheme === 'output' || doc.uri.scheme === 'vscode-settings') return false;
    const rel = vscode.workspace.asRelativePath(doc.uri, false);
    // Only JSON/JSONL (request bodies) and YAML (GitHub Models) candidates need their text, and isPromptFile reads no
    // more than the first 64 KB: take just that, so this check (run on every keystroke) stays O(1) in the document's size.
    const needsText = /\.(jsonl?|ya?ml)$/i.test(rel);
    const head = needsText
      ? doc.getText(new vscode.Range(new vscode.Position(0, 0), doc.positionAt(REQUEST_BODY_SNIFF_CHARS)))
      : undefined;
    return isPromptFile(rel, head, this.settings(doc.uri).promptFiles);
  }

  inspect(doc: vscode.TextDocument): void {
    this.onDemand.add(doc.uri.toString());
    this.onDemandChanged.fire();
  }

  stopInspecting(doc: vscode.TextDocument): void {
    if (this.onDemand.delete(doc.uri.toString())) this.onDemandChanged.fire();
  }

  forget(doc: vscode.TextDocument): void {
    this.onDemand.delete(doc.uri.toString());
  }

  dispose(): void {
    this.onDemandChanged.dispose();
  }
}
