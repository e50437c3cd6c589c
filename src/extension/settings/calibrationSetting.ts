import * as vscode from 'vscode';
import { applyCalibration, parseCalibration, resetCalibration } from '../../core/tokenizer/estimate/calibration';
import { resolvePathSetting } from './settingPaths';
import { readWorkspaceText } from '../workspace/workspaceFiles';

/**
 * Setting kvlens.calibrationFile: the estimate factors a usage-log replay measured (`kvlens replay --calibrate FILE`).
 * Applied to the estimated encodings (their method then names the file, which the status bar tooltip shows); a file
 * that cannot be read or is not a calibration is reported by name, and the built-in factors stay.
 */
export async function loadCalibration(setting: string, log: (line: string) => void): Promise<string | undefined> {
  resetCalibration();
  if (!setting.trim()) return undefined;
  const where = resolvePathSetting('calibrationFile', setting);
  if (!where.ok) {
    void vscode.window.showWarningMessage(`KV Lens: ${where.message}.`);
    return undefined;
  }
  const uri = where.uri;
  const label = vscode.workspace.asRelativePath(uri, false);
  const read = await readWorkspaceText(uri, { maxBytes: 1024 * 1024 });
  if (!read.ok) {
    void vscode.window.showWarningMessage(
      `KV Lens: calibration file ${label}: ${read.message} (setting kvlens.calibrationFile)`,
    );
    return undefined;
  }
  const text = read.text;
  const c = parseCalibration(text, label);
  if (typeof c === 'string') {
    void vscode.window.showWarningMessage(`KV Lens: ${c} (setting kvlens.calibrationFile)`);
    return undefined;
  }
  const changed = applyCalibration(c, label);
  log(`using calibration ${label} for ${changed.join(', ')}`);
  return label;
}
