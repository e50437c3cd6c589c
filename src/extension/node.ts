// Node extension host entry (desktop VS Code, code-server).
import type * as vscode from 'vscode';
import { activateKvLens, type KvLensApi } from './activate';
import { startNodeTokenizeWorker } from './nodeTokenizeWorker';

export function activate(context: vscode.ExtensionContext): KvLensApi {
  return activateKvLens(context, (globalThis as { __kvlensLoadStart?: number }).__kvlensLoadStart ?? performance.now(), () => startNodeTokenizeWorker());
}

export function deactivate(): void {}
