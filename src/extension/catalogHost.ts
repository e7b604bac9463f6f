import { join } from 'node:path';
import * as vscode from 'vscode';
import { Catalog, builtInModels } from '../core/catalog/catalog';
import type { Category, ModelEntry, ModelSpec } from '../core/catalog/types';
import { modelFromSpec } from '../core/catalog/define';
import { ModelsFileError, parseModelsFile } from '../core/catalog/userModels';
import type { Logger } from './logger';
import { modelsFilePaths, SECTION } from './model/settings';
import { settings } from './connection';

/**
 * A Catalog whose contents can be replaced (when a models file changes) while the engine and
 * the generator keep the same object.
 */
export class LiveCatalog extends Catalog {
  private current: Catalog;

  constructor(initial: Catalog = new Catalog()) {
    super([], []);
    this.current = initial;
  }

  replace(next: Catalog): void {
    this.current = next;
  }

  override all(): ModelEntry[] {
    return this.current.all();
  }

  override get(id: string): ModelEntry | undefined {
    return this.current.get(id);
  }

  override require(id: string): ModelEntry {
    return this.current.require(id);
  }

  override byCategory(category: Category): ModelEntry[] {
    return this.current.byCategory(category);
  }
}

/** The model's title, for labels. */
export function titleOf(catalog: Catalog): (id: string) => string | undefined {
  return (id) => catalog.get(id)?.title;
}

/**
 * Loads the users' models files (`kieStudio.modelsFile`, per workspace folder) into the live
 * catalog, only in trusted workspaces, and reloads when a file or the setting changes.
 */
export class CatalogHost implements vscode.Disposable {
  readonly catalog = new LiveCatalog();
  /** The user's model specs, for the generator. */
  userSpecs: ModelSpec[] = [];
  private watchers: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private loading: Promise<void> | undefined;
  private again = false;

  constructor(private readonly log: Logger) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.modelsFile`)) void this.reload();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload()),
    );
  }

  paths(): string[] {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    return modelsFilePaths(settings().modelsFile, folders, vscode.workspace.isTrusted, join);
  }

  /** Loads once more; concurrent calls coalesce. */
  reload(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.again = false;
        await this.loadOnce();
      } while (this.again);
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async loadOnce(): Promise<void> {
    const extra: ModelEntry[] = [];
    const specs: ModelSpec[] = [];
    const paths = this.paths();
    for (const path of paths) {
      try {
        await vscode.workspace.fs.stat(vscode.Uri.file(path));
      } catch {
        continue;
      }
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path)));
        const parsed = parseModelsFile(text, path);
        const entries = parsed.map((spec) => modelFromSpec(spec, 'user'));
        extra.push(...entries);
        specs.push(...parsed);
        this.log.info(`Loaded ${entries.length} model${entries.length === 1 ? '' : 's'} from ${path}.`);
      } catch (err) {
        const problems = err instanceof ModelsFileError ? err.problems.join('; ') : (err as Error).message;
        this.log.error(`Models file ${path} was not loaded: ${problems}`);
        void vscode.window.showWarningMessage(`Kie Studio: the models file ${vscode.workspace.asRelativePath(path)} has problems: ${problems}`);
      }
    }
    if (!vscode.workspace.isTrusted) this.log.info('Restricted Mode: models files of this workspace are not loaded.');
    this.catalog.replace(new Catalog(builtInModels(), extra));
    this.userSpecs = specs;
    this.watch(paths);
    this.changed.fire();
  }

  private watch(paths: string[]): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const path of paths) {
      const uri = vscode.Uri.file(path);
      const folder = vscode.Uri.joinPath(uri, '..');
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, uri.path.split('/').pop()!));
      const onChange = () => void this.reload();
      watcher.onDidChange(onChange);
      watcher.onDidCreate(onChange);
      watcher.onDidDelete(onChange);
      this.watchers.push(watcher);
    }
  }

  dispose(): void {
    for (const w of this.watchers) w.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
