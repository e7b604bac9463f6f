import type * as vscode from 'vscode';
import type { Catalog } from '../../core/catalog/catalog';
import type { ModelSpec } from '../../core/catalog/types';
import type { Destination, TaskEngineApi } from '../../core/engine/types';
import type { Account } from '../../webview/protocol';

/** What the generator view needs from the rest of the extension. */
export interface GeneratorHost {
  /** Built-in + user models. */
  catalog(): Catalog;
  userModelSpecs(): ModelSpec[];
  engine(): TaskEngineApi;
  /** Where outputs go; asks the user in multi-root, offers to open a folder when none: undefined if they declined. */
  destination(): Promise<Destination | undefined>;
  /** Workspace folder URIs that may be shown in the webview (localResourceRoots). */
  assetRoots(): vscode.Uri[];
  account(): Promise<Account>;
  onAccountChanged: vscode.Event<Account>;
  onModelsChanged: vscode.Event<void>;
  /** Setting, default "assets". */
  assetsFolder(): string;
  log: vscode.LogOutputChannel;
  /** Runs a whitelisted command (protocol WEBVIEW_COMMANDS). */
  runCommand(command: string): Thenable<unknown>;
}
