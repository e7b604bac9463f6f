import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Category, MediaKind } from '../../core/catalog/types';
import { MEDIA_EXTENSIONS } from '../../webview/mediaPaths';
import { FROM_HOST, WEBVIEW_COMMANDS, type Account, type HostMessage, type ReplyResults } from '../../webview/protocol';
import type { GeneratorHost } from './host';
import { isWithin, resolveDisplayPath, toDisplayPath, type FolderRef } from './paths';
import { Outbox, routeWebviewMessage, type GeneratorServices } from './router';

/** globalState key of the last model chosen per category. */
export const LAST_MODEL_KEY = 'kieStudio.generator.lastModelByCategory';
/** How long `init` waits for the account before it goes with what is known. */
const ACCOUNT_WAIT_MS = 1500;
const LIST_MEDIA_LIMIT = 200;
/** How long after the view is shown again a `ready` may take before waiting messages go out anyway. */
const RESHOW_GRACE_MS = 4000;

/**
 * The "Generate" sidebar view: a webview with a form built from the catalog. Messages to the
 * webview wait in an outbox until it has said `ready` and received `init`, so `fill` may be
 * called before the view was ever shown.
 */
export class GeneratorViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'kieStudio.generator';

  private view: vscode.WebviewView | undefined;
  private readonly outbox: Outbox;
  private readonly disposables: vscode.Disposable[] = [];
  private viewDisposables: vscode.Disposable[] = [];
  private lastAccount: Account | undefined;
  /** When the view was resolved or last became visible (for the form-ready timing). */
  private shownAt: number | undefined;
  /** Bumped on every `ready`, so a slow init for an old page is dropped. */
  private generation = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly host: GeneratorHost,
  ) {
    this.outbox = new Outbox((m) => this.send(m), host.log);
    this.disposables.push(
      host.onAccountChanged((account) => this.postAccount(account)),
      host.onModelsChanged(() => this.outbox.post({ type: FROM_HOST.models, userModels: this.userModels() })),
    );
    context.subscriptions.push(this);
  }

  /** Creates the provider and registers it for the view (convenience for activation). */
  static register(context: vscode.ExtensionContext, host: GeneratorHost): GeneratorViewProvider {
    const provider = new GeneratorViewProvider(context, host);
    context.subscriptions.push(vscode.window.registerWebviewViewProvider(GeneratorViewProvider.viewId, provider));
    return provider;
  }

  resolveWebviewView(webviewView: vscode.WebviewView): void {
    this.shownAt = Date.now();
    this.host.log.info('Generator view resolving');
    for (const d of this.viewDisposables) d.dispose();
    const local: vscode.Disposable[] = [];
    this.viewDisposables = local;
    this.outbox.close();
    this.view = webviewView;
    const webview = webviewView.webview;
    webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: this.resourceRoots(),
    };
    local.push(
      webview.onDidReceiveMessage((raw: unknown) => {
        void routeWebviewMessage(raw, this.services(webviewView), (reply) => {
          void this.send(reply);
        });
      }),
      webviewView.onDidChangeVisibility(() => {
        if (webviewView.visible) {
          this.shownAt = Date.now();
          // The page normally reloads and says `ready`; should it have been kept instead, deliver anyway.
          const generation = this.generation;
          const timer = setTimeout(() => {
            if (this.generation === generation && this.view === webviewView && webviewView.visible && !this.outbox.ready) {
              this.host.log.warn('Generator view: shown again without a ready message; delivering what waited');
              this.outbox.open([]);
            }
          }, RESHOW_GRACE_MS);
          local.push({ dispose: () => clearTimeout(timer) });
        } else {
          // The page is dropped while hidden and reloads (and says `ready` again) when shown.
          this.outbox.close();
        }
      }),
      webviewView.onDidDispose(() => {
        if (this.view === webviewView) {
          this.view = undefined;
          this.outbox.close();
        }
        for (const d of local) d.dispose();
        if (this.viewDisposables === local) this.viewDisposables = [];
      }),
    );
    try {
      webview.html = this.html(webview);
    } catch (err) {
      this.host.log.error(`Generator view: could not build its page: ${(err as Error).message}`);
    }
  }

  /** Reveals the view and fills the form with a model and an input (replacing what it held). */
  async fill(modelId: string, input: Record<string, unknown>): Promise<void> {
    this.outbox.post({ type: FROM_HOST.fill, modelId, input: { ...input } });
    await this.reveal();
  }

  /**
   * Reveals the view with `modelId` chosen. Without `input` (or with an empty one) the values the
   * user had for that model stay; with one, it fills the form like `fill`.
   */
  async selectModel(modelId: string, input?: Record<string, unknown>): Promise<void> {
    this.outbox.post({ type: FROM_HOST.fill, modelId, input: { ...(input ?? {}) } });
    await this.reveal();
  }

  /** Shows a new balance (also done on `host.onAccountChanged`). */
  postAccount(account: Account): void {
    this.lastAccount = account;
    this.outbox.post({ type: FROM_HOST.balance, account });
  }

  dispose(): void {
    for (const d of [...this.disposables, ...this.viewDisposables]) d.dispose();
    this.disposables.length = 0;
    this.viewDisposables = [];
  }

  // ------------------------------------------------------------------ internals

  private async reveal(): Promise<void> {
    try {
      await vscode.commands.executeCommand(`${GeneratorViewProvider.viewId}.focus`);
    } catch (err) {
      this.host.log.error(`Generator view: could not reveal it: ${(err as Error).message}`);
      this.view?.show(false);
    }
  }

  private async send(message: HostMessage): Promise<boolean> {
    const view = this.view;
    if (!view) return false;
    try {
      return await view.webview.postMessage(message);
    } catch (err) {
      this.host.log.warn(`Generator view: postMessage failed: ${(err as Error).message}`);
      return false;
    }
  }

  private resourceRoots(): vscode.Uri[] {
    const ext = this.context.extensionUri;
    return [vscode.Uri.joinPath(ext, 'dist'), vscode.Uri.joinPath(ext, 'media'), ...this.safeAssetRoots()];
  }

  private safeAssetRoots(): vscode.Uri[] {
    try {
      return this.host.assetRoots();
    } catch (err) {
      this.host.log.error(`Generator view: assetRoots failed: ${(err as Error).message}`);
      return [];
    }
  }

  private userModels() {
    try {
      return this.host.userModelSpecs();
    } catch (err) {
      this.host.log.error(`Generator view: reading the user models failed: ${(err as Error).message}`);
      return [];
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(18).toString('base64url');
    const ext = this.context.extensionUri;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(ext, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(ext, 'media', 'webview.css'));
    const src = webview.cspSource;
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${src}`,
      `img-src ${src} data:`,
      `media-src ${src}`,
      `font-src ${src}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Kie Studio: Generate</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="loading" id="loading">Loading the generator…</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  private folders(): FolderRef[] {
    return (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.fsPath }));
  }

  private previewable(uri: vscode.Uri): boolean {
    return this.safeAssetRoots().some((root) => root.scheme === uri.scheme && isWithin(root.fsPath, uri.fsPath));
  }

  private describeFile(webview: vscode.Webview, uri: vscode.Uri, kind: MediaKind): { path: string; previewUri?: string } {
    const path = toDisplayPath(uri.fsPath, this.folders());
    return kind === 'image' && this.previewable(uri) ? { path, previewUri: webview.asWebviewUri(uri).toString() } : { path };
  }

  /** The init message, and (when it went with a known account) the fresh look-up still running. */
  private async buildInit(): Promise<{ init: HostMessage; fresh?: Promise<Account> }> {
    const { account, fresh } = await this.accountSoon();
    const init: HostMessage = {
      type: FROM_HOST.init,
      userModels: this.userModels(),
      lastModelByCategory: this.context.globalState.get<Record<string, string>>(LAST_MODEL_KEY, {}),
      account,
      assetsFolder: this.host.assetsFolder(),
    };
    return { init, fresh };
  }

  /**
   * The account for `init`: the last one known at once (the fresh look-up follows as a balance
   * message), else the look-up's answer if it comes within ACCOUNT_WAIT_MS.
   */
  private async accountSoon(): Promise<{ account: Account; fresh?: Promise<Account> }> {
    const lookup = this.host.account().then(
      (a) => {
        this.lastAccount = a;
        return a;
      },
      (err: unknown) => {
        this.host.log.warn(`Generator view: reading the account failed: ${(err as Error).message}`);
        return this.lastAccount ?? { credits: null, demo: false, hasKey: false, error: (err as Error).message };
      },
    );
    if (this.lastAccount) return { account: this.lastAccount, fresh: lookup };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ACCOUNT_WAIT_MS);
    });
    const first = await Promise.race([lookup, late]);
    clearTimeout(timer);
    if (first) return { account: first };
    return { account: { credits: null, demo: false, hasKey: true, error: 'The balance is still loading.' }, fresh: lookup };
  }

  private services(view: vscode.WebviewView): GeneratorServices {
    const host = this.host;
    const webview = view.webview;
    return {
      catalog: () => host.catalog(),
      engine: () => host.engine(),
      destination: () => host.destination(),
      assetsFolder: () => host.assetsFolder(),
      log: host.log,
      resolvePath: (p) => resolveDisplayPath(p, this.folders()),
      pickFile: async (kind, multiple): Promise<ReplyResults['pickFile']> => {
        const uris = await vscode.window.showOpenDialog({
          canSelectFiles: true,
          canSelectFolders: false,
          canSelectMany: multiple,
          defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
          openLabel: multiple ? 'Use Files' : 'Use File',
          title: `Choose ${multiple ? `${kind} files` : `an ${kind} file`}`.replace('an video', 'a video'),
          filters: { [`${kind[0].toUpperCase()}${kind.slice(1)} files`]: [...MEDIA_EXTENSIONS[kind]], 'All files': ['*'] },
        });
        return { files: (uris ?? []).map((u) => this.describeFile(webview, u, kind)) };
      },
      listMedia: async (kind): Promise<ReplyResults['listMedia']> => {
        const exts = MEDIA_EXTENSIONS[kind].flatMap((e) => [e, e.toUpperCase()]);
        const uris = await vscode.workspace.findFiles(`**/*.{${exts.join(',')}}`, '**/node_modules/**', LIST_MEDIA_LIMIT);
        const files = uris.map((u) => this.describeFile(webview, u, kind));
        files.sort((a, b) => a.path.localeCompare(b.path));
        return { files };
      },
      preview: async (p): Promise<ReplyResults['preview']> => {
        const abs = resolveDisplayPath(p, this.folders());
        if (!abs) return {};
        const uri = vscode.Uri.file(abs);
        if (!this.previewable(uri)) return {};
        try {
          await vscode.workspace.fs.stat(uri);
        } catch {
          return {};
        }
        return { uri: webview.asWebviewUri(uri).toString() };
      },
      refreshBalance: async () => {
        const account = await host.account();
        this.postAccount(account);
      },
      rememberModel: (category: Category, modelId: string) => {
        const last = this.context.globalState.get<Record<string, string>>(LAST_MODEL_KEY, {});
        return this.context.globalState.update(LAST_MODEL_KEY, { ...last, [category]: modelId });
      },
      runCommand: (command) => {
        if (!(WEBVIEW_COMMANDS as readonly string[]).includes(command)) return Promise.reject(new Error(`Refused command ${command}`));
        return host.runCommand(command);
      },
      ready: async () => {
        this.outbox.close();
        const generation = ++this.generation;
        let prepared: { init: HostMessage; fresh?: Promise<Account> };
        try {
          prepared = await this.buildInit();
        } catch (err) {
          host.log.error(`Generator view: preparing the form failed: ${(err as Error).message}`);
          return;
        }
        if (generation !== this.generation || this.view !== view) return;
        this.outbox.open([prepared.init]);
        const sent = (prepared.init as Extract<HostMessage, { type: 'init' }>).account;
        void prepared.fresh?.then((a) => {
          if (JSON.stringify(a) !== JSON.stringify(sent)) this.postAccount(a);
        });
      },
      formReady: () => {
        const since = this.shownAt;
        host.log.info(`Generator form ready in ${since === undefined ? 0 : Date.now() - since} ms`);
      },
    };
  }
}
