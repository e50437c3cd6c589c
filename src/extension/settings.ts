import * as vscode from 'vscode';
import { DEFAULT_PROMPT_GLOBS, type PromptFileRules } from '../core/prompt/promptFiles';

export const SECTION = 'kvlens';

export interface KvLensSettings {
  readonly promptFiles: PromptFileRules;
  readonly encoding: string;
  /** Model priced when a prompt file names none. */
  readonly model: string;
  /** User catalog file adding or overriding models ('' = none). */
  readonly catalogFile: string;
}

export function readSettings(scope?: vscode.ConfigurationScope): KvLensSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    promptFiles: {
      globs: c.get<string[]>('promptFiles.include', [...DEFAULT_PROMPT_GLOBS]),
      detectRequestBodies: c.get<boolean>('promptFiles.detectRequestBodies', true),
    },
    encoding: c.get<string>('encoding', 'o200k_base'),
    model: c.get<string>('model', 'gpt-4.1'),
    catalogFile: c.get<string>('catalogFile', ''),
  };
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
