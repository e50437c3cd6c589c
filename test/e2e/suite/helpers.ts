import * as vscode from 'vscode';

export type { KvLensApi } from '../../../src/extension/activate';
import type { KvLensApi } from '../../../src/extension/activate';

export async function kvlens(): Promise<KvLensApi> {
  const ext = vscode.extensions.getExtension<KvLensApi>('kvlens.kvlens');
  if (!ext) throw new Error('extension kvlens.kvlens is not installed');
  return ext.activate();
}

export function workspaceFile(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e tests need a workspace folder');
  return vscode.Uri.joinPath(folder.uri, rel);
}

export async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(rel));
  return vscode.window.showTextDocument(doc);
}

/**
 * Polls until `read()` returns `want` (the status bar updates on editor and document events, after the test's
 * own call returns); returns the last value read so a failing assertion shows it.
 */
export async function settle<T>(read: () => T, want: T, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = read();
  while (v !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    v = read();
  }
  return v;
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
