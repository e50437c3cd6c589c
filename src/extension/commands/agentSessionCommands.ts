import * as vscode from 'vscode';
import type { Catalog } from '../../core/pricing/catalog';
import { AgentSessionsView, type AgentSessionSource } from '../views/agentSessions';

/** The Agent Sessions view and its commands; in the web extension host (no local transcripts) the view stays hidden. */
export function registerAgentSessions(
  extensionUri: vscode.Uri,
  source: AgentSessionSource | undefined,
  catalog: () => Catalog,
  fallbackModel: () => string,
): vscode.Disposable[] {
  void vscode.commands.executeCommand('setContext', 'kvlens.agentSessionsAvailable', !!source);
  if (!source) return [];
  const view = new AgentSessionsView(source, catalog, fallbackModel);
  return [
    view,
    vscode.window.createTreeView('kvlens.agentSessions', { treeDataProvider: view }),
    vscode.commands.registerCommand('kvlens.refreshAgentSessions', () => view.refresh()),
    vscode.commands.registerCommand('kvlens.openAgentSession', (file?: string) =>
      typeof file === 'string' ? view.open(extensionUri, file) : undefined,
    ),
    // Tests and other extensions: every session of the workspace with its figures.
    vscode.commands.registerCommand('kvlens.agentSessions', () => view.all()),
  ];
}
