import * as vscode from 'vscode';
import {
  DEFAULT_PRICE_TABLE,
  PriceUpdates,
  type PriceUpdateArgs,
  type PriceUpdateResult,
} from '../pricing/priceUpdates';
import type { UserCatalog } from '../pricing/userCatalog';

/**
 * "KV Lens: Update Prices" and "KV Lens: Revert to Bundled Prices": refresh the prices in use from a maintained table
 * without a release, and go back. Downloads are refused in Restricted Mode (the table's URL is a restricted setting,
 * but a download is a download).
 */
export function registerPriceCommands(
  updates: PriceUpdates,
  catalog: UserCatalog,
  log: (line: string) => void,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'kvlens.updatePrices',
      async (args?: PriceUpdateArgs): Promise<PriceUpdateResult | undefined> => {
        if (!vscode.workspace.isTrusted) {
          void vscode.window.showWarningMessage(
            'KV Lens: Restricted Mode: prices are fetched only in a trusted workspace (Manage Workspace Trust).',
          );
          return undefined;
        }
        const url =
          args?.url ?? vscode.workspace.getConfiguration('kvlens').get<string>('priceTable.url', DEFAULT_PRICE_TABLE);
        if (!/^https?:\/\//.test(url)) {
          void vscode.window.showErrorMessage(`KV Lens: kvlens.priceTable.url must be an http(s) URL (got "${url}")`);
          return undefined;
        }
        try {
          const r = await updates.run(catalog.current, url, args);
          if (!r) return undefined;
          log(
            `price update from ${url}: ${r.compared} models compared, ${r.changed.length} differ, ${r.accepted.length} accepted (${r.accepted.join(', ')})`,
          );
          if (r.accepted.length) {
            await catalog.reload();
            void vscode.window.showInformationMessage(
              `KV Lens: new prices for ${r.accepted.length} model${r.accepted.length === 1 ? '' : 's'} are in use (${r.accepted.slice(0, 4).join(', ')}${r.accepted.length > 4 ? ', …' : ''}); marked third-party with the table as source.`,
            );
          }
          return r;
        } catch (e) {
          log(`price update failed: ${(e as Error).message}`);
          void vscode.window.showErrorMessage(`KV Lens: ${(e as Error).message}`);
          return undefined;
        }
      },
    ),
    vscode.commands.registerCommand('kvlens.revertPrices', async () => {
      await updates.forget();
      await catalog.reload();
      void vscode.window.setStatusBarMessage('KV Lens: the bundled prices are in use again', 4000);
    }),
  ];
}
