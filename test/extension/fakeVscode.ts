/**
 * A small stand-in for the `vscode` module, enough to activate Kie Studio in plain Node and drive
 * its commands: configuration with scopes, secrets, mementos, commands, tree views, status bar,
 * messages (answered by a scripted responder), progress and a log channel that records lines.
 * It is not VS Code: the e2e suite (code-server) covers the real thing.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import Module from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Disposable {
  constructor(private readonly fn: () => unknown) {}
  static from(...ds: { dispose(): unknown }[]) {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly path: string, readonly query = '', readonly fragment = '') {}
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static parse(s: string): Uri {
    const u = new URL(s);
    return u.protocol === 'file:' ? new Uri('file', fileURLToPath(u)) : new Uri(u.protocol.slice(0, -1), u.pathname, u.search.slice(1));
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, join(base.path, ...parts));
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; path?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.path ?? this.path);
  }
  toString(): string {
    return this.scheme === 'file' ? pathToFileURL(this.path).href : `${this.scheme}://${this.path}`;
  }
  toJSON() {
    return { scheme: this.scheme, path: this.path };
  }
}

export class ThemeIcon {
  static File = new ThemeIcon('file');
  constructor(readonly id: string, readonly color?: ThemeColor) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export class MarkdownString {
  constructor(public value = '') {}
}
export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }
export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  contextValue?: string;
  iconPath?: unknown;
  command?: { command: string; arguments?: unknown[] };
  resourceUri?: Uri;
  constructor(public label: string, public collapsibleState = TreeItemCollapsibleState.None) {}
}
export enum StatusBarAlignment { Left = 1, Right = 2 }
export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
export enum QuickPickItemKind { Separator = -1, Default = 0 }
export enum ViewColumn { Active = -1, Beside = -2, One = 1 }
export class RelativePattern {
  constructor(readonly base: unknown, readonly pattern: string) {}
}

// ------------------------------------------------------------------ state a test controls

export interface Message {
  severity: 'info' | 'warning' | 'error';
  text: string;
  actions: string[];
}

export const state = {
  /** Settings by key (`kieStudio.x`), at user (global) and workspace level. */
  user: {} as Record<string, unknown>,
  workspace: {} as Record<string, unknown>,
  folders: [] as { uri: Uri; name: string; index: number }[],
  trusted: true,
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  executed: [] as { id: string; args: unknown[] }[],
  messages: [] as Message[],
  /** Answers to showInformationMessage/showWarningMessage/showErrorMessage, by a pattern of the text. */
  answers: [] as { match: RegExp; answer: string | undefined }[],
  inputs: [] as (string | undefined)[],
  picks: [] as ((items: { label: string }[]) => unknown)[],
  logLines: [] as string[],
  context: new Map<string, unknown>(),
  statusItems: [] as { text: string; tooltip?: unknown; show(): void }[],
  treeViews: new Map<string, { provider: unknown; view: { description?: string; visible: boolean; selection: unknown[] } }>(),
  webviewProviders: new Map<string, unknown>(),
  clipboard: '',
  progressShown: 0,
  opened: [] as string[],
};

const configListeners = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();

function manifestDefaults(): Record<string, unknown> {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(pkg.contributes.configuration.properties as Record<string, { default?: unknown }>)) out[k] = v.default;
  return out;
}
const defaults = manifestDefaults();

export function setUserSetting(key: string, value: unknown): void {
  state.user[key] = value;
  configListeners.fire({ affectsConfiguration: (s: string) => key === s || key.startsWith(`${s}.`) });
}

function answer(severity: Message['severity']) {
  return async (text: string, ...rest: unknown[]) => {
    const actions = rest.filter((r): r is string => typeof r === 'string');
    state.messages.push({ severity, text, actions });
    const a = state.answers.find((x) => x.match.test(text));
    return a?.answer;
  };
}

export const window = {
  createOutputChannel: (_name: string) => {
    const line = (level: string) => (m: string) => state.logLines.push(`[${level}] ${m}`);
    return { info: line('info'), warn: line('warn'), error: line('error'), debug: line('debug'), trace: line('trace'), appendLine: line('info'), show: () => undefined, dispose: () => undefined };
  },
  createTreeView: (id: string, opts: { treeDataProvider: unknown }) => {
    const view = {
      description: undefined as string | undefined, message: undefined as string | undefined, visible: true, selection: [] as unknown[],
      onDidChangeVisibility: new EventEmitter<void>().event, dispose: () => undefined,
    };
    state.treeViews.set(id, { provider: opts.treeDataProvider, view });
    return view;
  },
  createStatusBarItem: () => {
    const item = { text: '', tooltip: undefined as unknown, name: '', command: '', backgroundColor: undefined as unknown, show: () => undefined, hide: () => undefined, dispose: () => undefined };
    state.statusItems.push(item);
    return item;
  },
  showInformationMessage: answer('info'),
  showWarningMessage: answer('warning'),
  showErrorMessage: answer('error'),
  showInputBox: async (opts?: { validateInput?: (v: string) => unknown }) => {
    const v = state.inputs.shift();
    if (v !== undefined && opts?.validateInput && (await opts.validateInput(v))) throw new Error(`input "${v}" would not validate`);
    return v;
  },
  showQuickPick: async (items: { label: string }[]) => {
    const pick = state.picks.shift();
    return pick ? pick(items) : undefined;
  },
  showWorkspaceFolderPick: async () => state.folders[0],
  showOpenDialog: async () => undefined,
  showTextDocument: async () => undefined,
  setStatusBarMessage: () => new Disposable(() => undefined),
  withProgress: async (_opts: unknown, task: (p: { report(v: unknown): void }, t: { onCancellationRequested: unknown; isCancellationRequested: boolean }) => Promise<unknown>) => {
    state.progressShown++;
    return task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: new EventEmitter<void>().event });
  },
  registerWebviewViewProvider: (id: string, provider: unknown) => {
    state.webviewProviders.set(id, provider);
    return new Disposable(() => undefined);
  },
};

export const workspace = {
  get workspaceFolders() {
    return state.folders.length ? state.folders : undefined;
  },
  get isTrusted() {
    return state.trusted;
  },
  getConfiguration: (section?: string) => {
    const full = (key: string) => (section ? `${section}.${key}` : key);
    return {
      get: <T>(key: string, fallback?: T) => (state.workspace[full(key)] ?? state.user[full(key)] ?? defaults[full(key)] ?? fallback) as T,
      inspect: (key: string) => ({ key: full(key), defaultValue: defaults[full(key)], globalValue: state.user[full(key)], workspaceValue: state.workspace[full(key)] }),
      has: (key: string) => full(key) in defaults,
      update: async (key: string, value: unknown) => setUserSetting(full(key), value),
    };
  },
  getWorkspaceFolder: (uri: Uri) => state.folders.find((f) => !relative(f.uri.fsPath, uri.fsPath).startsWith('..')),
  asRelativePath: (p: string | Uri) => {
    const path = typeof p === 'string' ? p : p.fsPath;
    const f = state.folders.find((x) => !relative(x.uri.fsPath, path).startsWith('..'));
    return f ? relative(f.uri.fsPath, path).split(sep).join('/') : path;
  },
  onDidChangeConfiguration: configListeners.event,
  onDidChangeWorkspaceFolders: new EventEmitter<unknown>().event,
  onDidGrantWorkspaceTrust: new EventEmitter<void>().event,
  createFileSystemWatcher: () => ({
    onDidChange: () => new Disposable(() => undefined),
    onDidCreate: () => new Disposable(() => undefined),
    onDidDelete: () => new Disposable(() => undefined),
    dispose: () => undefined,
  }),
  openTextDocument: async (arg: unknown) => ({ arg }),
  fs: {
    stat: async (uri: Uri) => {
      const s = await stat(uri.fsPath);
      return { type: s.isDirectory() ? 2 : 1, size: s.size, mtime: s.mtimeMs, ctime: s.ctimeMs };
    },
    readFile: async (uri: Uri) => new Uint8Array(await readFile(uri.fsPath)),
    readDirectory: async () => [],
  },
};

export const commands = {
  registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
    if (state.commands.has(id)) throw new Error(`command ${id} already registered`);
    state.commands.set(id, fn);
    return new Disposable(() => state.commands.delete(id));
  },
  executeCommand: async (id: string, ...args: unknown[]) => {
    state.executed.push({ id, args });
    if (id === 'setContext') {
      state.context.set(args[0] as string, args[1]);
      return undefined;
    }
    if (id === 'vscode.open') {
      state.opened.push((args[0] as Uri).fsPath);
      return undefined;
    }
    const fn = state.commands.get(id);
    return fn ? fn(...args) : undefined;
  },
};

export const env = {
  clipboard: { writeText: async (t: string) => void (state.clipboard = t), readText: async () => state.clipboard },
  uiKind: 1,
};

export const l10n = { t: (s: string) => s };

/** A fake ExtensionContext with in-memory secrets and mementos. */
export function makeContext(globalStorage: string, extensionPath: string) {
  const secrets = new Map<string, string>();
  const secretEvents = new EventEmitter<{ key: string }>();
  const memento = () => {
    const m = new Map<string, unknown>();
    return { get: <T>(k: string, d?: T) => (m.has(k) ? (m.get(k) as T) : d), update: async (k: string, v: unknown) => void m.set(k, v), keys: () => [...m.keys()], setKeysForSync: () => undefined };
  };
  return {
    subscriptions: [] as { dispose(): unknown }[],
    globalStorageUri: Uri.file(globalStorage),
    extensionUri: Uri.file(extensionPath),
    extensionPath,
    globalState: memento(),
    workspaceState: memento(),
    secrets: {
      get: async (k: string) => secrets.get(k),
      store: async (k: string, v: string) => {
        secrets.set(k, v);
        secretEvents.fire({ key: k });
      },
      delete: async (k: string) => {
        secrets.delete(k);
        secretEvents.fire({ key: k });
      },
      onDidChange: secretEvents.event,
    },
    secretsMap: secrets,
    asAbsolutePath: (p: string) => join(extensionPath, p),
  };
}

const fake = {
  EventEmitter, Disposable, Uri, ThemeIcon, ThemeColor, MarkdownString, TreeItem, TreeItemCollapsibleState, StatusBarAlignment,
  ProgressLocation, QuickPickItemKind, ViewColumn, RelativePattern, window, workspace, commands, env, l10n, version: '1.100.3',
};

/** Makes `require('vscode')` return this fake (CommonJS, as tsx compiles the sources). */
export function installFakeVscode(): void {
  const M = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = M._load;
  M._load = function load(request: string, ...rest: unknown[]) {
    if (request === 'vscode') return fake;
    return original.call(this, request, ...rest);
  };
}

export function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}
export { dirname };
