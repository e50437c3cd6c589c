import type * as vscode from 'vscode';

const KEY = 'kvlens.modelByFile.v1';

/** The model picked per file with "KV Lens: Select Model", kept in workspace state. */
export class ModelChoices {
  constructor(private readonly state: vscode.Memento) {}

  get(uri: vscode.Uri): string | undefined {
    const all = this.state.get<Record<string, string>>(KEY, {});
    const v = typeof all === 'object' && all ? all[uri.toString()] : undefined;
    return typeof v === 'string' ? v : undefined;
  }

  async set(uri: vscode.Uri, model: string | undefined): Promise<void> {
    const all = { ...this.state.get<Record<string, string>>(KEY, {}) };
    if (model) all[uri.toString()] = model; else delete all[uri.toString()];
    await this.state.update(KEY, all);
  }
}
