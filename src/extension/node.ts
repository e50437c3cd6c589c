// Node extension host entry (desktop VS Code, code-server).
import * as vscode from 'vscode';
import { activateKvLens, loadStamps, type KvLensApi } from './activate';
import { startNodeTokenizeWorker } from './tokenize/nodeWorkerHost';
import { downloadFile } from '../node/modelDownload';
import { nodeAgentSessions } from './views/agentSessionsNode';
import { readRegularFileHead } from '../node/regularFile';
import type { HeadReader } from './workspace/workspacePrompts';
import { agentGlobalDirs, nodeAgentFs, toAgentPath } from '../node/agentFsNode';
import { agentSessionStats } from '../node/agentSessionStats';
import type { AgentHost } from './analysis/agentPlacements';

/** Files on disk are sniffed by their head (the web host has no partial read and reads them whole, up to 2 MB). */
const readHead: HeadReader = async (uri, chars) =>
  uri.scheme === 'file' ? readRegularFileHead(uri.fsPath, chars * 4) : undefined;

/** Agent instruction files on disk: the CLI's Node adapter (partial reads, FIFOs never opened), the global folders
 * ($CODEX_HOME, $CLAUDE_CONFIG_DIR, ~/.gemini) and the user's own Claude Code and Codex sessions. */
const agentHost: AgentHost = {
  fileFs: { fs: nodeAgentFs, pathOf: (u) => toAgentPath(u.fsPath), uriOf: (p) => vscode.Uri.file(p) },
  globals: () => agentGlobalDirs(),
  sessions: (cwd) => agentSessionStats(cwd),
};

export function activate(context: vscode.ExtensionContext): KvLensApi {
  return activateKvLens(
    context,
    loadStamps(),
    'node',
    () => startNodeTokenizeWorker(),
    downloadFile,
    nodeAgentSessions,
    readHead,
    agentHost,
  );
}

export function deactivate(): void {}
