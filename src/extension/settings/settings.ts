import * as vscode from 'vscode';
import { DEFAULT_MODEL } from '../../core/analysis/modelChoice';
import { DEFAULT_PROMPT_GLOBS, type PromptFileRules } from '../../core/prompt/promptFiles';
import type { BaselineSetting } from '../baseline/baselines';

export const SECTION = 'kvlens';

export interface KvLensSettings {
  readonly promptFiles: PromptFileRules;
  readonly encoding: string;
  /** Model analyzed when a prompt file names none and none was picked for it. */
  readonly model: string;
  /** User catalog file adding or overriding models ('' = none). */
  readonly catalogFile: string;
  readonly baseline: BaselineSetting;
  /** Tint the cached and written parts of the prompt. */
  readonly tint: boolean;
  readonly codeLens: boolean;
  readonly hover: boolean;
  readonly recordOnSave: boolean;
  /** Estimate calibration written by `kvlens replay --calibrate FILE` ('' = none). */
  readonly calibrationFile: string;
  /** Documents larger than this are not analyzed in the editor. */
  readonly maxFileSizeMB: number;
  /** Say once when the prices in use are old (kvlens.catalogStaleNotice). */
  readonly catalogStaleNotice: boolean;
}

const BASELINES: readonly BaselineSetting[] = ['auto', 'git', 'steady', 'recorded'];

export function readSettings(scope?: vscode.ConfigurationScope): KvLensSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const baseline = c.get<string>('baseline', 'auto');
  return {
    promptFiles: {
      globs: c.get<string[]>('promptFiles.include', [...DEFAULT_PROMPT_GLOBS]),
      detectRequestBodies: c.get<boolean>('promptFiles.detectRequestBodies', true),
    },
    encoding: c.get<string>('encoding', 'o200k_base'),
    model: c.get<string>('model', DEFAULT_MODEL),
    catalogFile: c.get<string>('catalogFile', ''),
    baseline: (BASELINES as readonly string[]).includes(baseline) ? (baseline as BaselineSetting) : 'auto',
    tint: c.get<boolean>('decorations.tint', true),
    codeLens: c.get<boolean>('codeLens.enabled', true),
    hover: c.get<boolean>('hover.enabled', true),
    recordOnSave: c.get<boolean>('recordOnSave', false),
    calibrationFile: c.get<string>('calibrationFile', ''),
    maxFileSizeMB: Math.max(0.1, Math.min(20, c.get<number>('maxFileSizeMB', 20))),
    catalogStaleNotice: c.get<boolean>('catalogStaleNotice', true),
  };
}

/**
 * The settings as each workspace folder sees them: in a multi-root workspace, folders can choose their own model,
 * baseline and prompt globs (settings of `resource` scope). Read once per folder and kept until settings change.
 */
export class FolderSettings {
  private readonly byFolder = new Map<string, KvLensSettings>();
  private window = readSettings();

  /** The settings outside any folder (and of window-scoped settings). */
  get current(): KvLensSettings {
    return this.window;
  }

  for(uri?: vscode.Uri): KvLensSettings {
    const folder =
      uri && vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders.length > 1
        ? vscode.workspace.getWorkspaceFolder(uri)
        : undefined;
    if (!folder) return this.window;
    const key = folder.uri.toString();
    let s = this.byFolder.get(key);
    if (!s) this.byFolder.set(key, (s = readSettings(folder.uri)));
    return s;
  }

  reload(): void {
    this.byFolder.clear();
    this.window = readSettings();
  }
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
