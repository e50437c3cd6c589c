import type * as vscode from 'vscode';
import type { ModelCandidate } from '../../core/analysis/modelChoice';

const KEY = 'kvlens.modelByFile.v1';
/** Files whose pick overrides the model the file names (for KV Lens only; the file is not changed). */
const OVERRIDES = 'kvlens.modelOverrides.v1';

/** The model picked per file with "KV Lens: Select Model", kept in workspace state. */
export class PickedModels {
  constructor(private readonly state: vscode.Memento) {}

  get(uri: vscode.Uri): string | undefined {
    const all = this.state.get<Record<string, string>>(KEY, {});
    const v = typeof all === 'object' && all ? all[uri.toString()] : undefined;
    return typeof v === 'string' ? v : undefined;
  }

  /** True when the pick for this file wins over the model the file names. */
  overrides(uri: vscode.Uri): boolean {
    const all = this.state.get<string[]>(OVERRIDES, []);
    return Array.isArray(all) && all.includes(uri.toString()) && this.get(uri) !== undefined;
  }

  async set(uri: vscode.Uri, model: string | undefined, override = false): Promise<void> {
    const key = uri.toString();
    const all = { ...this.state.get<Record<string, string>>(KEY, {}) };
    if (model) all[key] = model;
    else delete all[key];
    await this.state.update(KEY, all);
    const was = this.state.get<string[]>(OVERRIDES, []);
    const rest = (Array.isArray(was) ? was : []).filter((u) => u !== key);
    await this.state.update(OVERRIDES, model && override ? [...rest, key] : rest);
  }

  /**
   * The candidates in the order they decide (ARCHITECTURE.md): the file's own model, then the pick, then the setting — or,
   * when the user chose to override the file's model for this file, the pick first.
   */
  candidates(uri: vscode.Uri, file: ModelCandidate, setting: string | undefined): ModelCandidate[] {
    const override = this.overrides(uri);
    const picked: ModelCandidate = {
      id: this.get(uri),
      from: 'picked',
      where: override
        ? 'the model picked for this file (overriding the one it names)'
        : 'the model picked for this file',
    };
    const settings: ModelCandidate = { id: setting, from: 'settings', where: 'setting kvlens.model' };
    return override ? [picked, file, settings] : [file, picked, settings];
  }
}
