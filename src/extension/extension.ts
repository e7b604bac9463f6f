/**
 * Kie Studio's entry point.
 *
 * Activation is lazy: VS Code activates us when the Kie Studio views are shown (`onView:`) or
 * one of our commands runs (implicit since 1.74). There is no `*`, `onStartupFinished` or
 * `workspaceContains:` activation. Unfinished tasks live in the journal under the extension's
 * global storage; they resume as soon as we activate. After a window reload VS Code restores the
 * views that were open, so if the Kie Studio sidebar was showing it activates us again at once
 * and the tasks continue (their files still land). If it was not showing, the tasks wait in the
 * journal, untouched, until the sidebar is opened or a Kie Studio command runs: a static
 * activation event cannot depend on the journal, and activating every window on start-up just
 * in case is not worth it.
 */
import { mkdir } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Catalog } from '../core/catalog/catalog';
import type { TaskEngineApi } from '../core/engine/types';
import type { Account } from '../webview/protocol';
import { CatalogHost } from './catalogHost';
import { registerCommands } from './commands';
import { Connection, settings, type Mode } from './connection';
import { Destinations } from './destinations';
import { Engines } from './engines';
import { GeneratorViewProvider } from './generator/generatorView';
import type { GeneratorHost } from './generator/host';
import { Logger } from './logger';
import { WEBVIEW_COMMANDS } from '../webview/protocol';
import { Notifications } from './notifications';
import { StatusBar } from './statusBar';
import { TasksView } from './tasksView';
import type { TreeNode } from './model/taskTree';

/** What `activate` returns: for tests (and other extensions) to drive and inspect Kie Studio. */
export interface KieStudioApi {
  /** The task engine of the current mode (real API or demo). */
  readonly engine: TaskEngineApi;
  /** Built-in models plus the workspace's models file. */
  readonly catalog: Catalog;
  readonly mode: Mode;
  readonly account: Account;
  /** Journal folder of the current mode. */
  readonly storageDir: string;
  /** The demo simulator's URLs while the demo runs. */
  readonly demo: { apiUrl: string; uploadUrl: string } | undefined;
  /** The status bar item's text. */
  statusBarText(): string;
  /** The Tasks tree as labels and descriptions, in display order (root items, with children). */
  tree(): { label: string; description?: string; contextValue?: string; children: { label: string; description?: string; contextValue?: string }[] }[];
  generator: GeneratorViewProvider;
  /** Resolves when a pending engine start or mode switch is done. */
  whenReady(): Promise<void>;
  /** Fetches the balance of the current mode. */
  refreshCredits(): Promise<number | null>;
}

let current: { connection: Connection; engines: Engines } | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<KieStudioApi> {
  const started = Date.now();
  const log = new Logger();
  context.subscriptions.push(log);

  const storageRoot = context.globalStorageUri.fsPath;
  await mkdir(storageRoot, { recursive: true });

  const connection = new Connection(context, log);
  context.subscriptions.push(connection);
  const catalogs = new CatalogHost(log);
  context.subscriptions.push(catalogs);
  await Promise.all([connection.init(), catalogs.reload()]);

  const engines = new Engines(storageRoot, catalogs.catalog, connection.client, log);
  context.subscriptions.push(engines);
  current = { connection, engines };

  const tasksView = new TasksView(engines, catalogs.catalog);
  const treeView = vscode.window.createTreeView<TreeNode>(TasksView.viewId, { treeDataProvider: tasksView, showCollapseAll: true });
  tasksView.attach(treeView);
  context.subscriptions.push(tasksView, treeView);

  const statusBar = new StatusBar(connection, engines);
  const notifications = new Notifications(engines, connection, catalogs.catalog, log);
  const destinations = new Destinations();
  context.subscriptions.push(statusBar, notifications, vscode.workspace.onDidChangeWorkspaceFolders(() => destinations.forget()));

  const accountChanged = new vscode.EventEmitter<Account>();
  context.subscriptions.push(accountChanged, connection.onDidChange(() => accountChanged.fire(connection.account)));
  const host: GeneratorHost = {
    catalog: () => catalogs.catalog,
    userModelSpecs: () => catalogs.userSpecs,
    engine: () => engines.current,
    destination: () => destinations.pick(),
    assetRoots: () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri),
    account: async () => {
      const a = connection.account;
      if (a.credits === null && (a.demo || a.hasKey) && !a.error) await connection.refreshCredits();
      return connection.account;
    },
    onAccountChanged: accountChanged.event,
    onModelsChanged: catalogs.onDidChange,
    assetsFolder: () => settings().assetsFolder,
    log: log.channel,
    runCommand: (command: string) => {
      if (!(WEBVIEW_COMMANDS as readonly string[]).includes(command)) return Promise.reject(new Error(`Command ${command} is not allowed from the generator.`));
      return vscode.commands.executeCommand(command);
    },
  };
  const generator = GeneratorViewProvider.register(context, host);

  const applyMode = (mode: Mode) => {
    // A description, not `message`: a message would hide the welcome content of an empty tree.
    treeView.description = mode === 'demo' ? 'Offline demo' : undefined;
  };
  context.subscriptions.push(connection.onDidChangeMode((mode) => {
    applyMode(mode);
    void engines.use(mode);
  }));

  context.subscriptions.push(...registerCommands({
    context, log, connection, engines, catalogs, tasksView, treeView, destinations, statusBar,
    generator: () => generator,
  }));

  await engines.use(connection.mode);
  applyMode(connection.mode);
  tasksView.refresh();
  statusBar.update();
  if (connection.mode === 'demo' || connection.hasKey) void connection.refreshCredits();

  const s = settings();
  log.info(`Kie.ai endpoints: API ${s.apiBaseUrl}, uploads ${s.uploadBaseUrl}${connection.mode === 'demo' ? ' (offline demo active)' : ''}.`);
  log.info(`Kie Studio activated in ${Date.now() - started} ms`);

  const api: KieStudioApi = {
    get engine() {
      return engines.current;
    },
    catalog: catalogs.catalog,
    get mode() {
      return connection.mode;
    },
    get account() {
      return connection.account;
    },
    get storageDir() {
      return engines.storageDir(connection.mode);
    },
    get demo() {
      return connection.demoUrls;
    },
    statusBarText: () => statusBar.text,
    tree: () => tasksView.getChildren().map((node) => {
      const item = tasksView.getTreeItem(node);
      return {
        label: String(typeof item.label === 'object' ? item.label.label : item.label ?? ''),
        description: typeof item.description === 'string' ? item.description : undefined,
        contextValue: item.contextValue,
        children: tasksView.getChildren(node).map((child) => {
          const c = tasksView.getTreeItem(child);
          return { label: String(typeof c.label === 'object' ? c.label.label : c.label ?? ''), description: typeof c.description === 'string' ? c.description : undefined, contextValue: c.contextValue };
        }),
      };
    }),
    generator,
    whenReady: () => engines.whenReady(),
    refreshCredits: () => connection.refreshCredits(),
  };
  return api;
}

export async function deactivate(): Promise<void> {
  const c = current;
  current = undefined;
  if (!c) return;
  await c.engines.shutdown();
  await c.connection.shutdown();
}
