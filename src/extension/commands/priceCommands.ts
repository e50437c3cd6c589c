import * as vscode from 'vscode';
import { FORMAT_NAMES } from '../../core/pricing/catalogImport';
import {
  DEFAULT_PRICE_TABLE,
  DownloadError,
  PriceUpdates,
  type PriceUpdateArgs,
  type PriceUpdateResult,
} from '../pricing/priceUpdates';
import type { UserCatalog } from '../pricing/userCatalog';

/**
 * "KV Lens: Update Prices", "Update Prices from a File" and "Revert to Bundled Prices": refresh the prices in use from
 * a maintained table without a release — downloaded, or a copy on disk when there is no network (the failed download
 * offers it) — and go back. Downloads are refused in Restricted Mode (the table's URL is a restricted setting, but a
 * download is a download); a file the user picks is theirs to read.
 */
export function registerPriceCommands(
  updates: PriceUpdates,
  catalog: UserCatalog,
  log: (line: string) => void,
): vscode.Disposable[] {
  const update = async (args: PriceUpdateArgs | undefined, fromFile: boolean) => {
    try {
      const table = fromFile ? await updates.readFile(args?.file) : await downloadOrFile(updates, args, log);
      if (!table) return undefined;
      const r = await updates.run(catalog.current, table, args);
      if (!r) return undefined;
      log(
        `price update from ${r.url}: ${r.compared} models compared, ${r.changed.length} differ, ${r.accepted.length} accepted (${r.accepted.join(', ')})`,
      );
      if (r.accepted.length) {
        await catalog.reload();
        void vscode.window.showInformationMessage(
          `KV Lens: new prices for ${r.accepted.length} model${r.accepted.length === 1 ? '' : 's'} are in use (${r.accepted.slice(0, 4).join(', ')}${r.accepted.length > 4 ? ', …' : ''}); marked third-party with the ${r.from === 'file' ? 'file' : 'table'} as source.`,
        );
      }
      return r;
    } catch (e) {
      log(`price update failed: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`KV Lens: ${(e as Error).message}`);
      return undefined;
    }
  };
  return [
    vscode.commands.registerCommand(
      'kvlens.updatePrices',
      (args?: PriceUpdateArgs): Promise<PriceUpdateResult | undefined> => update(args, false),
    ),
    vscode.commands.registerCommand(
      'kvlens.updatePricesFromFile',
      (args?: Pick<PriceUpdateArgs, 'file' | 'accept'>): Promise<PriceUpdateResult | undefined> => update(args, true),
    ),
    vscode.commands.registerCommand('kvlens.revertPrices', async () => {
      await updates.forget();
      await catalog.reload();
      void vscode.window.setStatusBarMessage('KV Lens: the bundled prices are in use again', 4000);
    }),
  ];
}

/**
 * The table from kvlens.priceTable.url; when it cannot be fetched (no network, say), the error offers a copy on disk
 * in the same flow: `args.file` (tests), else the file the user picks after "Open a Price File…".
 */
async function downloadOrFile(updates: PriceUpdates, args: PriceUpdateArgs | undefined, log: (line: string) => void) {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'KV Lens: Restricted Mode: prices are fetched only in a trusted workspace (Manage Workspace Trust); "Update Prices from a File" reads a table you have.',
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
    return await updates.download(url);
  } catch (e) {
    if (!(e instanceof DownloadError)) throw e;
    log(`price download failed: ${e.message}`);
    if (args?.file) return updates.readFile(args.file);
    const open = 'Open a Price File…';
    const choice = await vscode.window.showErrorMessage(
      `KV Lens: ${e.message}. A copy on disk works as well: ${FORMAT_NAMES.litellm} or ${FORMAT_NAMES['genai-prices']} (${FORMAT_NAMES['models.dev']} too).`,
      open,
    );
    return choice === open ? updates.readFile() : undefined;
  }
}
