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
  return waitFor(read, (v) => v === want, timeoutMs);
}

export async function waitFor<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await read();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    v = await read();
  }
  return v;
}

/**
 * The code actions VS Code offers on a range once one of them satisfies `ok`: diagnostics reach the workbench's
 * marker service after the extension host sets them, and the actions are computed from those markers, so right after
 * a diagnostic appears the list can still be empty.
 */
export async function codeActionsWhere(
  uri: vscode.Uri,
  range: vscode.Range,
  ok: (a: vscode.CodeAction) => boolean,
  timeoutMs = 15000,
): Promise<vscode.CodeAction[]> {
  return waitFor(
    async () =>
      await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range),
    (list) => list.some(ok),
    timeoutMs,
  );
}

/** kvlens.currentReport for the active editor (the ARCHITECTURE.md contract). */
export type Report = Record<string, unknown> & {
  tokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reusablePrefixTokens: number;
  model: string;
  tokenizer: { encoding: string; exact: boolean };
  baseline: { kind: string; label: string };
  ranges: { cached: [number, number][]; write: [number, number][]; breakAt: number | null };
  firstDivergence: { token: number; offset: number; line: number; column: number } | null;
  warnings: { code: string; message: string }[];
  cost: { uncached: number; withCache: number; savingsPercent: number };
};

export async function currentReport(): Promise<Report> {
  const r = await vscode.commands.executeCommand<Report | { error: string } | undefined>('kvlens.currentReport');
  if (!r || 'error' in r) throw new Error(`no report: ${JSON.stringify(r)}`);
  return r as Report;
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
