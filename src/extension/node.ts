// Node extension host entry (desktop VS Code, code-server).
import type * as vscode from 'vscode';
import { activateKvLens, type KvLensApi } from './activate';

export function activate(context: vscode.ExtensionContext): KvLensApi {
  return activateKvLens(context, (globalThis as { __kvlensLoadStart?: number }).__kvlensLoadStart ?? performance.now());
}

export function deactivate(): void {}
