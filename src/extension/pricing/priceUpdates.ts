import * as vscode from 'vscode';
import type { Catalog, UserCatalogSource } from '../../core/pricing/catalog';
import {
  diffCatalog,
  entriesFromDiff,
  FORMAT_NAMES,
  ImportError,
  parsePriceTable,
  type CatalogDiff,
  type FigureChange,
  type ModelDiff,
} from '../../core/pricing/catalogImport';
import { bodyChunks, formatBytes, TransferLimits } from '../../node/transferLimits';

// "KV Lens: Update Prices": fetches a maintained machine-readable price table (LiteLLM's, models.dev's, genai-prices'),
// or reads a copy of one from disk (no network: the download's failure offers it, and "Update Prices from a File"
// starts there), shows what differs from the figures in use, and keeps the figures the user accepts in the extension's
// global storage, where the catalog reads them as a layer between the bundled catalog and the user's own catalog
// file. Prices change without a release; cache rules, which such tables lack, stay the catalog's.

export const DEFAULT_PRICE_TABLE =
  'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json';
const FILE = 'accepted-prices.json';
const MAX_TABLE_BYTES = 64 * 1024 * 1024;

export interface PriceUpdateResult {
  /** Where the table came from: its URL, or the file's path. */
  readonly url: string;
  readonly from: 'download' | 'file';
  readonly compared: number;
  readonly changed: readonly string[];
  readonly accepted: readonly string[];
}

/**
 * Test and automation arguments: the table's URL, which changed models to take without asking, and `file`: the table
 * on disk a user would pick in the dialog (with a URL, only once the download has failed).
 */
export interface PriceUpdateArgs {
  readonly url?: string;
  readonly file?: string;
  readonly accept?: 'all' | 'none' | readonly string[];
}

/** The table could not be fetched (no network, an HTTP error, too big or too slow): a file can stand in. */
export class DownloadError extends Error {}

/** A price table's text and where it came from. */
interface TableText {
  readonly text: string;
  readonly where: string;
  readonly from: 'download' | 'file';
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

  /** Downloads the table (progress, cancel). Resolves undefined when cancelled; a failure to fetch is a DownloadError. */
  async download(url: string): Promise<TableText | undefined> {
    const text = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'KV Lens: fetching prices', cancellable: true },
      (progress, token) => download(url, token, (m) => progress.report({ message: m })),
    );
    return text === undefined ? undefined : { text, where: url, from: 'download' };
  }

  /** Reads a table from disk: `path`, or the one the user picks; undefined when no file was picked. */
  async readFile(path?: string): Promise<TableText | undefined> {
    const uri = path
      ? vscode.Uri.file(path)
      : (
          await vscode.window.showOpenDialog({
            canSelectMany: false,
            // Starts in the workspace folder: where a table someone downloaded for the project is likely kept.
            defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
            openLabel: 'Compare These Prices',
            title: `KV Lens: a price table on disk (${Object.values(FORMAT_NAMES).join(', ')})`,
            filters: { 'Price table (JSON)': ['json'] },
          })
        )?.[0];
    if (!uri) return undefined;
    const size = (await vscode.workspace.fs.stat(uri)).size;
    if (size > MAX_TABLE_BYTES)
      throw new Error(
        `${uri.fsPath}: ${formatBytes(size)} is more than a price table (at most ${formatBytes(MAX_TABLE_BYTES)})`,
      );
    return { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), where: uri.fsPath, from: 'file' };
  }

  /** Compares a table with the catalog, asks (or takes `args.accept`), stores. Undefined when cancelled. */
  async run(
    catalog: Catalog,
    table: TableText,
    args: PriceUpdateArgs | undefined,
  ): Promise<PriceUpdateResult | undefined> {
    const { where: url, from } = table;
    let diff: CatalogDiff;
    try {
      diff = diffCatalog(catalog, parsePriceTable(table.text, url));
    } catch (e) {
      if (e instanceof ImportError) throw new Error(e.message, { cause: e });
      throw e;
    }
    const changed = diff.changed.map((d) => d.model);
    if (!diff.changed.length) {
      void vscode.window.showInformationMessage(
        `KV Lens: ${diff.compared} catalog models found in ${FORMAT_NAMES[diff.format]}; all agree with the figures in use.`,
      );
      return { url, from, compared: diff.compared, changed, accepted: [] };
    }
    const chosen =
      args?.accept === undefined
        ? await pick(diff.changed, diff.compared, url)
        : args.accept === 'all'
          ? diff.changed
          : args.accept === 'none'
            ? []
            : diff.changed.filter((d) => (args.accept as readonly string[]).includes(d.model));
    if (!chosen) return undefined;
    if (!chosen.length) return { url, from, compared: diff.compared, changed, accepted: [] };
    const prior = await this.layer();
    const existing = prior ? ((JSON.parse(prior.text) as { models?: Record<string, unknown>[] }).models ?? []) : [];
    // A figure's source names where it was seen: the table's URL, or the file with what table it is a copy of.
    const source = from === 'download' ? url : `${url} (a copy of ${FORMAT_NAMES[diff.format]})`;
    const models = entriesFromDiff(
      catalog,
      { ...diff, changed: chosen },
      source,
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
    return { url, from, compared: diff.compared, changed, accepted: chosen.map((d) => d.model) };
  }
}

/** A changed figure as the quick pick shows it: short names, USD per million tokens ("in $2 → $2.5"). */
function changeWords(c: FigureChange): string {
  const name = c.field.replace(/^prices\./, '');
  if (name === 'contextWindow') {
    const n = (v: string | number | undefined) => (v === undefined ? '–' : Number(v).toLocaleString('en-US'));
    return `context ${n(c.from)} → ${n(c.to)}`;
  }
  const short = SHORT[name] ?? name;
  return `${short} ${c.from === undefined ? '–' : `$${c.from}`} → $${c.to}`;
}

const SHORT: Record<string, string> = {
  input: 'in',
  cachedInput: 'cached',
  output: 'out',
  'cacheWrite.5m': 'write 5m',
  'cacheWrite.1h': 'write 1h',
};

async function pick(
  changed: readonly ModelDiff[],
  compared: number,
  where: string,
): Promise<readonly ModelDiff[] | undefined> {
  const items = changed.map((d) => ({
    label: d.model,
    description: d.matchedAs.toLowerCase() !== d.model ? `as ${d.matchedAs}` : '',
    detail: d.changes.map(changeWords).join(' · '),
    picked: true,
    diff: d,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: `KV Lens: ${changed.length} of ${compared} models differ from the table — take the checked ones`,
    placeHolder: `Prices in USD per million tokens, as ${where.split('/').pop()} has them`,
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
    if (!res.ok || !res.body) throw new DownloadError(`${url}: HTTP ${res.status} ${res.statusText}`.trim());
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
    if (limits.stopped) throw new DownloadError(`${url}: ${limits.describe()}`, { cause: e });
    throw e instanceof DownloadError
      ? e
      : new DownloadError(
          `${url}: cannot download (${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message})`,
          { cause: e },
        );
  } finally {
    cancel.dispose();
    limits.dispose();
  }
}
