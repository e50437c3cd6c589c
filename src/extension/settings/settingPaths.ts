import * as vscode from 'vscode';

// Settings that name a file KV Lens reads (kvlens.catalogFile, kvlens.calibrationFile). From the user's own settings
// any path is theirs to name; from a workspace's .vscode/settings.json — which comes with the repository — the file
// must be inside the workspace: a cloned repository cannot point KV Lens at ~/.ssh or another project's files. (In
// Restricted Mode VS Code does not apply workspace values of these settings at all: package.json
// restrictedConfigurations.)

export type SettingPath =
  { readonly ok: true; readonly uri: vscode.Uri } | { readonly ok: false; readonly message: string };

function inside(folder: vscode.Uri, uri: vscode.Uri): boolean {
  if (folder.scheme !== uri.scheme || folder.authority !== uri.authority) return false;
  const base = folder.path.replace(/\/+$/, '');
  return uri.path === base || uri.path.startsWith(`${base}/`);
}

/** Resolves a path setting of section `kvlens` (e.g. "catalogFile") the way the user's or the workspace's value reads. */
export function resolvePathSetting(key: string, value: string): SettingPath {
  const info = vscode.workspace.getConfiguration('kvlens').inspect<string>(key);
  const fromWorkspace = (info?.workspaceFolderValue ?? info?.workspaceValue) === value && value !== info?.globalValue;
  const folders = vscode.workspace.workspaceFolders ?? [];
  const isUri = /^[a-z][\w+.-]*:\/\//i.test(value);
  const isAbsolute = value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value);
  if (!fromWorkspace) {
    if (isUri) return { ok: true, uri: vscode.Uri.parse(value) };
    if (isAbsolute || !folders[0]) return { ok: true, uri: vscode.Uri.file(value) };
    return { ok: true, uri: vscode.Uri.joinPath(folders[0].uri, value) };
  }
  const refuse = (why: string): SettingPath => ({
    ok: false,
    message: `setting kvlens.${key} "${value}" in the workspace settings ${why}; a file outside the workspace can be named only in your user settings`,
  });
  if (isUri) return refuse('is a URI');
  if (!folders.length) return refuse('has no workspace folder to be relative to');
  // joinPath normalises '..', so the containment check below sees where the path really leads.
  const candidates = isAbsolute ? [vscode.Uri.file(value)] : folders.map((f) => vscode.Uri.joinPath(f.uri, value));
  const uri = candidates.find((u) => folders.some((f) => inside(f.uri, u)));
  return uri ? { ok: true, uri } : refuse('leads outside the workspace');
}
