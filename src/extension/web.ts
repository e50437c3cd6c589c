// Web worker extension host entry (vscode.dev, github.dev): the same features, no Node APIs.
import * as vscode from 'vscode';
import { activateKvLens, type KvLensApi } from './activate';
import { startWebTokenizeWorker } from './webTokenizeWorker';

export function activate(context: vscode.ExtensionContext): KvLensApi {
  return activateKvLens(context, (globalThis as { __kvlensLoadStart?: number }).__kvlensLoadStart ?? performance.now(),
    () => startWebTokenizeWorker(vscode.Uri.joinPath(context.extensionUri, 'dist/extension/tokenize-worker-web.js').toString(true)));
}

export function deactivate(): void {}
