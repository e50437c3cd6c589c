// Web worker extension host entry (vscode.dev, github.dev): the same features, no Node APIs.
import * as vscode from 'vscode';
import { activateKvLens, loadStamps, type KvLensApi } from './activate';
import { setRankBase } from './tokenize/rankSourceFetch';
import { startWebTokenizeWorker } from './tokenize/webWorkerHost';

export function activate(context: vscode.ExtensionContext): KvLensApi {
  // The tokenizer data is fetched from the extension's files before first use (no synchronous file access here).
  const ranks = vscode.Uri.joinPath(context.extensionUri, 'dist/ranks').toString(true);
  setRankBase(ranks);
  return activateKvLens(context, loadStamps(), 'web', () =>
    startWebTokenizeWorker(
      vscode.Uri.joinPath(context.extensionUri, 'dist/extension/tokenize-worker-web.js').toString(true),
      ranks,
    ),
  );
}

export function deactivate(): void {}
