import * as vscode from 'vscode';
import { isPromptFile } from '../core/prompt/promptFiles';
import type { KvLensSettings } from './settings';
import { readWorkspaceText } from './workspaceFiles';

const MAX_FILES = 200;
const MAX_BYTES = 2 * 1024 * 1024;
const CANDIDATE = /\.(md|prompty|prompt|txt|json|jsonl|ya?ml)$/i;

export interface WorkspacePrompt {
  readonly uri: vscode.Uri;
  /** Workspace-relative path. */
  readonly label: string;
  /** The open editor's text when the file is open (unsaved edits count), else the file's. */
  readonly text: string;
}

/**
 * The workspace's prompt files by the same rules as the editor's (globs, request-body sniffing), at most 200 files
 * of at most 2 MB each, read one at a time so the extension host stays responsive.
 */
export async function workspacePrompts(settings: KvLensSettings, skipped?: (file: string, why: string) => void): Promise<WorkspacePrompt[]> {
  const found = await vscode.workspace.findFiles('**/*', '{**/node_modules/**,**/.git/**,**/.vscode-test/**}', 5000);
  const out: WorkspacePrompt[] = [];
  for (const uri of found.sort((a, b) => a.path.localeCompare(b.path))) {
    if (out.length >= MAX_FILES) break;
    const label = vscode.workspace.asRelativePath(uri, false);
    if (!CANDIDATE.test(label)) continue;
    const read = await readWorkspaceText(uri, { maxBytes: MAX_BYTES, followLinks: false });
    if (!read.ok) { if (isPromptFile(label, '', settings.promptFiles) || /\.jsonl?$/i.test(label)) skipped?.(label, read.message); continue; }
    const text = read.text;
    if (!isPromptFile(label, text, settings.promptFiles)) continue;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    out.push({ uri, label, text: open ? open.getText() : text });
    await new Promise((r) => setTimeout(r, 0));
  }
  return out;
}
