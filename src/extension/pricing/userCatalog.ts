import * as vscode from 'vscode';
import { loadCatalog, type Catalog, type CatalogIssue, type UserCatalogSource } from '../../core/pricing/catalog';
import { resolvePathSetting } from '../settings/settingPaths';
import { readWorkspaceText } from '../workspace/workspaceFiles';

const MAX_CATALOG_BYTES = 16 * 1024 * 1024;

/**
 * The model catalog the extension prices with: the bundled one plus the user's file from `kvlens.catalogFile`
 * (workspace-relative or absolute). Read through vscode.workspace.fs so it works in the web host too. Problems are
 * reported once per load, naming the file and the field; the bundled models stay usable whatever the file holds.
 */
export class UserCatalog implements vscode.Disposable {
  private catalog: Catalog = loadCatalog();
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  issues: readonly CatalogIssue[] = [];
  private setting = '';

  /** `updates`: prices accepted with "KV Lens: Update Prices", a layer under the user's own catalog file. */
  constructor(private readonly updates: () => Promise<UserCatalogSource | undefined> = async () => undefined) {}

  get current(): Catalog {
    return this.catalog;
  }

  /** Reads the catalog again with the setting last loaded (after prices were updated or reverted). */
  reload(): Promise<void> {
    return this.load(this.setting);
  }

  async load(setting: string): Promise<void> {
    this.setting = setting;
    this.watcher?.dispose();
    this.watcher = undefined;
    const layer = await this.updates();
    const base = layer ? [layer] : [];
    if (!setting.trim()) {
      this.catalog = loadCatalog(base);
      this.issues = this.catalog.issues;
      this.changed.fire();
      return;
    }
    const where = resolvePathSetting('catalogFile', setting);
    if (!where.ok) {
      this.catalog = loadCatalog(base);
      this.issues = [{ file: setting, path: '', message: where.message, severity: 'error' }];
      void vscode.window.showWarningMessage(`KV Lens: ${where.message}. The bundled catalog is used.`);
      this.changed.fire();
      return;
    }
    const uri = where.uri;
    const label = vscode.workspace.asRelativePath(uri, false);
    let text: string | undefined;
    const read = await readWorkspaceText(uri, { maxBytes: MAX_CATALOG_BYTES });
    if (read.ok) text = read.text;
    else this.issues = [{ file: label, path: '', message: read.message, severity: 'error' }];
    if (text !== undefined) {
      this.catalog = loadCatalog([...base, { file: label, text }]);
      this.issues = this.catalog.issues;
    } else {
      this.catalog = loadCatalog(base);
    }
    if (this.issues.length) {
      const first = this.issues[0];
      const more = this.issues.length > 1 ? ` (and ${this.issues.length - 1} more)` : '';
      void vscode.window.showWarningMessage(
        `KV Lens: model catalog ${first.file}${first.path ? ` at ${first.path}` : ''}: ${first.message}${more}`,
      );
    }
    this.watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), uri.path.split('/').pop()!),
    );
    const reload = () => void this.load(setting);
    this.watcher.onDidChange(reload);
    this.watcher.onDidCreate(reload);
    this.watcher.onDidDelete(reload);
    this.changed.fire();
  }

  dispose(): void {
    this.watcher?.dispose();
    this.changed.dispose();
  }
}
