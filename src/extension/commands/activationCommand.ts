import * as vscode from 'vscode';

/** How long activation took (activate.ts measures it): the bundle's load, activate() itself, and the whole. */
export interface ActivationTimes {
  readonly activationMs: number;
  readonly bundleLoadMs: number;
  readonly activateCallMs: number;
  readonly host: 'node' | 'web';
}

/** "KV Lens: Show Activation Time": says how long activation took, and returns it (for tests and benchmarks). */
export function registerActivationCommand(t: ActivationTimes): vscode.Disposable {
  return vscode.commands.registerCommand('kvlens.showActivationTime', () => {
    void vscode.window.showInformationMessage(
      `KV Lens activated in ${(t.bundleLoadMs + t.activateCallMs).toFixed(1)} ms: bundle load ${t.bundleLoadMs.toFixed(1)} ms + activate() ${t.activateCallMs.toFixed(1)} ms (${t.activationMs.toFixed(1)} ms from bundle start, with the host's own work in between), in the ${t.host === 'web' ? 'web worker' : 'Node'} extension host`,
    );
    return t.activationMs;
  });
}
