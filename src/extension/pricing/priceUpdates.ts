import * as vscode from 'vscode';
import type { Catalog, UserCatalogSource } from '../../core/pricing/catalog';
import {
  diffCatalog,
  entriesFromDiff,
  ImportError,
  parsePriceTable,
  type CatalogDiff,
  type ModelDiff,
} from '../../core/pricing/catalogImport';
import { bodyChunks, formatBytes, TransferLimits } from '../../node/transferLimits';

// "KV Lens: Update Prices": fetches a maintained machine-readable price table (LiteLLM's, models.dev's), shows what
// differs from the figures in use, and keeps the figures the user accepts in the extension's global storage, where
// the catalog reads them as a layer between the bundled catalog and the user's own catalog file. Prices change
// without a release; cache rules, which such tables lack, stay the catalog's.

export const DEFAULT_PRICE_TABLE =
  'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json';
const FILE = 'accepted-prices.json';
const MAX_TABLE_BYTES = 64 * 1024 * 1024;

export interface PriceUpdateResult {
  readonly url: string;
  readonly compared: number;
  readonly changed: readonly string[];
  readonly accepted: readonly string[];
}

/** Test and automation arguments: the table's URL and which changed models to take without asking. */
export interface PriceUpdateArgs {
  readonly url?: string;
  readonly accept?: 'all' | 'none' | readonly string[];
}

export class PriceUpdates {
  constructor(private readonly storage: vscode.Uri) {}

  private get file(): vscode.Uri {
    return vscode.Uri.joinPath(this.storage, FILE);
  }

  /** The accepted figures as a catalog layer, or undefined when none were accepted. */
  async layer(): Promise<UserCatalogSource | undefined> {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(this.file));
      return { file: 'updated prices (KV Lens: Update Prices)', text };
    } catch {
      return undefined;
    }
  }

  async forget(): Promise<void> {
    await vscode.workspace.fs.delete(this.file).then(undefined, () => undefined);
  }

  /** Fetches, compares, asks, stores. Resolves with what happened, or undefined when cancelled. */
  async run(catalog: Catalog, url: string, args: PriceUpdateArgs | undefined): Promise<PriceUpdateResult | undefined> {
    const text = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'KV Lens: fetching prices', cancellable: true },
      (progress, token) => download(url, token, (m) => progress.report({ message: m })),
    );
    if (text === undefined) return undefined;
    let diff: CatalogDiff;
    try {
      diff = diffCatalog(catalog, parsePriceTable(text, url));
    } catch (e) {
      if (e instanceof ImportError) throw new Error(e.message, { cause: e });
      throw e;
    }
    const changed = diff.changed.map((d) => d.model);
    if (!diff.changed.length) {
      void vscode.window.showInformationMessage(
        `KV Lens: ${diff.compared} catalog models found in the price table; all agree with the figures in use.`,
      );
      return { url, compared: diff.compared, changed, accepted: [] };
    }
    const chosen =
      args?.accept === undefined
        ? await pick(diff.changed, diff.compared)
        : args.accept === 'all'
          ? diff.changed
          : args.accept === 'none'
            ? []
            : diff.changed.filter((d) => (args.accept as readonly string[]).includes(d.model));
    if (!chosen) return undefined;
    if (!chosen.length) return { url, compared: diff.compared, changed, accepted: [] };
    const prior = await this.layer();
    const existing = prior ? ((JSON.parse(prior.text) as { models?: Record<string, unknown>[] }).models ?? []) : [];
    const models = entriesFromDiff(
      catalog,
      { ...diff, changed: chosen },
      url,
      new Date().toISOString().slice(0, 10),
      existing,
    );
    await vscode.workspace.fs.createDirectory(this.storage);
    await vscode.workspace.fs.writeFile(
      this.file,
      new TextEncoder().encode(
        `${JSON.stringify({ $comment: 'Prices accepted with "KV Lens: Update Prices"; "KV Lens: Revert to Bundled Prices" removes them.', models }, null, 2)}\n`,
      ),
    );
    return { url, compared: diff.compared, changed, accepted: chosen.map((d) => d.model) };
  }
}

async function pick(changed: readonly ModelDiff[], compared: number): Promise<readonly ModelDiff[] | undefined> {
  const items = changed.map((d) => ({
    label: d.model,
    description: d.matchedAs.toLowerCase() !== d.model ? `as ${d.matchedAs}` : '',
    detail: d.changes.map((c) => `${c.field.replace(/^prices\./, '')} ${c.from ?? '–'} → ${c.to}`).join(' · '),
    picked: true,
    diff: d,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: `KV Lens: ${changed.length} of ${compared} models have other prices in the table — take the checked ones`,
    matchOnDetail: true,
  });
  return picked?.map((p) => p.diff);
}

/** The table's text, with progress, cancel, a size cap counted after decompression and an overall deadline. */
async function download(
  url: string,
  token: vscode.CancellationToken,
  report: (message: string) => void,
): Promise<string | undefined> {
  const limits = new TransferLimits({ stallMs: 30_000, deadlineMs: 120_000, maxBytes: MAX_TABLE_BYTES });
  const ac = new AbortController();
  const cancel = token.onCancellationRequested(() => ac.abort());
  try {
    const res = await fetch(url, { signal: AbortSignal.any([ac.signal, limits.signal]) });
    if (!res.ok || !res.body) throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`.trim());
    const chunks: Uint8Array[] = [];
    for await (const c of bodyChunks(res.body, limits)) {
      chunks.push(c);
      report(formatBytes(limits.received));
    }
    const all = new Uint8Array(limits.received);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    return new TextDecoder().decode(all);
  } catch (e) {
    if (token.isCancellationRequested) return undefined;
    if (limits.stopped) throw new Error(`${url}: ${limits.describe()}`, { cause: e });
    throw e instanceof Error && e.message.startsWith(url)
      ? e
      : new Error(
          `${url}: cannot download (${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message})`,
          { cause: e },
        );
  } finally {
    cancel.dispose();
    limits.dispose();
  }
}
