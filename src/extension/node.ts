// Node extension host entry (desktop VS Code, code-server).
import type * as vscode from 'vscode';
import { activateKvLens, loadStamps, type KvLensApi } from './activate';
import { startNodeTokenizeWorker } from './tokenize/nodeWorkerHost';
import { downloadFile } from '../node/modelDownload';
import { nodeAgentSessions } from './views/agentSessionsNode';
import { readRegularFileHead } from '../node/regularFile';
import type { HeadReader } from './workspace/workspacePrompts';

/** Files on disk are sniffed by their head (the web host has no partial read and reads them whole, up to 2 MB). */
const readHead: HeadReader = async (uri, chars) =>
  uri.scheme === 'file' ? readRegularFileHead(uri.fsPath, chars * 4) : undefined;

export function activate(context: vscode.ExtensionContext): KvLensApi {
  return activateKvLens(
    context,
    loadStamps(),
    'node',
    () => startNodeTokenizeWorker(),
    downloadFile,
    nodeAgentSessions,
    readHead,
  );
}

export function deactivate(): void {}
