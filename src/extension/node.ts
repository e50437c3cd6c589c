// Node extension host entry (desktop VS Code, code-server).
import type * as vscode from 'vscode';
import { activateKvLens, loadStamps, type KvLensApi } from './activate';
import { startNodeTokenizeWorker } from './nodeTokenizeWorker';
import { downloadFile } from '../node/modelDownload';
import { nodeAgentSessions } from './agentSessionsNode';

export function activate(context: vscode.ExtensionContext): KvLensApi {
  return activateKvLens(context, loadStamps(), 'node', () => startNodeTokenizeWorker(), downloadFile, nodeAgentSessions);
}

export function deactivate(): void {}
